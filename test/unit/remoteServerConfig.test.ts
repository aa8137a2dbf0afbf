import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, it } from 'node:test';
import { describeTarget, sameLaunch, secretValues, type HttpServerDefinition, type ServerDefinition } from '../../src/core/host/serverDefinition';
import { checkRemoteUrl } from '../../src/core/transport/remoteUrl';
import { ConfigError, parseConfig } from '../../src/gateway/config';
import { describeLaunch, launchHash, type ResolvedRemote } from '../../src/vscode/userServers/launch';
import { resolveRemote } from '../../src/vscode/userServers/resolveLaunch';
import { parseServersSetting } from '../../src/vscode/userServers/serverConfig';

const remote: HttpServerDefinition = { kind: 'http', id: 'r', label: 'r', url: 'https://mcp.example.test/mcp', headers: { 'X-Key': 'k1' }, builtin: false };

describe('remote server URLs', () => {
  it('accepts https anywhere and plain http to this machine only', () => {
    assert.ok(checkRemoteUrl('https://mcp.example.test/mcp').ok);
    for (const local of ['http://localhost:3000/mcp', 'http://127.0.0.1:8080/mcp', 'http://[::1]/mcp', 'http://127.1.2.3/mcp']) {
      assert.ok(checkRemoteUrl(local).ok, local);
    }
    const plain = checkRemoteUrl('http://mcp.example.test/mcp');
    assert.ok(!plain.ok);
    assert.match(plain.error, /plain http:\/\/ is allowed only to this machine.*allowInsecureHttp/);
    assert.ok(checkRemoteUrl('http://mcp.example.test/mcp', { allowInsecureHttp: true }).ok);
  });

  it('refuses other schemes, credentials in the URL, and what is not a URL', () => {
    for (const [url, pattern] of [
      ['file:///etc/passwd', /scheme "file" is not supported/],
      ['ws://localhost/mcp', /scheme "ws" is not supported/],
      ['javascript:alert(1)', /scheme "javascript" is not supported/],
      ['https://user:pw@mcp.example.test/', /user name or password/],
      ['mcp.example.test/mcp', /is not a valid URL/],
    ] as const) {
      const checked = checkRemoteUrl(url);
      assert.ok(!checked.ok, url);
      assert.match(checked.error, pattern);
    }
  });
});

describe('remote server definitions', () => {
  it('need a restart only when the URL, headers, token or limits change', () => {
    assert.ok(sameLaunch(remote, { ...remote, label: 'renamed', headers: { 'X-Key': 'k1' } }));
    for (const changed of [{ ...remote, url: 'https://mcp.example.test/other' }, { ...remote, headers: { 'X-Key': 'k2' } }, { ...remote, bearerToken: 't' }, { ...remote, maxMessageBytes: 10 }]) {
      assert.ok(!sameLaunch(remote, changed), JSON.stringify(changed));
    }
    const local: ServerDefinition = { id: 'r', label: 'r', command: 'node', args: ['s.js'], builtin: false };
    assert.ok(!sameLaunch(remote, local));
    assert.ok(!sameLaunch(local, remote));
    assert.ok(sameLaunch(local, { ...local, kind: 'stdio' }));
  });

  it('describe the URL and header names, and list header values and the token as secrets', () => {
    assert.equal(describeTarget({ ...remote, bearerToken: 'tok' }), 'https://mcp.example.test/mcp (Streamable HTTP with a bearer token; headers X-Key)');
    assert.deepEqual(secretValues({ ...remote, bearerToken: 'tok' }), ['k1', 'tok']);
  });
});

describe('remote servers in the gateway configuration', () => {
  const base = path.resolve('/cfg');
  it('accepts url, headers and a bearer token from the environment, in both spellings', () => {
    const config = parseConfig(
      {
        servers: { api: { url: 'https://mcp.example.test/mcp', headers: { 'X-Team': 'blue' }, bearerTokenEnv: 'API_TOKEN' } },
        mcpServers: { local: { type: 'http', url: 'http://127.0.0.1:9000/mcp' } },
      },
      base,
      '/servers',
      'the configuration',
      { API_TOKEN: 'secret-token' },
    );
    assert.deepEqual(config.servers, [
      { kind: 'http', id: 'api', label: 'api', url: 'https://mcp.example.test/mcp', headers: { 'X-Team': 'blue' }, bearerToken: 'secret-token', builtin: false },
      { kind: 'http', id: 'local', label: 'local', url: 'http://127.0.0.1:9000/mcp', builtin: false },
    ]);
  });

  it('refuses a bad URL, a missing token variable and mixed shapes, naming the server', () => {
    const parse = (servers: object, env = {}) => () => parseConfig({ servers }, base, '/servers', 'the configuration', env);
    assert.throws(parse({ api: { url: 'ftp://mcp.example.test/' } }), (e: unknown) => e instanceof ConfigError && /server "api": the URL scheme "ftp" is not supported/.test(e.message));
    assert.throws(parse({ api: { url: 'http://mcp.example.test/' } }), (e: unknown) => e instanceof ConfigError && /plain http:\/\//.test(e.message));
    assert.throws(parse({ api: { url: 'https://mcp.example.test/', bearerTokenEnv: 'NOPE' } }), (e: unknown) => e instanceof ConfigError && /NOPE, which is not set/.test(e.message));
    assert.throws(parse({ api: { url: 'https://mcp.example.test/', command: 'x' } }), ConfigError);
  });
});

describe('remote servers in warden.servers', () => {
  it('parses the url shape and VS Code\'s { "type": "http" } shape', () => {
    const parsed = parseServersSetting(
      {
        api: { type: 'http', url: 'https://mcp.example.test/mcp', headers: { Authorization: 'Bearer ${input:token}' }, trusted: true },
        plain: { url: 'http://localhost:3000/mcp' },
        old: { type: 'sse', url: 'https://mcp.example.test/sse' },
        badheader: { url: 'https://x.test/', headers: { 'Bad Name': 'v' } },
        extra: { url: 'https://x.test/', env: {} },
      },
      'user',
    );
    assert.deepEqual(parsed.servers, [
      { kind: 'http', id: 'api', url: 'https://mcp.example.test/mcp', headers: { Authorization: 'Bearer ${input:token}' }, allowInsecureHttp: false, trusted: true, scope: 'user' },
      { kind: 'http', id: 'plain', url: 'http://localhost:3000/mcp', headers: {}, allowInsecureHttp: false, trusted: false, scope: 'user' },
    ]);
    const byId = Object.fromEntries(parsed.problems.map((p) => [p.id, p.message]));
    assert.match(byId.old ?? '', /the older HTTP\+SSE transport\) is not supported/);
    assert.match(byId.badheader ?? '', /invalid header name "Bad Name"/);
    assert.match(byId.extra ?? '', /unknown field\(s\) "env"; a remote server allows/);
  });

  it('fills header secrets into what runs and keeps them out of what is shown and hashed', () => {
    const [config] = parseServersSetting({ api: { url: 'https://mcp.example.test/${input:path}', headers: { Authorization: 'Bearer ${input:token}' } } }, 'user').servers;
    assert.ok(config?.kind === 'http');
    const pair = resolveRemote(config, { folders: [], env: {}, userHome: '/home/ada', inputs: { token: 's3cret', path: 'mcp' } });
    assert.ok(!('error' in pair));
    assert.deepEqual(pair.run, { kind: 'http', url: 'https://mcp.example.test/mcp', headers: { Authorization: 'Bearer s3cret' }, allowInsecureHttp: false });
    assert.deepEqual(pair.shown.headers, { Authorization: 'Bearer ${input:token}' });
    const detail = describeLaunch(pair.shown, []);
    assert.match(detail, /^URL:\nhttps:\/\/mcp\.example\.test\/\$\{input:path\}\n\nHeaders sent: Authorization$/);
    assert.doesNotMatch(detail, /Bearer/);
  });

  it('asks again when the URL or a header changes', () => {
    const base: ResolvedRemote = { kind: 'http', url: 'https://a.test/mcp', headers: { A: '1', B: '2' }, allowInsecureHttp: false };
    const hash = launchHash(base);
    assert.equal(launchHash({ ...base, headers: { B: '2', A: '1' } }), hash);
    for (const changed of [{ ...base, url: 'https://b.test/mcp' }, { ...base, headers: { A: '1' } }, { ...base, headers: { A: '1', B: '3' } }, { ...base, allowInsecureHttp: true }]) {
      assert.notEqual(launchHash(changed), hash, JSON.stringify(changed));
    }
  });
});
