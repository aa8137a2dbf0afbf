/**
 * The gateway's configuration file: which servers to host, which built-in servers to add, the
 * policy, and where the audit log lives. Checked against a schema; relative paths are resolved
 * from the file's folder. A bad file is a `ConfigError` naming what to fix.
 */
import type { AuditDurability } from '../core/audit/auditLog';
import Ajv2020 from 'ajv/dist/2020';
import { promises as fsp } from 'node:fs';
import path from 'node:path';
import type { HttpServerDefinition, ServerDefinition, StdioServerDefinition } from '../core/host/serverDefinition';
import { parseRules } from '../core/policy/parseRules';
import type { Rule } from '../core/policy/types';
import { describeSchemaErrors } from '../core/protocol/schemas';
import { checkRemoteUrl } from '../core/transport/remoteUrl';
import { errorMessage } from '../core/util/errors';
import type { PolicySources } from '../core/policy/sources';

export interface GatewayConfig {
  readonly servers: readonly ServerDefinition[];
  readonly rules: readonly Rule[];
  /** One line per rule left out. */
  readonly ruleProblems: readonly string[];
  /** Globs over `server/tool` approved in advance: the gateway has nobody to ask. */
  readonly approvals: readonly string[];
  readonly audit: { readonly dir: string; readonly keyFile: string; readonly durability: AuditDurability };
  /** HTTP sessions: how long one may idle before it ends, and how many may be open at once. */
  readonly http: { readonly sessionIdleMs: number; readonly maxSessions: number };
  /**
   * How refusals name where the policy lives, when a front end that writes this file keeps it
   * elsewhere (the extension names its settings); otherwise the file's own keys.
   */
  readonly policySources?: PolicySources;
}

export const DEFAULT_SESSION_IDLE_SECONDS = 30 * 60;
export const DEFAULT_MAX_SESSIONS = 64;

export class ConfigError extends Error {}

const strings = { type: 'array', items: { type: 'string', minLength: 1 } };
const stdioServer = {
  type: 'object',
  required: ['command'],
  additionalProperties: false,
  properties: {
    command: { type: 'string', minLength: 1 },
    args: { type: 'array', items: { type: 'string' } },
    env: { type: 'object', additionalProperties: { type: 'string' } },
    cwd: { type: 'string', minLength: 1 },
    // Accepted from Claude-style files and ignored.
    type: { const: 'stdio' },
  },
};
const httpServer = {
  type: 'object',
  required: ['url'],
  additionalProperties: false,
  properties: {
    url: { type: 'string', minLength: 1 },
    headers: { type: 'object', propertyNames: { pattern: '^[A-Za-z0-9!#$%&\'*+.^_`|~-]+$' }, additionalProperties: { type: 'string' } },
    // The name of an environment variable holding a bearer token, so the token stays out of the file.
    bearerTokenEnv: { type: 'string', pattern: '^[A-Za-z_][A-Za-z0-9_]*$' },
    allowInsecureHttp: { type: 'boolean' },
    // VS Code's mcp.json spells a remote server { "type": "http", "url": ... }.
    type: { const: 'http' },
  },
};
// A server with a "url" (or "type": "http") is remote; any other is a local command.
const server = {
  if: { anyOf: [{ type: 'object', required: ['url'] }, { type: 'object', required: ['type'], properties: { type: { const: 'http' } } }] },
  then: httpServer,
  else: stdioServer,
};
const servers = { type: 'object', propertyNames: { pattern: '^[a-z0-9_-]{1,64}$' }, additionalProperties: server };

const CONFIG_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  properties: {
    servers,
    mcpServers: servers,
    builtin: {
      type: 'object',
      additionalProperties: false,
      properties: {
        fs: { type: 'object', required: ['roots'], additionalProperties: false, properties: { roots: { ...strings, minItems: 1 } } },
        sqlite: { type: 'object', additionalProperties: false, properties: { roots: strings, databases: strings } },
        http: { type: 'object', required: ['allow'], additionalProperties: false, properties: { allow: { ...strings, minItems: 1 } } },
      },
    },
    policy: { type: 'object', additionalProperties: false, properties: { rules: { type: 'array' } } },
    approvals: strings,
    audit: {
      type: 'object',
      additionalProperties: false,
      properties: { dir: { type: 'string', minLength: 1 }, keyFile: { type: 'string', minLength: 1 }, durability: { enum: ['flush', 'sync'] } },
    },
    http: {
      type: 'object',
      additionalProperties: false,
      properties: { sessionIdleSeconds: { type: 'number', exclusiveMinimum: 0, maximum: 604800 }, maxSessions: { type: 'integer', minimum: 1, maximum: 10000 } },
    },
    policySources: {
      type: 'object',
      required: ['userRules', 'approvals'],
      additionalProperties: false,
      properties: { userRules: { type: 'string', minLength: 1, maxLength: 500 }, approvals: { type: 'string', minLength: 1, maxLength: 500 } },
    },
  },
} as const;

interface RawStdioServer {
  command: string;
  args?: string[];
  env?: Record<string, string>;
  cwd?: string;
}

interface RawHttpServer {
  url: string;
  headers?: Record<string, string>;
  bearerTokenEnv?: string;
  allowInsecureHttp?: boolean;
}

type RawServer = RawStdioServer | RawHttpServer;

interface RawConfig {
  servers?: Record<string, RawServer>;
  mcpServers?: Record<string, RawServer>;
  builtin?: { fs?: { roots: string[] }; sqlite?: { roots?: string[]; databases?: string[] }; http?: { allow: string[] } };
  policy?: { rules?: unknown[] };
  approvals?: string[];
  audit?: { dir?: string; keyFile?: string; durability?: AuditDurability };
  http?: { sessionIdleSeconds?: number; maxSessions?: number };
  policySources?: { userRules: string; approvals: string };
}

const validateConfig = new Ajv2020({ allErrors: false, strict: false }).compile<RawConfig>(CONFIG_SCHEMA);

export async function loadConfig(file: string, serversDir: string): Promise<GatewayConfig> {
  let text: string;
  try {
    text = await fsp.readFile(file, 'utf8');
  } catch (error) {
    throw new ConfigError(`Cannot read the configuration ${file}: ${errorMessage(error)}. Pass an existing file with --config.`);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new ConfigError(`The configuration ${file} is not valid JSON: ${errorMessage(error)}.`);
  }
  return parseConfig(raw, path.dirname(path.resolve(file)), serversDir, file);
}

/**
 * `base` resolves relative paths; `serversDir` holds the built-in servers' bundles; `env` supplies
 * the bearer tokens named by `bearerTokenEnv`.
 */
export function parseConfig(raw: unknown, base: string, serversDir: string, where = 'the configuration', env: NodeJS.ProcessEnv = process.env): GatewayConfig {
  if (!validateConfig(raw)) {
    throw new ConfigError(`${where} is invalid: ${describeSchemaErrors(validateConfig.errors)}. Expected { "servers": { "<id>": { "command": "...", "args": [...] } or { "url": "https://...", "headers": {...} } }, "policy": { "rules": [...] }, "audit": { "dir": "...", "keyFile": "...", "durability": "flush" | "sync" } }.`);
  }
  const resolve = (p: string): string => path.resolve(base, p);
  const definitions: ServerDefinition[] = [];
  const add = (definition: ServerDefinition): void => {
    if (definitions.some((d) => d.id === definition.id)) {
      throw new ConfigError(`${where} names the server "${definition.id}" twice (servers, mcpServers and builtin share one set of ids); rename one.`);
    }
    definitions.push(definition);
  };
  for (const [id, s] of [...Object.entries(raw.servers ?? {}), ...Object.entries(raw.mcpServers ?? {})]) {
    add('url' in s ? remoteServer(id, s, `${where} server "${id}"`, env) : {
      id,
      label: id,
      command: s.command,
      args: s.args ?? [],
      ...(s.cwd !== undefined && { cwd: resolve(s.cwd) }),
      ...(s.env !== undefined && { env: s.env }),
      builtin: false,
    });
  }
  const builtin = (id: string, args: string[]): StdioServerDefinition => ({
    id,
    label: `Warden ${id}`,
    command: process.execPath,
    args: [path.join(serversDir, `${id}.js`), ...args],
    builtin: true,
  });
  const b = raw.builtin ?? {};
  if (b.fs) add(builtin('fs', b.fs.roots.flatMap((r) => ['--root', resolve(r)])));
  if (b.sqlite) {
    const args = [...(b.sqlite.roots ?? []).flatMap((r) => ['--root', resolve(r)]), ...(b.sqlite.databases ?? []).flatMap((d) => ['--db', resolve(d)])];
    if (args.length === 0) throw new ConfigError(`${where}: builtin.sqlite needs "roots" or "databases" naming what it may open.`);
    add(builtin('sqlite', args));
  }
  if (b.http) add(builtin('http', b.http.allow.flatMap((h) => ['--allow', h])));

  const parsed = parseRules(raw.policy?.rules, 'user', `${where} policy.rules`);
  const auditDir = resolve(raw.audit?.dir ?? 'warden-audit');
  return {
    servers: definitions,
    rules: parsed.rules,
    ruleProblems: parsed.problems,
    approvals: raw.approvals ?? [],
    audit: { dir: auditDir, keyFile: resolve(raw.audit?.keyFile ?? 'warden-audit.key'), durability: raw.audit?.durability ?? 'flush' },
    http: {
      sessionIdleMs: Math.round((raw.http?.sessionIdleSeconds ?? DEFAULT_SESSION_IDLE_SECONDS) * 1000),
      maxSessions: raw.http?.maxSessions ?? DEFAULT_MAX_SESSIONS,
    },
    ...(raw.policySources !== undefined && { policySources: { userRules: raw.policySources.userRules, approvals: raw.policySources.approvals } }),
  };
}

function remoteServer(id: string, s: RawHttpServer, where: string, env: NodeJS.ProcessEnv): HttpServerDefinition {
  const checked = checkRemoteUrl(s.url, { allowInsecureHttp: s.allowInsecureHttp === true });
  if (!checked.ok) throw new ConfigError(`${where}: ${checked.error}.`);
  let bearerToken: string | undefined;
  if (s.bearerTokenEnv !== undefined) {
    bearerToken = env[s.bearerTokenEnv];
    if (bearerToken === undefined || bearerToken === '') throw new ConfigError(`${where}: "bearerTokenEnv" names ${s.bearerTokenEnv}, which is not set; set it before starting the gateway.`);
  }
  return {
    kind: 'http',
    id,
    label: id,
    url: checked.url.href,
    ...(s.headers !== undefined && { headers: s.headers }),
    ...(bearerToken !== undefined && { bearerToken }),
    ...(s.allowInsecureHttp !== undefined && { allowInsecureHttp: s.allowInsecureHttp }),
    builtin: false,
  };
}
