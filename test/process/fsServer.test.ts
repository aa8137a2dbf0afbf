import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { CallToolResultSchema, McpError, type CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { commandLineRunner } from '../helpers/commandLine';

const projectRoot = path.resolve(__dirname, '../../..');
const serverJs = path.join(projectRoot, 'dist/servers/fs.js');

/** The server runs with a small cap so truncation is easy to reach. */
const CAP = 64;
const HELLO = 'Hello, Warden!\nsecond line\nthird line\n';
// 1 + 100 * 2 bytes: a cut at an even byte count would land inside an "é".
const ACCENTS = `a${'é'.repeat(100)}`;

function texts(result: CallToolResult): string[] {
  return result.content.map((block) => (block.type === 'text' ? block.text : `<${block.type}>`));
}

describe('fs server over stdio, driven by the SDK client', () => {
  let tmp = '';
  let ws = '';
  let client: Client;
  let closed = false;
  const stderr: string[] = [];

  async function call(name: string, args: Record<string, unknown>): Promise<CallToolResult> {
    return CallToolResultSchema.parse(await client.callTool({ name, arguments: args }));
  }

  async function callFails(name: string, args: Record<string, unknown>, code: number, message: string): Promise<void> {
    await assert.rejects(client.callTool({ name, arguments: args }), (error: unknown) => {
      assert.ok(error instanceof McpError, `expected an McpError, got ${String(error)}`);
      assert.equal(error.code, code);
      assert.ok(error.message.includes(message), `"${error.message}" should include "${message}"`);
      return true;
    });
  }

  before(async () => {
    tmp = fs.realpathSync.native(fs.mkdtempSync(path.join(os.tmpdir(), 'warden-fs-server-')));
    ws = path.join(tmp, 'ws');
    fs.mkdirSync(path.join(ws, 'sub'), { recursive: true });
    fs.mkdirSync(path.join(tmp, 'outside'));
    fs.writeFileSync(path.join(ws, 'hello.txt'), HELLO);
    fs.writeFileSync(path.join(ws, 'accents.txt'), ACCENTS);
    fs.writeFileSync(path.join(ws, 'sub/inner.txt'), 'inner\n');
    fs.writeFileSync(path.join(tmp, 'outside/secret.txt'), 'secret\n');
    fs.symlinkSync('../outside/secret.txt', path.join(ws, 'link-out'));

    const transport = new StdioClientTransport({
      command: process.execPath,
      args: [serverJs, '--root', ws, '--max-bytes', String(CAP)],
      stderr: 'pipe',
    });
    transport.stderr?.on('data', (chunk: Buffer) => stderr.push(chunk.toString('utf8')));
    client = new Client({ name: 'warden-fs-test', version: '0.0.0' });
    client.onclose = () => {
      closed = true;
    };
    await client.connect(transport);
  });

  after(async () => {
    await client.close();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('initializes and introduces itself', () => {
    assert.equal(client.getServerVersion()?.name, 'warden-fs');
    assert.deepEqual(client.getServerCapabilities()?.tools, { listChanged: false });
    assert.ok(client.getInstructions()?.includes(ws), 'the instructions name the workspace folder');
  });

  it('lists its tools, read-only and closed-world, with strict input schemas', async () => {
    const { tools } = await client.listTools();
    assert.deepEqual(tools.map((t) => t.name).sort(), ['find', 'list_dir', 'read_text', 'search', 'stat']);
    for (const tool of tools) {
      assert.deepEqual(tool.annotations, {
        title: tool.title,
        readOnlyHint: true,
        destructiveHint: false,
        idempotentHint: true,
        openWorldHint: false,
      });
      assert.ok(tool.title !== undefined && tool.title.length > 0);
      assert.equal(tool.inputSchema.additionalProperties, false);
      assert.equal(tool.outputSchema?.type, 'object');
      assert.ok((tool.description ?? '').includes('first workspace folder'), `${tool.name} explains relative paths`);
    }
    const readText = tools.find((t) => t.name === 'read_text');
    assert.deepEqual(readText?.inputSchema.required, ['path']);
    assert.ok(readText?.description?.includes(`At most ${CAP} bytes`), 'read_text states the server cap');
  });

  it('reads a file exactly', async () => {
    const result = await call('read_text', { path: 'hello.txt' });
    assert.equal(result.isError, undefined);
    assert.deepEqual(texts(result), [HELLO]);
    assert.deepEqual(result.structuredContent, {
      path: path.join(ws, 'hello.txt'),
      truncated: false,
      totalBytes: Buffer.byteLength(HELLO),
      startLine: 1,
      endLine: 3,
    });
  });

  it('reads a range of lines, and says when the range starts past the end', async () => {
    const range = await call('read_text', { path: path.join(ws, 'hello.txt'), startLine: 2, endLine: 2 });
    assert.deepEqual(texts(range), ['second line\n']);
    assert.equal(range.structuredContent?.['endLine'], 2);
    const tail = await call('read_text', { path: 'hello.txt', startLine: 3 });
    assert.deepEqual(texts(tail), ['third line\n']);
    const past = await call('read_text', { path: 'hello.txt', startLine: 9 });
    assert.equal(past.isError, true);
    assert.deepEqual(texts(past), ['startLine 9 is past the end of "hello.txt", which has 3 lines.']);
  });

  it('truncates at the cap on a character boundary and says so', async () => {
    const capped = await call('read_text', { path: 'accents.txt' });
    const expected = `a${'é'.repeat(31)}`; // 63 bytes: the 64th would split an "é"
    assert.equal(texts(capped)[0], expected);
    assert.equal(capped.structuredContent?.['truncated'], true);
    assert.equal(capped.structuredContent?.['totalBytes'], Buffer.byteLength(ACCENTS));
    assert.deepEqual(texts(capped), [
      expected,
      `[read_text: truncated after 63 bytes (file size ${Buffer.byteLength(ACCENTS)} bytes). Line 1 alone is longer than the byte limit, so it cannot be returned whole.]`,
    ]);
    const asked = await call('read_text', { path: 'accents.txt', maxBytes: 4 });
    assert.equal(texts(asked)[0], 'aé');
    assert.equal(asked.structuredContent?.['truncated'], true);
    const overCap = await call('read_text', { path: 'accents.txt', maxBytes: 1_000_000 });
    assert.equal(texts(overCap)[0], expected);
  });

  it('lists a directory, sorted, with links reported as links', async () => {
    const listing = await call('list_dir', {});
    assert.deepEqual(listing.structuredContent, {
      path: ws,
      entries: [
        { name: 'accents.txt', type: 'file', size: Buffer.byteLength(ACCENTS) },
        { name: 'hello.txt', type: 'file', size: Buffer.byteLength(HELLO) },
        { name: 'link-out', type: 'symlink' },
        { name: 'sub', type: 'directory' },
      ],
      truncated: false,
      totalEntries: 4,
    });
    const sub = await call('list_dir', { path: 'sub' });
    assert.deepEqual(sub.structuredContent?.['entries'], [{ name: 'inner.txt', type: 'file', size: 6 }]);
  });

  it('refuses escapes with an isError result naming the path', async () => {
    const traversal = await call('read_text', { path: '../outside/secret.txt' });
    assert.equal(traversal.isError, true);
    assert.deepEqual(texts(traversal), [`Access denied: "../outside/secret.txt" resolves outside the workspace folders (${ws}).`]);
    const viaLink = await call('read_text', { path: 'link-out' });
    assert.equal(viaLink.isError, true);
    assert.deepEqual(texts(viaLink), [`Access denied: "link-out" resolves outside the workspace folders (${ws}) through a symbolic link.`]);
    const parent = await call('list_dir', { path: '..' });
    assert.equal(parent.isError, true);
    assert.deepEqual(texts(parent), [`Access denied: ".." resolves outside the workspace folders (${ws}).`]);
  });

  it('explains a directory given to read_text and a file given to list_dir', async () => {
    const dir = await call('read_text', { path: 'sub' });
    assert.equal(dir.isError, true);
    assert.deepEqual(texts(dir), ['"sub" is a directory; use list_dir to see its entries.']);
    const file = await call('list_dir', { path: 'hello.txt' });
    assert.equal(file.isError, true);
    assert.deepEqual(texts(file), ['"hello.txt" is a file, not a directory; use read_text to read it.']);
  });

  it('answers an unknown tool with -32602', async () => {
    await callFails('write_file', { path: 'x' }, -32602, 'Unknown tool: "write_file"');
  });

  it('answers bad arguments with -32602 naming the field', async () => {
    await callFails('read_text', { path: 42 }, -32602, 'field "path" must be string');
    await callFails('read_text', {}, -32602, 'missing required field "path"');
    await callFails('read_text', { path: 'hello.txt', mode: 'raw' }, -32602, 'unknown field "mode"');
    await callFails('read_text', { path: 'hello.txt', startLine: 0 }, -32602, 'field "startLine" must be >= 1');
    await callFails('list_dir', { path: '' }, -32602, 'field "path" must NOT have fewer than 1 characters');
  });

  it('is still serving after all of the above', async () => {
    assert.equal(closed, false, `the connection closed; server stderr:\n${stderr.join('')}`);
    const result = await call('read_text', { path: 'sub/inner.txt' });
    assert.deepEqual(texts(result), ['inner\n']);
  });
});

describe('fs server command line', () => {
  const { runToExit, killAll } = commandLineRunner(serverJs);
  after(killAll);

  it('exits 2 with a usage message when no --root is given', async () => {
    const { code, stderr } = await runToExit([]);
    assert.equal(code, 2);
    assert.match(stderr, /^warden-fs: At least one --root <dir> is required\.\nUsage: node dist\/servers\/fs\.js --root <dir>/);
  });

  it('exits 2 naming a root that does not exist', async () => {
    const missing = path.join(os.tmpdir(), 'warden-fs-no-such-folder', 'ws');
    const { code, stderr } = await runToExit(['--root', missing]);
    assert.equal(code, 2);
    assert.ok(stderr.startsWith(`warden-fs: Workspace folder ${JSON.stringify(missing)} does not exist`), stderr);
    assert.ok(stderr.includes('Usage: '), stderr);
  });

  it('exits 2 on a bad --max-bytes and on an unknown flag', async () => {
    const tooBig = await runToExit(['--root', os.tmpdir(), '--max-bytes', '999999999']);
    assert.equal(tooBig.code, 2);
    assert.ok(tooBig.stderr.startsWith('warden-fs: --max-bytes must be a whole number from 1 to 4194304, not "999999999".'), tooBig.stderr);
    const unknown = await runToExit(['--root', os.tmpdir(), '--write']);
    assert.equal(unknown.code, 2);
    assert.ok(unknown.stderr.startsWith('warden-fs: Unknown argument "--write".'), unknown.stderr);
  });
});

describe('fs server over stdio: stat, find, search, pieces of files and secret files', () => {
  let tmp = '';
  let ws = '';
  const clients: Client[] = [];

  async function connect(args: string[]): Promise<Client> {
    const transport = new StdioClientTransport({ command: process.execPath, args: [serverJs, '--root', ws, ...args], stderr: 'pipe' });
    const client = new Client({ name: 'warden-fs-test', version: '0.0.0' });
    clients.push(client);
    await client.connect(transport);
    return client;
  }

  async function call(client: Client, name: string, args: Record<string, unknown>): Promise<CallToolResult> {
    return CallToolResultSchema.parse(await client.callTool({ name, arguments: args }));
  }

  let client: Client;

  before(async () => {
    tmp = fs.realpathSync.native(fs.mkdtempSync(path.join(os.tmpdir(), 'warden-fs-server-more-')));
    ws = path.join(tmp, 'ws');
    fs.mkdirSync(path.join(ws, 'src'), { recursive: true });
    fs.mkdirSync(path.join(ws, 'node_modules'));
    fs.writeFileSync(path.join(ws, '.env'), 'TOKEN=abc\n');
    fs.writeFileSync(path.join(ws, '.env.example'), 'TOKEN=\n');
    fs.writeFileSync(path.join(ws, 'data.sqlite'), 'SQLite format 3');
    fs.writeFileSync(path.join(ws, 'src/app.ts'), 'const a = 1;\n// TODO: more\nexport {};\n');
    fs.writeFileSync(path.join(ws, 'src/util.ts'), 'export const u = 2; // TODO\n');
    fs.writeFileSync(path.join(ws, 'node_modules/dep.ts'), '// TODO upstream\n');
    fs.writeFileSync(path.join(ws, 'log.txt'), Array.from({ length: 1000 }, (_, i) => `entry ${i + 1}\n`).join(''));
    client = await connect(['--deny', '*.sqlite', '--allow-secret', '.env.example']);
  });

  after(async () => {
    for (const c of clients) await c.close();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('stat describes a file', async () => {
    const result = await call(client, 'stat', { path: 'src/app.ts' });
    assert.equal(result.structuredContent?.['type'], 'file');
    assert.equal(result.structuredContent?.['size'], 38);
  });

  it('find matches, skips node_modules and secrets, and pages', async () => {
    const all = await call(client, 'find', { pattern: '**/*.ts' });
    assert.deepEqual(all.structuredContent?.['entries'], [
      { path: 'src/app.ts', type: 'file', size: 38 },
      { path: 'src/util.ts', type: 'file', size: 28 },
    ]);
    const first = await call(client, 'find', { pattern: '**/*.ts', limit: 1 });
    const second = await call(client, 'find', { pattern: '**/*.ts', limit: 1, cursor: first.structuredContent?.['nextCursor'] });
    assert.deepEqual(second.structuredContent?.['entries'], [{ path: 'src/util.ts', type: 'file', size: 28 }]);
    const dotfiles = await call(client, 'find', { pattern: '.*' });
    assert.deepEqual(dotfiles.structuredContent?.['entries'], [{ path: '.env.example', type: 'file', size: 7 }]);
  });

  it('search answers in grep form and as structured content', async () => {
    const result = await call(client, 'search', { query: 'TODO', contextLines: 1 });
    assert.deepEqual(texts(result), [
      ['src/app.ts-1- const a = 1;', 'src/app.ts:2: // TODO: more', 'src/app.ts-3- export {};', '--', 'src/util.ts:1: export const u = 2; // TODO'].join('\n'),
    ]);
    assert.equal(result.structuredContent?.['filesSearched'], 4);
    const refused = await call(client, 'search', { query: '(\\w)\\1', regex: true });
    assert.equal(refused.isError, true);
  });

  it('read_text reads head, tail and byte ranges, and refuses mixing them', async () => {
    assert.equal(texts(await call(client, 'read_text', { path: 'log.txt', head: 2 }))[0], 'entry 1\nentry 2\n');
    const tail = await call(client, 'read_text', { path: 'log.txt', tail: 2 });
    assert.deepEqual(texts(tail), ['entry 999\nentry 1000\n']);
    assert.deepEqual(tail.structuredContent, { path: path.join(ws, 'log.txt'), truncated: false, totalBytes: 9893, offset: 9872 });
    const bytes = await call(client, 'read_text', { path: 'log.txt', offset: 8, length: 8 });
    assert.deepEqual(texts(bytes), ['entry 2\n']);
    assert.equal(bytes.structuredContent?.['nextOffset'], 16);
    const mixed = await call(client, 'read_text', { path: 'log.txt', tail: 2, startLine: 3 });
    assert.equal(mixed.isError, true);
    assert.deepEqual(texts(mixed), ['tail cannot be combined with startLine/endLine: use either a line range or tail alone.']);
  });

  it('denies secret files by default and by --deny, names the rule, and honours --allow-secret', async () => {
    const env = await call(client, 'read_text', { path: '.env' });
    assert.equal(env.isError, true);
    assert.deepEqual(texts(env), [
      'Denied by the secret-file rule ".env*": ".env" may hold credentials. To allow it, add it to the setting warden.filesystem.allowedSecretFiles.',
    ]);
    const sqlite = await call(client, 'read_text', { path: 'data.sqlite' });
    assert.match(texts(sqlite)[0] ?? '', /^Denied by the secret-file rule "\*\.sqlite"/);
    assert.equal(texts(await call(client, 'read_text', { path: '.env.example' }))[0], 'TOKEN=\n');
    const listing = await call(client, 'list_dir', {});
    assert.deepEqual(listing.structuredContent?.['entries'], [
      { name: '.env', type: 'file', denied: '.env*' },
      { name: '.env.example', type: 'file', size: 7 },
      { name: 'data.sqlite', type: 'file', denied: '*.sqlite' },
      { name: 'log.txt', type: 'file', size: 9893 },
      { name: 'node_modules', type: 'directory' },
      { name: 'src', type: 'directory' },
    ]);
  });

  it('--no-default-deny drops the built-in rules', async () => {
    const open = await connect(['--no-default-deny']);
    assert.equal(texts(await call(open, 'read_text', { path: '.env' }))[0], 'TOKEN=abc\n');
  });
});

describe('fs server command line: secret-file options', () => {
  it('exits 2 naming a --deny pattern that cannot be used', async () => {
    const child = spawn(process.execPath, [serverJs, '--root', os.tmpdir(), '--deny', '{a,b}'.repeat(9)], { stdio: ['pipe', 'pipe', 'pipe'] });
    const chunks: Buffer[] = [];
    child.stderr.on('data', (chunk: Buffer) => chunks.push(chunk));
    const code = await new Promise<number | null>((resolve, reject) => {
      child.on('error', reject);
      child.on('close', resolve);
    });
    assert.equal(code, 2);
    assert.ok(
      Buffer.concat(chunks).toString('utf8').startsWith('warden-fs: Invalid --deny or --allow-secret pattern: The glob pattern expands to more than 256 alternatives'),
    );
  });
});
