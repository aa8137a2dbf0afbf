/**
 * The configuration file Warden's gateway process reads (`dist/gateway.js --config <file>`),
 * generated from the person's VS Code settings: their approved servers, their policy rules and
 * the tools they switched off, the calls they chose to "always allow", and where the gateway
 * keeps its own audit log. Written atomically with mode 0600: servers' environments and remote
 * servers' headers can hold secrets the person entered.
 */
import type { AuditDurability } from '../../core/audit/auditLog';
import { EXTENSION_POLICY_SOURCES } from '../policy/policyNames';
import { createHash } from 'node:crypto';
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { isHttpDefinition, type ServerDefinition } from '../../core/host/serverDefinition';

/** Where one gateway keeps its files; each gateway process needs an audit folder of its own. */
export interface GatewayFiles {
  /** The configuration file. */
  readonly config: string;
  /** The gateway's audit log folder: one writer at a time, so never shared with another process. */
  readonly auditDir: string;
  /** The key the gateway signs its audit records with (created by the gateway on first run). */
  readonly auditKeyFile: string;
}

export interface GatewayConfigInput {
  readonly servers: readonly ServerDefinition[];
  /** `warden.policy.rules` from user settings, as written there (the gateway checks them). */
  readonly rules: readonly unknown[];
  /** Approval keys (`server/tool`) the person chose to always allow. */
  readonly approvals: readonly string[];
  /** `warden.audit.durability`: the gateway's log keeps the window's promise. */
  readonly durability: AuditDurability;
}

type ServerEntry =
  | { command: string; args: string[]; cwd?: string; env?: Record<string, string> }
  | { url: string; headers?: Record<string, string>; allowInsecureHttp?: boolean };

function serverEntry(s: ServerDefinition): ServerEntry {
  if (isHttpDefinition(s)) {
    // The bearer token goes in as the header it becomes: the file is the person's own (mode 0600).
    const headers = { ...s.headers, ...(s.bearerToken !== undefined && { Authorization: `Bearer ${s.bearerToken}` }) };
    return {
      url: s.url,
      ...(Object.keys(headers).length > 0 && { headers }),
      ...(s.allowInsecureHttp === true && { allowInsecureHttp: true }),
    };
  }
  return {
    command: s.command,
    args: [...s.args],
    ...(s.cwd !== undefined && { cwd: s.cwd }),
    ...(s.env !== undefined && Object.keys(s.env).length > 0 && { env: { ...s.env } }),
  };
}

/** The file's content: the JSON object `src/gateway/config.ts` accepts. */
export function gatewayConfigObject(input: GatewayConfigInput, files: GatewayFiles): object {
  const servers: Record<string, ServerEntry> = {};
  for (const s of input.servers) servers[s.id] = serverEntry(s);
  const serverIds = new Set(input.servers.map((s) => s.id));
  return {
    servers,
    policy: { rules: [...input.rules] },
    approvals: input.approvals.filter((key) => serverIds.has(key.split('/')[0] ?? '')),
    audit: { dir: files.auditDir, keyFile: files.auditKeyFile, durability: input.durability },
    // The file is rewritten from the settings: a refusal names them, not the file.
    policySources: { userRules: EXTENSION_POLICY_SOURCES.userRules, approvals: EXTENSION_POLICY_SOURCES.approvals },
  };
}

export interface WrittenConfig {
  readonly file: string;
  /** A digest of the content: changes whenever what the gateway would host or allow changes. */
  readonly version: string;
  /**
   * A digest of what the gateway reads only when it starts (its audit settings). Servers, rules
   * and approvals it applies from the file while running.
   */
  readonly restartVersion: string;
  /** Whether this write changed the file. */
  readonly changed: boolean;
  /** The ids of the servers it names. */
  readonly serverIds: readonly string[];
}

/** Writes the configuration unless the file already holds exactly this content. */
export async function writeGatewayConfig(input: GatewayConfigInput, files: GatewayFiles): Promise<WrittenConfig> {
  const text = `${JSON.stringify(gatewayConfigObject(input, files), null, 2)}\n`;
  const version = createHash('sha256').update(text).digest('hex').slice(0, 16);
  const restartVersion = createHash('sha256')
    .update(JSON.stringify([files.auditDir, files.auditKeyFile, input.durability]))
    .digest('hex')
    .slice(0, 16);
  const serverIds = input.servers.map((s) => s.id);
  const current = await readIfPresent(files.config);
  if (current === text) return { file: files.config, version, restartVersion, changed: false, serverIds };
  await fsp.mkdir(path.dirname(files.config), { recursive: true });
  const temporary = `${files.config}.${process.pid}.tmp`;
  await fsp.writeFile(temporary, text, { mode: 0o600 });
  await fsp.rename(temporary, files.config);
  return { file: files.config, version, restartVersion, changed: true, serverIds };
}

async function readIfPresent(file: string): Promise<string | undefined> {
  try {
    return await fsp.readFile(file, 'utf8');
  } catch (error) {
    if (error instanceof Error && 'code' in error && error.code === 'ENOENT') return undefined;
    throw error;
  }
}
