import * as assert from 'assert';
import * as vscode from 'vscode';
import type { AuditCall } from '../../../src/core/audit/history';
import type { WardenApi } from '../../../src/vscode/api';
import { serverState, textOf, warden } from './wardenApi';

const none = new vscode.CancellationTokenSource().token;

function invoke(name: string, input: object): Thenable<vscode.LanguageModelToolResult> {
  return vscode.lm.invokeTool(name, { input, toolInvocationToken: undefined }, none);
}

/** The newest calls in the audit log, oldest of them first. */
async function newestCalls(api: WardenApi, count: number): Promise<AuditCall[]> {
  return [...(await api.recentAuditCalls(count))].reverse();
}

describe('the built-in filesystem server in VS Code', () => {
  let api: WardenApi;

  before(async () => {
    api = await warden();
    await serverState(api, 'fs', (s) => s.kind === 'running');
  });

  it('offers its tools to language models through vscode.lm.tools', () => {
    const names = vscode.lm.tools.map((t) => t.name);
    assert.ok(names.includes('warden_fs_read_text'), `warden_fs_read_text missing from ${names.join(', ')}`);
    assert.ok(names.includes('warden_fs_list_dir'), `warden_fs_list_dir missing from ${names.join(', ')}`);
    const readText = vscode.lm.tools.find((t) => t.name === 'warden_fs_read_text');
    assert.deepStrictEqual((readText?.inputSchema as { required?: string[] } | undefined)?.required, ['path']);
  });

  it('reads a workspace file through vscode.lm.invokeTool', async () => {
    const result = await invoke('warden_fs_read_text', { path: 'README.md' });
    const text = textOf(result);
    assert.match(text, /# Acme Shop \(Warden demo workspace\)/);
  });

  it('lists a nested folder through vscode.lm.invokeTool', async () => {
    const text = textOf(await invoke('warden_fs_list_dir', { path: 'src' }));
    assert.match(text, /app\.ts/);
    assert.match(text, /util/);
  });

  it('refuses a symlink that leaves the workspace, with a clear error', async () => {
    await assert.rejects(Promise.resolve(invoke('warden_fs_read_text', { path: 'outside-link' })), (error: Error) => {
      assert.match(error.message, /outside/i);
      assert.doesNotMatch(error.message, /root:x:0:0/, 'no content from outside may leak');
      return true;
    });
  });

  it('refuses a path that climbs out of the workspace, with a clear error', async () => {
    await assert.rejects(Promise.resolve(invoke('warden_fs_read_text', { path: '../../../../etc/passwd' })), /outside/i);
  });

  it('writes one audit record per call, with the caller and the outcome', async () => {
    await invoke('warden_fs_read_text', { path: 'docs/guide.md' });
    await assert.rejects(Promise.resolve(invoke('warden_fs_read_text', { path: 'outside-link' })));
    const added = await newestCalls(api, 2);
    assert.deepStrictEqual(
      added.map((r) => [r.caller, r.server, r.tool, r.status]),
      [
        ['copilot', 'fs', 'read_text', 'ok'],
        ['copilot', 'fs', 'read_text', 'tool-error'],
      ],
    );
    assert.match(added[0]!.started?.argsSha256 ?? '', /^[0-9a-f]{64}$/);
    assert.notStrictEqual(added[0]!.id, added[1]!.id);
  });

  it('restarts the server with "Warden: Restart Server" into a new process', async () => {
    const before = api.serverState('fs');
    assert.ok(before?.kind === 'running' && before.pid !== undefined);
    await vscode.commands.executeCommand('warden.restartServer', 'fs');
    const after = await serverState(api, 'fs', (s) => s.kind === 'running');
    assert.ok(after.kind === 'running');
    assert.notStrictEqual(after.pid, before.pid);
    const text = textOf(await invoke('warden_fs_read_text', { path: 'src/util/format.ts' }));
    assert.match(text, /export function formatMoney/);
  });

  it('runs a tool from "Warden: Run Tool…" and opens the result read-only', async () => {
    await vscode.commands.executeCommand('warden.runTool', { server: 'fs', tool: 'list_dir', args: { path: 'docs' } });
    const editor = vscode.window.activeTextEditor;
    assert.ok(editor, 'a result editor is open');
    assert.strictEqual(editor.document.uri.scheme, 'warden-result');
    const text = editor.document.getText();
    assert.match(text, /# fs\.list_dir succeeded/);
    assert.match(text, /guide\.md/);
    assert.match(text, /Audit id: [0-9a-f-]{36}/);
    const last = (await newestCalls(api, 1))[0];
    assert.strictEqual(last?.caller, 'palette');
    assert.strictEqual(last?.tool, 'list_dir');
  });
});
