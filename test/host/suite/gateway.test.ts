import * as assert from 'assert';
import { existsSync, readFileSync } from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import type { WardenApi } from '../../../src/vscode/api';
import { McpStdioClient } from './mcpStdioClient';
import { serverState, warden } from './wardenApi';

const FIXTURE = path.resolve(__dirname, '../../fixtures/servers/misbehaving.js');
const APPROVED = 'gw-echo';
const UNAPPROVED = 'gw-unapproved';
const none = new vscode.CancellationTokenSource().token;

interface GatewayConfigFile {
  servers: Record<string, { command: string; args: string[] }>;
  policy: { rules: unknown[] };
  approvals: string[];
  audit: { dir: string; keyFile: string };
}

function readConfig(file: string): GatewayConfigFile {
  assert.ok(existsSync(file), `the gateway configuration ${file} does not exist`);
  return JSON.parse(readFileSync(file, 'utf8')) as GatewayConfigFile;
}

/** The value following `--config` in a gateway's arguments. */
function configArg(args: readonly string[]): string {
  const at = args.indexOf('--config');
  assert.ok(at >= 0 && args[at + 1], `no --config in ${JSON.stringify(args)}`);
  return args[at + 1]!;
}

function nextChange(api: WardenApi): Promise<void> {
  const event = api.gatewayMcpProvider.onDidChangeMcpServerDefinitions;
  assert.ok(event, 'the provider has a change event');
  return new Promise((resolve) => {
    const subscription = event(() => {
      subscription.dispose();
      resolve();
    });
  });
}

describe('the gateway offered to MCP clients', () => {
  let api: WardenApi;
  const config = (): vscode.WorkspaceConfiguration => vscode.workspace.getConfiguration('warden');
  const launch = { command: process.execPath, args: [FIXTURE], env: { ELECTRON_RUN_AS_NODE: '1' } };

  before(async () => {
    api = await warden();
    await config().update('servers', { [APPROVED]: launch, [UNAPPROVED]: { ...launch, args: [FIXTURE, '--ignore-ping'] } }, vscode.ConfigurationTarget.Global);
    assert.strictEqual(await vscode.commands.executeCommand<boolean>('warden.reviewServerCommand', { id: APPROVED, approve: true }), true);
    const state = await serverState(api, APPROVED, (s) => s.kind === 'running' || s.kind === 'error');
    assert.strictEqual(state.kind, 'running', JSON.stringify(state));
  });

  after(async () => {
    await config().update('policy.rules', undefined, vscode.ConfigurationTarget.Global);
    await config().update('servers', undefined, vscode.ConfigurationTarget.Global);
  });

  it('offers VS Code a gateway whose configuration names the approved servers only', async () => {
    const definitions = (await api.gatewayMcpProvider.provideMcpServerDefinitions(none)) ?? [];
    assert.strictEqual(definitions.length, 1, JSON.stringify(definitions));
    const [definition] = definitions;
    assert.ok(definition instanceof vscode.McpStdioServerDefinition, 'a stdio definition');
    assert.strictEqual(definition.label, 'Warden Gateway');
    assert.strictEqual(definition.command, process.execPath);
    assert.ok(definition.args[0]?.endsWith(path.join('dist', 'gateway.js')) && existsSync(definition.args[0]), `the gateway script ${definition.args[0]} exists`);
    assert.ok(definition.args.includes('--stdio'));
    const written = readConfig(configArg(definition.args));
    assert.deepStrictEqual(Object.keys(written.servers), [APPROVED], 'only the approved server');
    assert.deepStrictEqual(written.servers[APPROVED]?.args, [FIXTURE]);
    // The gateway writes an audit log of its own, never the window's (an audit log has one writer).
    assert.notStrictEqual(path.resolve(written.audit.dir), path.resolve(api.auditLogDirectory));
    assert.ok(definition.version, 'the definition has a version');
  });

  it('resolves to a gateway that serves the approved server\'s tools as <server>__<tool> with their schemas, through the gate', async () => {
    await config().update('policy.rules', [{ id: 'gateway-echo', server: APPROVED, caller: 'gateway:*', effect: 'allow' }], vscode.ConfigurationTarget.Global);
    const [offered] = (await api.gatewayMcpProvider.provideMcpServerDefinitions(none)) ?? [];
    assert.ok(offered, 'a definition is offered');
    const resolved = await api.gatewayMcpProvider.resolveMcpServerDefinition?.(offered, none);
    assert.ok(resolved, 'the definition resolves');
    const file = configArg(resolved.args);
    assert.deepStrictEqual(readConfig(file).policy.rules, [{ id: 'gateway-echo', server: APPROVED, caller: 'gateway:*', effect: 'allow' }]);

    const client = McpStdioClient.start(resolved.command, resolved.args, resolved.env);
    try {
      await client.initialize('warden-host-test');
      const { tools } = (await client.request('tools/list', {})) as { tools: { name: string; inputSchema: unknown }[] };
      const echo = tools.find((t) => t.name === `${APPROVED}__echo`);
      assert.ok(echo, `${APPROVED}__echo not listed: ${tools.map((t) => t.name).join(', ')}; gateway log: ${client.stderr()}`);
      assert.deepStrictEqual(echo.inputSchema, { type: 'object', properties: { text: { type: 'string' } }, required: ['text'] });
      assert.ok(!tools.some((t) => t.name.startsWith(`${UNAPPROVED}__`)), 'no tool of the unapproved server');
      // The server is not trusted: its calls need a confirmation nobody can give at the gateway.
      const refused = (await client.request('tools/call', { name: `${APPROVED}__echo`, arguments: { text: 'hi' } })) as { isError?: boolean; content: { text?: string }[] };
      assert.strictEqual(refused.isError, true, JSON.stringify(refused));
      // It says what to do in VS Code, not in the generated file, which is rewritten from the settings.
      assert.match(refused.content.map((c) => c.text ?? '').join(''), new RegExp(`cannot ask a person to confirm\\. To let it run without asking, allow ${APPROVED}/echo with "Warden: Always Allow a Tool for Models…" in VS Code`));
    } finally {
      assert.strictEqual(await client.close(), 0, `the gateway ended badly: ${client.stderr()}`);
    }
    assert.ok(existsSync(readConfig(file).audit.dir), 'the gateway wrote its audit log');
  });

  it('tells VS Code when there comes to be a gateway to offer or none, and not for what the gateway applies itself', async () => {
    const changed = nextChange(api);
    await config().update('servers', { [UNAPPROVED]: { ...launch, args: [FIXTURE, '--ignore-ping'] } }, vscode.ConfigurationTarget.Global);
    await changed;
    assert.deepStrictEqual(await api.gatewayMcpProvider.provideMcpServerDefinitions(none), [], 'no approved server left: nothing offered');
    const back = nextChange(api);
    await config().update('servers', { [APPROVED]: launch }, vscode.ConfigurationTarget.Global);
    await back;
    const [definition] = (await api.gatewayMcpProvider.provideMcpServerDefinitions(none)) ?? [];
    assert.ok(definition, 'offered again once an approved server is configured');
    assert.deepStrictEqual(Object.keys(readConfig(configArg(definition.args)).servers), [APPROVED]);

    // A policy change is written for the running gateway to apply; VS Code need not restart it.
    const rule = { id: 'gateway-echo-too', server: APPROVED, tool: 'echo', caller: 'gateway:*', effect: 'allow' };
    await config().update('policy.rules', [...(config().get<unknown[]>('policy.rules') ?? []), rule], vscode.ConfigurationTarget.Global);
    await api.gatewayMcpProvider.refresh();
    assert.deepStrictEqual(readConfig(configArg(definition.args)).policy.rules.at(-1), rule);
    const [after] = (await api.gatewayMcpProvider.provideMcpServerDefinitions(none)) ?? [];
    assert.strictEqual(after?.version, definition.version, 'the same gateway definition: VS Code keeps it running');
  });

  it('copies the gateway entry for Claude Desktop and CLI agents to the clipboard', async () => {
    const returned = await vscode.commands.executeCommand<string>('warden.copyGatewayConfig', { open: false });
    const text = await vscode.env.clipboard.readText();
    assert.strictEqual(text, returned);
    const snippet = JSON.parse(text) as { mcpServers: Record<string, { command: string; args: string[] }> };
    const entry = snippet.mcpServers.warden;
    assert.ok(entry, `no "warden" entry: ${text}`);
    assert.strictEqual(entry.command, 'node');
    assert.ok(existsSync(entry.args[0]!) && entry.args[0]!.endsWith(path.join('dist', 'gateway.js')), `the gateway script ${entry.args[0]} exists`);
    assert.strictEqual(entry.args[1], '--stdio');
    const external = configArg(entry.args);
    assert.deepStrictEqual(Object.keys(readConfig(external).servers), [APPROVED], 'the approved user server');
    // Its own audit folder: a gateway VS Code starts and one Claude Desktop starts can run at once.
    const [windowDefinition] = (await api.gatewayMcpProvider.provideMcpServerDefinitions(none)) ?? [];
    assert.ok(windowDefinition);
    assert.notStrictEqual(readConfig(external).audit.dir, readConfig(configArg(windowDefinition.args)).audit.dir);
  });
});
