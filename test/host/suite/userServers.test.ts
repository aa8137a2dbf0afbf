import * as assert from 'assert';
import { spawn } from 'child_process';
import { rmSync, writeFileSync } from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import type { WardenApi } from '../../../src/vscode/api';
import { serverState, warden } from './wardenApi';

const FIXTURE = path.resolve(__dirname, '../../fixtures/servers/misbehaving.js');
const REMOTE_FIXTURE = path.resolve(__dirname, '../../fixtures/servers/remoteHttp.js');
const ID = 'user-echo';

/** Resolves once `predicate` holds for the hosted server ids, waiting on Warden's change events. */
function serverIds(api: WardenApi, predicate: (ids: string[]) => boolean): Promise<string[]> {
  return new Promise((resolve) => {
    if (predicate(api.serverIds())) return resolve(api.serverIds());
    const subscription = api.onDidChangeServers(() => {
      if (predicate(api.serverIds())) {
        subscription.dispose();
        resolve(api.serverIds());
      }
    });
  });
}

function review(id: string): Thenable<boolean> {
  return vscode.commands.executeCommand<boolean>('warden.reviewServerCommand', { id, approve: true });
}

describe('the user\'s own servers from warden.servers', () => {
  let api: WardenApi;
  const config = (): vscode.WorkspaceConfiguration => vscode.workspace.getConfiguration('warden');
  const importFile = path.join(vscode.workspace.workspaceFolders![0]!.uri.fsPath, 'warden-import-mcp.json');
  const launch = (args: string[]) => ({ command: process.execPath, args: [FIXTURE, ...args], env: { ELECTRON_RUN_AS_NODE: '1' } });

  before(async () => {
    api = await warden();
  });

  after(async () => {
    await config().update('servers', undefined, vscode.ConfigurationTarget.Global);
    await serverIds(api, (ids) => !ids.includes(ID) && !ids.includes('imported-echo') && !ids.includes('remote-echo'));
    rmSync(importFile, { force: true });
  });

  it('starts a configured server once its command line is approved, and asks again when it changes', async () => {
    await config().update('servers', { [ID]: launch([]) }, vscode.ConfigurationTarget.Global);
    assert.strictEqual(await review(ID), true);
    const state = await serverState(api, ID, (s) => s.kind === 'running' || s.kind === 'error');
    assert.strictEqual(state.kind, 'running', `the user server is not running: ${JSON.stringify(state)}`);
    assert.ok(api.serverTools(ID).some((t) => t.name === 'echo'), 'its tools are listed');

    // A different launch is a different approval: the server is left out until it is approved.
    await config().update('servers', { [ID]: launch(['--ignore-ping']) }, vscode.ConfigurationTarget.Global);
    await serverIds(api, (ids) => !ids.includes(ID));
    assert.strictEqual(await review(ID), true);
    const again = await serverState(api, ID, (s) => s.kind === 'running' || s.kind === 'error');
    assert.strictEqual(again.kind, 'running', `the changed server is not running: ${JSON.stringify(again)}`);
  });

  it('refuses to review a server that is not configured', async () => {
    assert.strictEqual(await review('no-such-server'), false);
  });

  it('connects to a remote server once its URL is approved, and lists its tools', async () => {
    const child = spawn(process.execPath, [REMOTE_FIXTURE], { env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' }, stdio: ['ignore', 'pipe', 'inherit'] });
    try {
      const port = await new Promise<number>((resolve, reject) => {
        let out = '';
        child.stdout!.on('data', (chunk: Buffer) => {
          out += chunk.toString('utf8');
          const match = /listening (\d+)/.exec(out);
          if (match) resolve(Number(match[1]));
        });
        child.once('exit', (code) => reject(new Error(`the remote fixture exited with ${code}`)));
      });
      const previous = config().inspect<Record<string, unknown>>('servers')?.globalValue;
      await config().update('servers', { ...previous, 'remote-echo': { type: 'http', url: `http://127.0.0.1:${port}/mcp`, headers: { 'X-Team': 'blue' } } }, vscode.ConfigurationTarget.Global);
      assert.strictEqual(await review('remote-echo'), true);
      const state = await serverState(api, 'remote-echo', (s) => s.kind === 'running' || s.kind === 'error');
      assert.strictEqual(state.kind, 'running', `the remote server is not running: ${JSON.stringify(state)}`);
      assert.ok(api.serverTools('remote-echo').some((t) => t.name === 'echo'), 'its tools are listed');
      await config().update('servers', previous, vscode.ConfigurationTarget.Global);
      await serverIds(api, (ids) => !ids.includes('remote-echo'));
    } finally {
      child.kill();
    }
  });

  it('imports an mcp.json into the user settings, remote servers included', async () => {
    writeFileSync(
      importFile,
      JSON.stringify({
        inputs: [],
        servers: {
          'Imported Echo': { type: 'stdio', ...launch([]) },
          [ID]: launch(['--replaced']),
          remote: { type: 'http', url: 'http://127.0.0.1:9/mcp' },
        },
      }),
    );
    const summary = await vscode.commands.executeCommand<{ added: string[]; replaced: string[]; kept: string[]; notes: string[] }>(
      'warden.importServers',
      { path: importFile, overwrite: true },
    );
    assert.deepStrictEqual(summary.added, ['imported-echo', 'remote']);
    assert.deepStrictEqual(summary.replaced, [ID]);
    assert.deepStrictEqual(summary.kept, []);
    const servers = config().inspect<Record<string, { command: string; args: string[]; url?: string }>>('servers')?.globalValue;
    assert.deepStrictEqual(servers?.['imported-echo']?.args, [FIXTURE]);
    assert.deepStrictEqual(servers?.[ID]?.args, [FIXTURE, '--replaced']);
    assert.deepStrictEqual(servers?.remote, { type: 'http', url: 'http://127.0.0.1:9/mcp' });

    assert.strictEqual(await review('imported-echo'), true);
    const state = await serverState(api, 'imported-echo', (s) => s.kind === 'running' || s.kind === 'error');
    assert.strictEqual(state.kind, 'running', `the imported server is not running: ${JSON.stringify(state)}`);
  });
});
