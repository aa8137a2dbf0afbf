import assert from 'node:assert/strict';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { parseEnvFile } from '../../src/vscode/userServers/envFile';
import { convertMcpConfig, mergeServers, sanitizeServerId } from '../../src/vscode/userServers/importConversion';
import { inputNames, interpolate, type InterpolationContext } from '../../src/vscode/userServers/interpolation';
import { parseJsonc } from '../../src/vscode/userServers/jsonc';
import { describeLaunch, formatCommandLine, launchHash, type ResolvedLaunch } from '../../src/vscode/userServers/launch';
import { resolveLaunch } from '../../src/vscode/userServers/resolveLaunch';
import { parseServersSetting } from '../../src/vscode/userServers/serverConfig';

const root = path.resolve('/work/project');
const context: InterpolationContext = {
  folders: [
    { name: 'project', path: root },
    { name: 'docs', path: path.resolve('/work/docs') },
  ],
  env: { API_BASE: 'https://example.test', EMPTY: '' },
  userHome: path.resolve('/home/ada'),
  inputs: { token: 's3cret' },
};

describe('interpolation of warden.servers values', () => {
  it('replaces each supported variable', () => {
    assert.deepEqual(interpolate('${workspaceFolder}/data', context), { ok: true, value: `${root}/data` });
    assert.deepEqual(interpolate('${workspaceFolder:docs}', context), { ok: true, value: path.resolve('/work/docs') });
    assert.deepEqual(interpolate('${env:API_BASE}/v1', context), { ok: true, value: 'https://example.test/v1' });
    assert.deepEqual(interpolate('[${env:EMPTY}]', context), { ok: true, value: '[]' });
    assert.deepEqual(interpolate('${userHome}/.cache', context), { ok: true, value: `${path.resolve('/home/ada')}/.cache` });
    assert.deepEqual(interpolate('Bearer ${input:token}', context), { ok: true, value: 'Bearer s3cret' });
    assert.deepEqual(interpolate('no variables $ {here}', context), { ok: true, value: 'no variables $ {here}' });
  });

  it('keeps ${input:…} as written when asked to, for showing and hashing', () => {
    assert.deepEqual(interpolate('Bearer ${input:token} ${input:other}', { ...context, keepInputs: true }), { ok: true, value: 'Bearer ${input:token} ${input:other}' });
  });

  it('names what cannot be resolved', () => {
    const noFolder = { ...context, folders: [] };
    const cases: [string, InterpolationContext, RegExp][] = [
      ['${workspaceFolder}', noFolder, /no folder is open/],
      ['${workspaceFolder:nope}', context, /workspaceFolder:nope.*no open workspace folder/],
      ['${env:MISSING}', context, /env:MISSING.*not set/],
      ['${input:other}', context, /input:other.*no value/],
      ['${input:bad name}', context, /not a valid input name/],
      ['${config:editor.fontSize}', context, /config:editor\.fontSize.*not a supported variable/],
    ];
    for (const [text, ctx, expected] of cases) {
      const result = interpolate(text, ctx);
      assert.equal(result.ok, false, text);
      if (!result.ok) assert.match(result.error, expected, text);
    }
  });

  it('lists the inputs used, each once', () => {
    assert.deepEqual(inputNames(['${input:a} ${input:b}', '${input:a}', '${env:X}', '${input:bad name}']), ['a', 'b']);
    assert.deepEqual(inputNames(['plain']), []);
  });
});

describe('env files', () => {
  it('parses KEY=VALUE lines with comments, quotes and export', () => {
    const text = [
      '\uFEFF# a comment',
      '',
      'PLAIN=value',
      'SPACED = padded value   ',
      'export EXPORTED=yes',
      "SINGLE='literal \\n $x # not a comment'",
      'DOUBLE="line\\nbreak \\"quoted\\" \\\\ end"',
      'TRAILING=abc # comment',
      'HASH=abc#def',
      'EMPTY=',
      'EQUALS=a=b=c',
    ].join('\r\n');
    assert.deepEqual(parseEnvFile(text), {
      vars: {
        PLAIN: 'value',
        SPACED: 'padded value',
        EXPORTED: 'yes',
        SINGLE: 'literal \\n $x # not a comment',
        DOUBLE: 'line\nbreak "quoted" \\ end',
        TRAILING: 'abc',
        HASH: 'abc#def',
        EMPTY: '',
        EQUALS: 'a=b=c',
      },
      errors: [],
    });
  });

  it('reports malformed lines by number and keeps the rest', () => {
    assert.deepEqual(parseEnvFile('GOOD=1\njust words\n1BAD=x\nOPEN="never closed\n=novalue'), {
      vars: { GOOD: '1' },
      errors: [
        'line 2: expected KEY=VALUE',
        'line 3: "1BAD" is not a valid variable name',
        'line 4: the value of OPEN has an unclosed quote',
        'line 5: expected KEY=VALUE',
      ],
    });
  });
});

describe('the warden.servers setting', () => {
  it('accepts well-formed entries and fills defaults', () => {
    const parsed = parseServersSetting(
      {
        github: { command: 'npx', args: ['-y', 'server-github'], env: { TOKEN: '${input:token}' }, envFile: '.env', cwd: 'tools', trusted: true },
        'my_tool-2': { command: '/usr/bin/tool' },
      },
      'user',
    );
    assert.deepEqual(parsed.problems, []);
    assert.deepEqual(parsed.servers, [
      { id: 'github', command: 'npx', args: ['-y', 'server-github'], env: { TOKEN: '${input:token}' }, envFile: '.env', cwd: 'tools', trusted: true, scope: 'user' },
      { id: 'my_tool-2', command: '/usr/bin/tool', args: [], env: {}, trusted: false, scope: 'user' },
    ]);
  });

  it('does not honour "trusted" from workspace settings', () => {
    const parsed = parseServersSetting({ repo: { command: 'x', trusted: true } }, 'workspace');
    assert.equal(parsed.servers[0]?.trusted, false);
    assert.equal(parsed.servers[0]?.scope, 'workspace');
  });

  it('leaves out bad entries with a message naming the server and the problem', () => {
    const parsed = parseServersSetting(
      {
        fs: { command: 'x' },
        sqlite: { command: 'x' },
        http: { command: 'x' },
        'Bad Id': { command: 'x' },
        nocommand: { args: [] },
        badargs: { command: 'x', args: [1] },
        badenv: { command: 'x', env: { A: 1 } },
        badname: { command: 'x', env: { 'A-B': '1' } },
        extra: { command: 'x', url: 'https://example.test' },
        notobject: 'npx thing',
        badtrust: { command: 'x', trusted: 'yes' },
        ok: { command: 'x' },
      },
      'user',
    );
    assert.deepEqual(parsed.servers.map((s) => s.id), ['ok']);
    const byId = Object.fromEntries(parsed.problems.map((p) => [p.id, p.message]));
    assert.match(byId.fs ?? '', /reserved for a built-in server/);
    assert.match(byId.sqlite ?? '', /reserved/);
    assert.match(byId.http ?? '', /reserved/);
    assert.match(byId['Bad Id'] ?? '', /lowercase letters, digits/);
    assert.match(byId.nocommand ?? '', /"command" must be a non-empty string/);
    assert.match(byId.badargs ?? '', /"args" must be an array of strings/);
    assert.match(byId.badenv ?? '', /"env" must be an object of string values/);
    assert.match(byId.badname ?? '', /invalid variable name "A-B"/);
    assert.match(byId.extra ?? '', /unknown field\(s\) "url"/);
    assert.match(byId.notobject ?? '', /must be an object/);
    assert.match(byId.badtrust ?? '', /"trusted" must be true or false/);
    assert.equal(parsed.problems.length, 11);
  });

  it('reports a setting that is not an object', () => {
    assert.deepEqual(parseServersSetting(undefined, 'user'), { servers: [], problems: [] });
    const parsed = parseServersSetting(['npx'], 'workspace');
    assert.equal(parsed.servers.length, 0);
    assert.match(parsed.problems[0]?.message ?? '', /warden\.servers in workspace settings must be an object/);
  });
});

describe('resolving and approving a launch', () => {
  const [config] = parseServersSetting(
    { github: { command: '${userHome}/bin/server', args: ['--token', '${input:token}', '--root', '${workspaceFolder}'], env: { AUTH: 'Bearer ${input:token}' }, envFile: '.env', cwd: 'sub' } },
    'user',
  ).servers;
  assert.ok(config && config.kind !== 'http');

  it('fills secrets into the launch that runs and keeps them out of the launch shown', () => {
    const pair = resolveLaunch(config, context);
    assert.ok(!('error' in pair));
    assert.deepEqual(pair.run, {
      command: `${path.resolve('/home/ada')}/bin/server`,
      args: ['--token', 's3cret', '--root', root],
      env: { AUTH: 'Bearer s3cret' },
      cwd: path.join(root, 'sub'),
      envFile: path.join(root, '.env'),
    });
    assert.deepEqual(pair.shown.args, ['--token', '${input:token}', '--root', root]);
    assert.deepEqual(pair.shown.env, { AUTH: 'Bearer ${input:token}' });
  });

  it('reports every unresolvable field, and relative paths without a folder', () => {
    const result = resolveLaunch(config, { ...context, folders: [], inputs: {} });
    assert.ok('error' in result);
    assert.match(result.error, /"args"\[1\]: \$\{input:token\} has no value/);
    assert.match(result.error, /"args"\[3\]: \$\{workspaceFolder\} is used but no folder is open/);
    assert.match(result.error, /"cwd": "sub" is relative but no folder is open/);
    assert.match(result.error, /"envFile": ".env" is relative/);
  });

  it('hashes the launch so that any change asks again', () => {
    const base: ResolvedLaunch = { command: 'node', args: ['a.js'], env: { A: '1', B: '2' }, cwd: '/w', envFile: '/w/.env' };
    const hash = launchHash(base);
    assert.match(hash, /^[0-9a-f]{64}$/);
    assert.equal(launchHash({ ...base, env: { B: '2', A: '1' } }), hash, 'env order does not matter');
    const changed: ResolvedLaunch[] = [
      { ...base, command: 'nodejs' },
      { ...base, args: ['b.js'] },
      { ...base, args: ['a.js', ''] },
      { ...base, cwd: '/x' },
      { command: 'node', args: ['a.js'], env: { A: '1', B: '2' }, envFile: '/w/.env' },
      { ...base, env: { A: '1', B: '3' } },
      { ...base, env: { A: '1', C: '2' } },
      { ...base, envFile: '/w/.env.local' },
    ];
    for (const launch of changed) assert.notEqual(launchHash(launch), hash, JSON.stringify(launch));
  });

  it('shows the command line shell-quoted, with env names but not values', () => {
    assert.equal(formatCommandLine(['npx', '-y', '@scope/pkg@1.2', 'two words', "it's", '', '$HOME', 'a=b']), `npx -y @scope/pkg@1.2 'two words' 'it'\\''s' '' '$HOME' a=b`);
    const detail = describeLaunch({ command: 'node', args: ['server.js'], env: { TOKEN: 'Bearer abc' }, cwd: '/w', envFile: '/w/.env' }, ['FROM_FILE', 'TOKEN']);
    assert.match(detail, /Command line:\nnode server\.js/);
    assert.match(detail, /Working folder: \/w/);
    assert.match(detail, /Environment variables: FROM_FILE, TOKEN/);
    assert.match(detail, /Env file: \/w\/\.env/);
    assert.doesNotMatch(detail, /Bearer abc/);
    assert.match(describeLaunch({ command: 'x', args: [], env: {} }, []), /Working folder: \(not set\)[\s\S]*Environment variables: \(none\)/);
  });
});

describe('importing MCP server configurations', () => {
  it('converts a VS Code mcp.json with comments, remote servers included', () => {
    const text = `{
      // inputs are asked when the server starts
      "inputs": [{ "type": "promptString", "id": "token", "password": true }],
      "servers": {
        "GitHub Tools": { "type": "stdio", "command": "npx", "args": ["-y", "server-github"], "env": { "TOKEN": "\${input:token}", "PORT": 8080 }, },
        "memory": { "command": "node", "args": ["\${workspaceFolder}/mem.js"], "envFile": "\${workspaceFolder}/.env" },
        "remote": { "type": "http", "url": "https://mcp.example.test/mcp", "headers": { "Authorization": "Bearer \${input:token}" } },
        "untyped": { "url": "https://mcp.example.test/other" },
        "sse": { "type": "sse", "url": "https://mcp.example.test/sse" },
        "fs": { "command": "fs-server" },
        "broken": { "args": ["x"] }, /* trailing comma next */
      },
    }`;
    const result = convertMcpConfig(parseJsonc(text));
    assert.ok(!('error' in result));
    assert.equal(result.format, 'vscode');
    assert.deepEqual(result.servers, {
      'github-tools': { command: 'npx', args: ['-y', 'server-github'], env: { TOKEN: '${input:token}', PORT: '8080' } },
      memory: { command: 'node', args: ['${workspaceFolder}/mem.js'], envFile: '${workspaceFolder}/.env' },
      remote: { type: 'http', url: 'https://mcp.example.test/mcp', headers: { Authorization: 'Bearer ${input:token}' } },
      untyped: { type: 'http', url: 'https://mcp.example.test/other' },
      'fs-user': { command: 'fs-server' },
    });
    assert.deepEqual(result.notes, [
      '"GitHub Tools" imported as "github-tools"',
      '"sse" skipped: servers on the older SSE transport are not supported; give its Streamable HTTP endpoint with "type": "http"',
      '"fs" imported as "fs-user"',
      '"broken" skipped: no "command"',
    ]);
  });

  it('converts a Claude Desktop config and keeps ids unique', () => {
    const result = convertMcpConfig({ mcpServers: { 'a.b': { command: 'x' }, 'a b': { command: 'y', args: [] }, '***': { command: 'z' } } });
    assert.ok(!('error' in result));
    assert.equal(result.format, 'claude');
    assert.deepEqual(result.servers, { 'a-b': { command: 'x' }, 'a-b-2': { command: 'y' }, server: { command: 'z' } });
  });

  it('rejects files of another shape', () => {
    assert.deepEqual(convertMcpConfig([]), { error: 'the file is not a JSON object' });
    assert.match((convertMcpConfig({ tools: {} }) as { error: string }).error, /neither "servers".*nor "mcpServers"/);
  });

  it('sanitises ids', () => {
    assert.equal(sanitizeServerId('My Server!'), 'my-server');
    assert.equal(sanitizeServerId('--x--'), 'x');
    assert.equal(sanitizeServerId('sqlite'), 'sqlite-user');
    assert.equal(sanitizeServerId('under_score'), 'under_score');
  });

  it('merges with existing entries, replacing only what is allowed', () => {
    const existing = { keep: { command: 'old' }, swap: { command: 'old' }, other: { command: 'mine' } };
    const merged = mergeServers(existing, { keep: { command: 'new' }, swap: { command: 'new' }, fresh: { command: 'new' } }, (id) => id === 'swap');
    assert.deepEqual(merged, {
      merged: { keep: { command: 'old' }, swap: { command: 'new' }, other: { command: 'mine' }, fresh: { command: 'new' } },
      added: ['fresh'],
      replaced: ['swap'],
      kept: ['keep'],
    });
  });

  it('parses JSON with comments and trailing commas but leaves strings alone', () => {
    assert.deepEqual(parseJsonc('{ "a": "// not a comment, }", /* c */ "b": [1, 2,], }'), { a: '// not a comment, }', b: [1, 2] });
    assert.deepEqual(parseJsonc('{"q": "say \\"hi\\", ]"}'), { q: 'say "hi", ]' });
    assert.deepEqual(parseJsonc('{"url": "https://x.test/a", "glob": "src/*.ts /* not a comment */"}'), { url: 'https://x.test/a', glob: 'src/*.ts /* not a comment */' });
    const text = [
      '// servers for this workspace',
      '{',
      '  /* the one we use',
      '     every day */',
      '  "servers": { "a": { "args": ["-y", "x",], }, }, // trailing commas',
      '}',
      '',
    ].join('\n');
    assert.deepEqual(parseJsonc(text), { servers: { a: { args: ['-y', 'x'] } } });
    assert.equal(parseJsonc('null'), null);
    assert.deepEqual(parseJsonc('[]'), []);
  });

  it('names the first mistake in bad JSON with its line and column', () => {
    const cases: [string, string][] = [
      ['{\n  "servers": {\n    "a": { "command": "x" }\n    "b": {}\n  }\n}', 'line 4, column 5: expected a comma or a closing brace "}"'],
      ['{\r\n  "args": ["-y" "x"]\r\n}', 'line 2, column 17: expected a comma or a closing bracket "]"'],
      ['{ "a": 1 }\n}', 'line 2, column 1: expected the end of the file after the value'],
      ['{\n  command: "x"\n}', 'line 2, column 3: unexpected text; property names and strings need double quotes, and values are strings, numbers, true, false, null, objects or arrays'],
      ['{ "a" 1 }', 'line 1, column 7: expected a colon after the property name'],
      ['{ "a": 1 /* open', 'line 1, column 10: this comment is never closed with "*/"'],
      ['{ "a": ', 'line 1, column 8: expected a value'],
    ];
    for (const [text, message] of cases) {
      assert.throws(() => parseJsonc(text), { message }, JSON.stringify(text));
    }
  });

  it('reads a member named __proto__ as data, as JSON.parse does', () => {
    const text = '{ "servers": { "__proto__": { "command": "x" }, "a": 1, "a": 2 } }';
    const parsed = parseJsonc(text) as { servers: Record<string, unknown> };
    assert.deepEqual(Object.keys(parsed.servers), ['__proto__', 'a']);
    assert.equal(Object.getPrototypeOf(parsed.servers), Object.prototype);
    assert.deepEqual(parsed, JSON.parse(text));
  });

  it('treats text without a value as an empty file', () => {
    for (const text of ['', '  \n', '// only a comment\n/* and another */']) {
      assert.throws(() => parseJsonc(text), { message: /^the file is empty/ }, JSON.stringify(text));
    }
  });
});
