import * as assert from 'assert';
import * as path from 'path';
import * as vscode from 'vscode';
import type { WardenApi } from '../../../src/vscode/api';
import { answerQuickPick } from './quickPick';
import { serverState, textOf, warden } from './wardenApi';

const FIXTURE = path.resolve(__dirname, '../../fixtures/servers/misbehaving.js');
const ID = 'third-party';
const none = new vscode.CancellationTokenSource().token;

function invoke(name: string, input: object): Promise<vscode.LanguageModelToolResult> {
  return Promise.resolve(vscode.lm.invokeTool(name, { input, toolInvocationToken: undefined }, none));
}

describe('third-party tools in language-model chat, through the gate', () => {
  let api: WardenApi;
  const config = (): vscode.WorkspaceConfiguration => vscode.workspace.getConfiguration('warden');

  before(async () => {
    api = await warden();
    await config().update('servers', { [ID]: { command: process.execPath, args: [FIXTURE], env: { ELECTRON_RUN_AS_NODE: '1' } } }, vscode.ConfigurationTarget.Global);
    assert.strictEqual(await vscode.commands.executeCommand<boolean>('warden.reviewServerCommand', { id: ID, approve: true }), true);
    const state = await serverState(api, ID, (s) => s.kind === 'running' || s.kind === 'error');
    assert.strictEqual(state.kind, 'running', JSON.stringify(state));
  });

  after(async () => {
    await config().update('policy.rules', undefined, vscode.ConfigurationTarget.Global);
    await config().update('servers', undefined, vscode.ConfigurationTarget.Global);
  });

  it('lists no tool of a server the policy does not allow, and refuses a call to it by name', async () => {
    assert.doesNotMatch(textOf(await invoke('warden_list_tools', { server: ID })), /"tool": "echo"/);
    await assert.rejects(invoke('warden_call_tool', { server: ID, tool: 'echo', arguments: { text: 'hi' } }), /No policy rule allows copilot to call third-party\.echo/);
  });

  it('lists and calls an allowed tool, asking first because the server is not trusted', async () => {
    await config().update('policy.rules', [{ server: ID, caller: 'copilot', effect: 'allow' }], vscode.ConfigurationTarget.Global);
    const listed = textOf(await invoke('warden_list_tools', { server: ID }));
    assert.match(listed, /"tool": "echo"/);
    assert.match(listed, /"asksFirst"/);
    const call = invoke('warden_call_tool', { server: ID, tool: 'echo', arguments: { text: 'through the gate' } });
    await answerQuickPick(call, 'workbench.action.acceptSelectedQuickOpenItem');
    assert.strictEqual(textOf(await call), 'through the gate');
    const [last] = await api.recentAuditCalls(1);
    assert.deepStrictEqual([last?.caller, last?.server, last?.tool, last?.status], ['copilot', ID, 'echo', 'ok']);
  });

  it('checks the arguments against the named tool\'s own schema', async () => {
    await config().update('policy.rules', [{ server: ID, caller: 'copilot', effect: 'allow' }], vscode.ConfigurationTarget.Global);
    await assert.rejects(invoke('warden_call_tool', { server: ID, tool: 'echo', arguments: { text: 5 } }), /field "text" must be string/);
  });
});
