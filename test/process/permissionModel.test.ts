import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { CallToolResultSchema, type CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { permissionFlags, probePermissionFlags } from '../../src/core/host/permissionFlags';
import { fsServerReadPaths } from '../../src/servers/fs/permissionPaths';

/**
 * The filesystem server under the Node.js permission model, on this test's own Node and on the
 * Node 24 that `npm start` installs for code-server (VS Code's extension host runs Node 22+).
 * Two things are shown for each: the runtime itself refuses a read outside the allowed paths (a
 * few lines of code run under the same flags call fs.readFileSync directly, so the jail plays no
 * part), and the real server under those flags still serves the folder.
 */
const projectRoot = path.resolve(__dirname, '../../..');
const serverJs = path.join(projectRoot, 'dist/servers/fs.js');

function findNode24(): string | undefined {
  const candidates = [
    `.vscode-test/node24/node_modules/node-${process.platform}-${process.arch}/bin/node`,
    '.vscode-test/node24/node_modules/.bin/node',
    '.vscode-test/node/bin/node',
  ];
  return candidates.map((c) => path.join(projectRoot, c)).find((c) => fs.existsSync(c));
}

const node24 = findNode24();
const runtimes = [
  { name: `this Node (${process.version})`, bin: process.execPath, skip: false as const },
  { name: 'the Node 24 in .vscode-test', bin: node24 ?? '', skip: node24 === undefined ? 'No Node 24 binary in .vscode-test/ (npm start installs it); skipped.' : (false as const) },
];

/** Only PATH: the children get nothing else from this environment. */
const env = { PATH: process.env['PATH'] ?? '' };

function versionOf(bin: string): string {
  const result = spawnSync(bin, ['-p', 'process.versions.node'], { env, encoding: 'utf8' });
  assert.equal(result.status, 0, result.stderr);
  return result.stdout.trim();
}

/** What a script sees when it calls fs directly under the flags (no jail involved). */
const DIRECT_READS = `
const fs = require('node:fs');
const report = {};
const attempt = (name, action) => { try { report[name] = action(); } catch (error) { report[name] = error.code; } };
const [inside, outside, viaLink, folder] = process.argv.slice(1);
attempt('inside', () => fs.readFileSync(inside, 'utf8'));
attempt('outside', () => fs.readFileSync(outside, 'utf8'));
attempt('outsideListing', () => fs.readdirSync(require('node:path').dirname(outside)).length);
attempt('viaLink', () => fs.readFileSync(viaLink, 'utf8'));
attempt('write', () => fs.writeFileSync(folder + '/new.txt', 'x'));
attempt('child', () => require('node:child_process').spawnSync('ls').status);
attempt('descriptor', () => { const fd = fs.openSync(inside, 'r'); try { return fs.readlinkSync('/proc/self/fd/' + fd); } finally { fs.closeSync(fd); } });
process.stdout.write(JSON.stringify(report));
`;

function runDirect(bin: string, flags: readonly string[], args: readonly string[]): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    const child = spawn(bin, [...flags, '-e', DIRECT_READS, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (c: Buffer) => out.push(c));
    child.stderr.on('data', (c: Buffer) => err.push(c));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) reject(new Error(`exit ${code}: ${Buffer.concat(err).toString('utf8')}`));
      else resolve(JSON.parse(Buffer.concat(out).toString('utf8')) as Record<string, unknown>);
    });
  });
}

let tmp = '';
let ws = '';
let outsideFile = '';

before(() => {
  tmp = fs.realpathSync.native(fs.mkdtempSync(path.join(os.tmpdir(), 'warden-permission-')));
  ws = path.join(tmp, 'ws');
  fs.mkdirSync(ws);
  fs.mkdirSync(path.join(tmp, 'outside'));
  outsideFile = path.join(tmp, 'outside', 'secret.txt');
  fs.writeFileSync(path.join(ws, 'hello.txt'), 'hello\n');
  fs.writeFileSync(outsideFile, 'secret\n');
  fs.symlinkSync('../outside/secret.txt', path.join(ws, 'link-out'));
});

after(() => {
  fs.rmSync(tmp, { recursive: true, force: true });
});

for (const runtime of runtimes) {
  describe(`permission model on ${runtime.name}`, { skip: runtime.skip }, () => {
    let flags: readonly string[] = [];
    let client: Client | undefined;
    const stderr: string[] = [];

    before(() => {
      const result = permissionFlags({ node: versionOf(runtime.bin) }, fsServerReadPaths(serverJs, [ws]));
      assert.equal(result.kind, 'confined', result.kind === 'unconfined' ? result.reason : '');
      flags = result.kind === 'confined' ? result.flags : [];
    });

    after(async () => {
      await client?.close();
    });

    it('the probe finds the flags enforced', async () => {
      assert.deepEqual(await probePermissionFlags({ command: runtime.bin, flags, env, outsidePath: outsideFile }), { confined: true });
    });

    it('the runtime refuses reads outside, writes and child processes, with the jail out of the picture', async () => {
      const report = await runDirect(runtime.bin, flags, [path.join(ws, 'hello.txt'), outsideFile, path.join(ws, 'link-out'), ws]);
      assert.equal(report['inside'], 'hello\n');
      assert.equal(report['outside'], 'ERR_ACCESS_DENIED');
      assert.equal(report['outsideListing'], 'ERR_ACCESS_DENIED');
      assert.equal(report['write'], 'ERR_ACCESS_DENIED');
      assert.equal(report['child'], 'ERR_ACCESS_DENIED');
      // The model checks the path as written; the OS then follows the link out. This is why the
      // server keeps its own jail: the model is a second wall, not the first.
      assert.equal(report['viaLink'], 'secret\n');
      if (process.platform === 'linux') assert.equal(report['descriptor'], path.join(ws, 'hello.txt'));
      assert.equal(fs.existsSync(path.join(ws, 'new.txt')), false);
    });

    it('the probe reports flags the runtime does not enforce, and flags it refuses', async () => {
      const withoutModel = await probePermissionFlags({ command: runtime.bin, flags: flags.slice(1), env, outsidePath: outsideFile });
      assert.equal(withoutModel.confined, false);
      const wrongSpelling = flags[0] === '--permission' ? '--experimental-permission' : '--permission';
      const refused = await probePermissionFlags({ command: runtime.bin, flags: [wrongSpelling, ...flags.slice(1)], env, outsidePath: outsideFile });
      assert.equal(refused.confined, false);
      assert.match(refused.confined ? '' : refused.reason, /^the runtime refused the flags \(exit 9\): .*bad option/);
    });

    it('the real server under the flags says it is confined and still serves the folder', async () => {
      const transport = new StdioClientTransport({ command: runtime.bin, args: [...flags, serverJs, '--root', ws], env, stderr: 'pipe' });
      transport.stderr?.on('data', (chunk: Buffer) => stderr.push(chunk.toString('utf8')));
      client = new Client({ name: 'warden-permission-test', version: '0.0.0' });
      await client.connect(transport);
      const call = async (args: Record<string, unknown>): Promise<CallToolResult> =>
        CallToolResultSchema.parse(await client?.callTool({ name: 'read_text', arguments: args }));
      const text = async (args: Record<string, unknown>): Promise<string | undefined> => {
        const [first] = (await call(args)).content;
        return first?.type === 'text' ? first.text : undefined;
      };
      assert.equal(await text({ path: 'hello.txt' }), 'hello\n');
      assert.equal(await text({ path: 'hello.txt', tail: 1 }), 'hello\n');
      const found = CallToolResultSchema.parse(await client.callTool({ name: 'search', arguments: { query: 'h(e|a)llo$', regex: true } }));
      assert.deepEqual([found.structuredContent?.['engine'], found.structuredContent?.['filesSearched']], ['linear', 1]);
      const viaLink = await call({ path: 'link-out' });
      assert.equal(viaLink.isError, true, 'the jail refuses the link the runtime alone would follow');
      const log = stderr.join('');
      assert.match(log, /\[warden-fs\] confined by the Node\.js permission model: .*refused here: child, worker, fs\.write\./);
      if (process.platform === 'linux') assert.match(log, /descriptor check: kernel path \(\/proc\/self\/fd\) and device and inode\./);
    });
  });
}

describe('the server without the permission model', () => {
  it('says at start-up that it runs unconfined', async () => {
    const child = spawn(process.execPath, [serverJs, '--root', ws], { env, stdio: ['pipe', 'pipe', 'pipe'] });
    const chunks: string[] = [];
    const said = new Promise<string>((resolve) => {
      child.stderr.on('data', (c: Buffer) => {
        chunks.push(c.toString('utf8'));
        if (chunks.join('').includes('descriptor check:')) resolve(chunks.join(''));
      });
    });
    const exited = new Promise<void>((resolve) => child.on('close', () => resolve()));
    try {
      assert.match(await said, /\[warden-fs\] not confined by the Node\.js permission model \(process\.permission is absent\)/);
    } finally {
      child.stdin.end();
      await exited;
    }
  });
});
