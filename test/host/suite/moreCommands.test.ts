import * as assert from 'assert';
import * as os from 'os';
import * as path from 'path';
import * as vscode from 'vscode';
import type { WardenApi } from '../../../src/vscode/api';
import { answerQuickPick } from './quickPick';
import { serverState, textOf, warden } from './wardenApi';

const FIXTURE = path.resolve(__dirname, '../../fixtures/servers/misbehaving.js');
const none = new vscode.CancellationTokenSource().token;

function invoke(name: string, input: object): Promise<vscode.LanguageModelToolResult> {
  return Promise.resolve(vscode.lm.invokeTool(name, { input, toolInvocationToken: undefined }, none));
}

function nextConfirmation(api: WardenApi): Promise<{ server: string; tool: string }> {
  return new Promise((resolve) => {
    const subscription = api.onDidAskToConfirm((asked) => {
      subscription.dispose();
      resolve(asked);
    });
  });
}

/** Resolves once `predicate` holds for the server's tools, waiting on Warden's change events. */
function toolsOf(api: WardenApi, id: string, predicate: (tools: ReturnType<WardenApi['serverTools']>) => boolean): Promise<void> {
  return new Promise((resolve) => {
    if (predicate(api.serverTools(id))) return resolve();
    const subscription = api.onDidChangeServers(() => {
      if (predicate(api.serverTools(id))) {
        subscription.dispose();
        resolve();
      }
    });
  });
}

/** The output documents VS Code has open, by name. */
function outputDocuments(): string[] {
  return vscode.workspace.textDocuments.filter((d) => d.uri.scheme === 'output').map((d) => decodeURIComponent(d.uri.toString()));
}

describe('more Warden commands, run as from the palette', () => {
  let api: WardenApi;
  const config = (): vscode.WorkspaceConfiguration => vscode.workspace.getConfiguration('warden');
  const launch = (args: string[]) => ({ command: process.execPath, args: [FIXTURE, ...args], env: { ELECTRON_RUN_AS_NODE: '1' } });

  before(async () => {
    api = await warden();
    await serverState(api, 'fs', (s) => s.kind === 'running');
  });

  afterEach(async () => {
    await config().update('policy.rules', undefined, vscode.ConfigurationTarget.Global);
  });

  after(async () => {
    await config().update('servers', undefined, vscode.ConfigurationTarget.Global);
  });

  it('shows a server\'s log', async () => {
    // The channel is named after the server's label; its document opens when the channel is shown.
    const isFsLog = (name: string): boolean => /Warden Filesystem/.test(name);
    const opened = outputDocuments().some(isFsLog)
      ? Promise.resolve()
      : new Promise<void>((resolve) => {
          const subscription = vscode.workspace.onDidOpenTextDocument((document) => {
            if (document.uri.scheme === 'output' && isFsLog(decodeURIComponent(document.uri.toString()))) {
              subscription.dispose();
              resolve();
            }
          });
        });
    await vscode.commands.executeCommand('warden.showServerLog', 'fs');
    await opened;
    assert.ok(outputDocuments().some(isFsLog), `open output documents: ${outputDocuments().join(', ')}`);
  });

  it('revokes a remembered approval, so the next call asks again', async () => {
    await config().update('policy.rules', [{ id: 'ask-first', server: 'fs', tool: 'list_dir', effect: 'confirm' }, { server: 'fs', effect: 'allow' }], vscode.ConfigurationTarget.Global);
    // Moving down once or twice (the list may have no active item yet) lands on "Allow for this
    // session" or "Allow in this workspace", both remembered; "Allow once" (picked when the pick
    // opened between the commands) is not, and then the call is made again.
    for (let attempt = 0; attempt < 5 && !api.approvals().some((a) => a.key === 'fs/list_dir'); attempt++) {
      const asked = nextConfirmation(api);
      const call = invoke('warden_fs_list_dir', { path: 'docs' });
      await asked;
      await answerQuickPick(call, ['quickInput.next', 'quickInput.next', 'workbench.action.acceptSelectedQuickOpenItem']);
      assert.match(textOf(await call), /guide\.md/);
    }
    const approval = api.approvals().find((a) => a.key === 'fs/list_dir');
    assert.ok(approval, `no approval was remembered: ${JSON.stringify(api.approvals())}`);

    await vscode.commands.executeCommand('warden.revokeApproval', { approval });
    assert.deepStrictEqual(api.approvals().filter((a) => a.key === 'fs/list_dir'), [], 'the approval is gone');
    const asked = nextConfirmation(api);
    const call = invoke('warden_fs_list_dir', { path: 'docs' });
    assert.deepStrictEqual(await asked, { server: 'fs', tool: 'list_dir' }, 'the next call asks again');
    await answerQuickPick(call, 'workbench.action.closeQuickOpen');
    await assert.rejects(call, /was not confirmed/);
  });

  it('reviews and approves a tool whose definition changed', async () => {
    const id = 'review-echo';
    await config().update('servers', { [id]: launch([]) }, vscode.ConfigurationTarget.Global);
    assert.strictEqual(await vscode.commands.executeCommand<boolean>('warden.reviewServerCommand', { id, approve: true }), true);
    const state = await serverState(api, id, (s) => s.kind === 'running' || s.kind === 'error');
    assert.strictEqual(state.kind, 'running', JSON.stringify(state));
    await config().update('policy.rules', [{ server: id, caller: 'copilot', effect: 'allow' }], vscode.ConfigurationTarget.Global);
    const call = (tool: string, args: object): Promise<vscode.LanguageModelToolResult> => {
      const running = invoke('warden_call_tool', { server: id, tool, arguments: args });
      // The server is not trusted, so each call asks first: allow it once.
      void answerQuickPick(running, 'workbench.action.acceptSelectedQuickOpenItem');
      return running;
    };

    const changed = 'Returns its text, and now something else.';
    await call('mutate', { description: changed });
    await toolsOf(api, id, (tools) => tools.some((t) => t.name === 'echo' && t.description === changed));
    await assert.rejects(call('echo', { text: 'held' }), /definition of tool "echo" of server "review-echo" changed/);

    await vscode.commands.executeCommand('warden.reviewTool', { serverId: id, tool: 'echo', approve: true });
    const shown = vscode.window.activeTextEditor?.document.uri.path ?? '';
    assert.match(shown, /review-echo\.echo\.current\.json$/, 'the review shows the new definition beside the approved one');
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
    assert.strictEqual(textOf(await call('echo', { text: 'approved again' })), 'approved again');
  });

  it('forgets a server\'s secrets, so it asks for them again', async () => {
    const id = 'secret-echo';
    // Its folder does not exist, so once the secret is entered it stops there, before any modal.
    const missing = path.join(os.tmpdir(), `warden-no-such-folder-${process.pid}`);
    await config().update('servers', { [id]: { ...launch([]), cwd: missing, env: { ELECTRON_RUN_AS_NODE: '1', WARDEN_TOKEN: '${input:token}' } } }, vscode.ConfigurationTarget.Global);
    // Warden asks for the secret by itself once the setting names the server; the review asks too,
    // and whichever box is shown last is answered. Forgetting finds the secret once one was entered.
    let forgotten = 0;
    for (let attempt = 0; attempt < 5 && forgotten === 0; attempt++) {
      const reviewed = Promise.resolve(vscode.commands.executeCommand<boolean>('warden.reviewServerCommand', { id }));
      await answerQuickPick(reviewed, 'workbench.action.acceptSelectedQuickOpenItem');
      assert.strictEqual(await reviewed, false, 'it cannot start: its folder is missing');
      forgotten = (await vscode.commands.executeCommand<number>('warden.forgetServerSecrets', { id })) ?? 0;
    }
    assert.strictEqual(forgotten, 1, 'the entered secret was forgotten');
    assert.strictEqual(await vscode.commands.executeCommand<number>('warden.forgetServerSecrets', { id }), 0, 'nothing left to forget');
    // Approving without questions is refused while a secret is missing.
    assert.strictEqual(await vscode.commands.executeCommand<boolean>('warden.reviewServerCommand', { id, approve: true }), false);
  });
});
