import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { LOADED_MODULES_MARKER, type LoadedModules } from '../helpers/loadedModules';
import { projectRoot } from '../helpers/processes';

const probe = path.join(projectRoot, 'out/test/fixtures/loadedModules.js');
const server = (name: string) => path.join(projectRoot, `dist/servers/${name}.js`);

/** Built-ins a server needs only for some tool calls; each costs milliseconds of start-up to load. */
const LOADED_ON_USE = ['crypto', 'https', 'http', 'tls', 'dns', 'zlib', 'child_process'];

type Loaded = LoadedModules & { readonly builtins: readonly string[] };

/**
 * Starts a server with the probe preloaded, sends it `initialize`, `initialized`, `tools/list` and
 * then each of `calls` in turn (each answered before the next), closes its stdin, and returns the
 * answers to the calls and what the process had loaded when it exited.
 */
async function runServer(args: string[], calls: { name: string; arguments: object }[] = []): Promise<{ answers: unknown[]; loaded: Loaded }> {
  const child = spawn(process.execPath, ['--require', probe, ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (text: string) => (stderr += text));
  const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
  const pending = new Map<number, (message: { result?: unknown; error?: unknown }) => void>();
  let buffered = '';
  child.stdout.setEncoding('utf8').on('data', (text: string) => {
    buffered += text;
    for (let end = buffered.indexOf('\n'); end !== -1; end = buffered.indexOf('\n')) {
      const message = JSON.parse(buffered.slice(0, end)) as { id?: number; result?: unknown; error?: unknown };
      buffered = buffered.slice(end + 1);
      if (typeof message.id === 'number') pending.get(message.id)?.(message);
    }
  });
  let nextId = 1;
  const request = (method: string, params: object) =>
    new Promise<{ result?: unknown; error?: unknown }>((resolve) => {
      const id = nextId++;
      pending.set(id, resolve);
      child.stdin.write(`${JSON.stringify({ jsonrpc: '2.0', id, method, params })}\n`);
    });
  const init = await request('initialize', { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'startup-test', version: '0' } });
  assert.ok(init.result, `initialize failed: ${JSON.stringify(init.error)}; stderr: ${stderr}`);
  child.stdin.write(`${JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' })}\n`);
  const list = await request('tools/list', {});
  assert.ok(list.result, `tools/list failed: ${JSON.stringify(list.error)}`);
  const answers: unknown[] = [];
  for (const call of calls) answers.push(await request('tools/call', call));
  child.stdin.end();
  const code = await exited;
  assert.equal(code, 0, `the server exited with ${code}; stderr: ${stderr}`);
  const line = stderr.split('\n').find((l) => l.startsWith(LOADED_MODULES_MARKER));
  assert.ok(line, `the probe wrote no line; stderr: ${stderr}`);
  const loaded = JSON.parse(line.slice(LOADED_MODULES_MARKER.length)) as LoadedModules;
  assert.ok(loaded.builtins !== null, 'this Node does not expose process.moduleLoadList');
  return { answers, loaded: { builtins: loaded.builtins, files: loaded.files } };
}

function assertNotLoaded(loaded: Loaded, label: string): void {
  assert.deepEqual(LOADED_ON_USE.filter((name) => loaded.builtins.includes(name)), [], `${label} loaded these built-ins before any call needed them`);
  const compilers = loaded.files.filter((file) => /ajv-(2020|draft07)\.js$/.test(file));
  assert.deepEqual(compilers, [], `${label} loaded the schema compiler before any tool was called`);
}

describe('built-in servers start without what only their calls need', () => {
  let tmp = '';
  let page: http.Server;
  let pageUrl = '';

  before(async () => {
    tmp = fs.realpathSync.native(fs.mkdtempSync(path.join(os.tmpdir(), 'warden-startup-')));
    fs.writeFileSync(path.join(tmp, 'a.txt'), 'a\n');
    fs.writeFileSync(path.join(tmp, 'b.txt'), 'b\n');
    fs.writeFileSync(path.join(tmp, 'empty.db'), '');
    page = http.createServer((_req, res) => res.end('plain text\n'));
    await new Promise<void>((resolve) => page.listen(0, '127.0.0.1', resolve));
    pageUrl = `http://127.0.0.1:${(page.address() as AddressInfo).port}/`;
  });

  after(async () => {
    await new Promise((resolve) => page.close(resolve));
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('fs answers initialize and tools/list without crypto or the schema compiler, and loads them for find', async () => {
    const idle = await runServer([server('fs'), '--root', tmp]);
    assertNotLoaded(idle.loaded, 'the fs server');

    const { answers, loaded } = await runServer([server('fs'), '--root', tmp], [{ name: 'find', arguments: { pattern: '*.txt', limit: 1 } }]);
    const found = answers[0] as { result?: { structuredContent?: { nextCursor?: string } } };
    // A first page of one with more to come carries a cursor, which is keyed with SHA-256.
    assert.match(found.result?.structuredContent?.nextCursor ?? '', /.+/, `find gave no cursor: ${JSON.stringify(found)}`);
    assert.ok(loaded.builtins.includes('crypto'), 'find ran without loading crypto');
  });

  it('sqlite answers initialize and tools/list without crypto or the schema compiler', async () => {
    const { loaded } = await runServer([server('sqlite'), '--db', path.join(tmp, 'empty.db')]);
    assertNotLoaded(loaded, 'the sqlite server');
  });

  it('http answers initialize and tools/list without its network modules, and loads them for a fetch', async () => {
    const idle = await runServer([server('http'), '--allow', '127.0.0.1']);
    assertNotLoaded(idle.loaded, 'the http server');

    const port = new URL(pageUrl).port;
    const { answers, loaded } = await runServer([server('http'), '--allow', '127.0.0.1', '--allow-private', '--allow-port', port], [{ name: 'fetch', arguments: { url: pageUrl } }]);
    const fetched = answers[0] as { result?: { isError?: boolean; content?: { text?: string }[] } };
    assert.ok(fetched.result !== undefined && fetched.result.isError !== true, `the fetch failed: ${JSON.stringify(fetched)}`);
    assert.ok(fetched.result.content?.some((block) => block.text?.includes('plain text')), `the page is not in ${JSON.stringify(fetched)}`);
    assert.ok(loaded.builtins.includes('http'), 'the fetch ran without loading http');
  });
});
