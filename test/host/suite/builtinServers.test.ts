import * as assert from 'assert';
import { createHash } from 'crypto';
import { readFileSync } from 'fs';
import * as http from 'http';
import type { AddressInfo } from 'net';
import * as path from 'path';
import * as vscode from 'vscode';
import type { WardenApi } from '../../../src/vscode/api';
import { answerQuickPick } from './quickPick';
import { serverState, textOf, warden } from './wardenApi';

const none = new vscode.CancellationTokenSource().token;

function invoke(name: string, input: object): Promise<vscode.LanguageModelToolResult> {
  return Promise.resolve(vscode.lm.invokeTool(name, { input, toolInvocationToken: undefined }, none));
}

describe('the built-in SQLite and fetch servers in VS Code', () => {
  let api: WardenApi;

  before(async () => {
    api = await warden();
    const state = await serverState(api, 'sqlite', (s) => s.kind === 'running' || s.kind === 'error' || s.kind === 'restarting');
    assert.strictEqual(state.kind, 'running', `the SQLite server is not running: ${JSON.stringify(state)}`);
  });

  it('queries the demo database read-only through vscode.lm.invokeTool', async () => {
    const folder = vscode.workspace.workspaceFolders![0]!.uri.fsPath;
    const file = path.join(folder, 'data', 'shop.sqlite');
    const before = createHash('sha256').update(readFileSync(file)).digest('hex');
    const text = textOf(await invoke('warden_sqlite_query', { sql: "SELECT name FROM customers WHERE country = 'US' ORDER BY name" }));
    assert.match(text, /Grace Hopper/);
    assert.match(text, /Katherine Johnson/);
    await assert.rejects(invoke('warden_sqlite_query', { sql: 'DELETE FROM orders' }), /read-only|not allowed|refused/i);
    assert.strictEqual(createHash('sha256').update(readFileSync(file)).digest('hex'), before, 'the database file is unchanged');
  });

  it('fetches from an allowed local host after the person confirms', async () => {
    const page = http.createServer((_request, response) => {
      response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      response.end('<html><body><h1>Order status</h1><p>All systems nominal.</p><script>evil()</script></body></html>');
    });
    await new Promise<void>((resolve) => page.listen(0, '127.0.0.1', () => resolve()));
    const port = (page.address() as AddressInfo).port;
    const config = vscode.workspace.getConfiguration('warden');
    try {
      // The host last: a server whose instructions name it was started with all three settings.
      await config.update('http.allowPrivateNetworks', true, vscode.ConfigurationTarget.Global);
      await config.update('http.allowedPorts', [port], vscode.ConfigurationTarget.Global);
      await config.update('http.allowedHosts', ['127.0.0.1'], vscode.ConfigurationTarget.Global);
      await serverState(api, 'http', (s) => s.kind === 'running' && s.session.instructions?.includes('127.0.0.1') === true);
      const call = invoke('warden_http_fetch', { url: `http://127.0.0.1:${port}/status` });
      await answerQuickPick(call, 'workbench.action.acceptSelectedQuickOpenItem');
      const text = textOf(await call);
      assert.match(text, /Order status/);
      assert.match(text, /All systems nominal\./);
      assert.doesNotMatch(text, /evil\(\)/, 'scripts are dropped');
    } finally {
      await config.update('http.allowPrivateNetworks', undefined, vscode.ConfigurationTarget.Global);
      await config.update('http.allowedPorts', undefined, vscode.ConfigurationTarget.Global);
      await config.update('http.allowedHosts', undefined, vscode.ConfigurationTarget.Global);
      page.close();
    }
  });

  it('refuses to fetch from a host nobody allowed', async () => {
    await serverState(api, 'http', (s) => s.kind === 'running' && s.session.instructions?.includes('no host is allowed') === true);
    const call = invoke('warden_http_fetch', { url: 'http://169.254.169.254/latest/meta-data/' });
    await answerQuickPick(call, 'workbench.action.acceptSelectedQuickOpenItem');
    await assert.rejects(call, /Refused: no host is allowed.*warden\.http\.allowedHosts/);
  });
});
