import * as assert from 'assert';
import * as vscode from 'vscode';
import type { WardenApi } from '../../../src/vscode/api';
import { serverState, textOf, warden } from './wardenApi';

const none = new vscode.CancellationTokenSource().token;

function invoke(name: string, input: object): Promise<vscode.LanguageModelToolResult> {
  return Promise.resolve(vscode.lm.invokeTool(name, { input, toolInvocationToken: undefined }, none));
}

describe('Warden commands, run as from the palette', () => {
  let api: WardenApi;

  before(async () => {
    api = await warden();
    await serverState(api, 'fs', (s) => s.kind === 'running');
  });

  it('stops and starts a server', async () => {
    await vscode.commands.executeCommand('warden.stopServer', 'fs');
    assert.strictEqual(api.serverState('fs')?.kind, 'stopped');
    await assert.rejects(invoke('warden_fs_read_text', { path: 'README.md' }), /not running|no tool/i);
    await vscode.commands.executeCommand('warden.startServer', 'fs');
    assert.strictEqual(api.serverState('fs')?.kind, 'running');
    assert.match(textOf(await invoke('warden_fs_read_text', { path: 'README.md' })), /Acme Shop/);
  });

  it('disables a tool for every caller, and enables it again', async () => {
    await vscode.commands.executeCommand('warden.disableTool', { serverId: 'fs', tool: 'list_dir' });
    try {
      assert.deepStrictEqual(vscode.workspace.getConfiguration('warden').get('disabledTools'), ['fs.list_dir']);
      await assert.rejects(invoke('warden_fs_list_dir', { path: 'src' }), /Denied by rule "disabled:fs\.list_dir" \(switched off in the Warden view/);
    } finally {
      await vscode.commands.executeCommand('warden.enableTool', { serverId: 'fs', tool: 'list_dir' });
    }
    assert.deepStrictEqual(vscode.workspace.getConfiguration('warden').get('disabledTools'), []);
    assert.match(textOf(await invoke('warden_fs_list_dir', { path: 'src' })), /app\.ts/);
  });

  it('shows metrics for the tools that were called', async () => {
    await invoke('warden_fs_read_text', { path: 'docs/guide.md' });
    await vscode.commands.executeCommand('warden.showMetrics');
    const text = vscode.window.activeTextEditor?.document.getText() ?? '';
    assert.match(text, /# Warden tool metrics/);
    assert.match(text, /\| fs\.read_text \| \d+ \| [\d.]+ \|/);
  });

  it('creates and opens the workspace policy file', async () => {
    await vscode.commands.executeCommand('warden.openWorkspacePolicy');
    const document = vscode.window.activeTextEditor?.document;
    assert.ok(document, 'an editor is open');
    assert.ok(document.uri.path.endsWith('/.vscode/warden.json'), document.uri.path);
    assert.match(document.getText(), /"rules": \[/);
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
    await vscode.workspace.fs.delete(document.uri);
  });
});
