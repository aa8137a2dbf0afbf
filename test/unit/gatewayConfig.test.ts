import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, it } from 'node:test';
import { ConfigError, parseConfig } from '../../src/gateway/config';
import { bearerMatches, hostAllowed, originAllowed, protocolVersionAllowed } from '../../src/gateway/httpGuards';
import { UsageError, parseOptions } from '../../src/gateway/options';

const base = path.resolve('/etc/warden');
const serversDir = path.resolve('/opt/warden/servers');

describe('gateway configuration', () => {
  it('reads servers, Claude-style mcpServers, built-ins, rules and audit paths', () => {
    const config = parseConfig(
      {
        servers: { fx: { command: 'node', args: ['fx.js'], env: { A: '1' }, cwd: 'work' } },
        mcpServers: { other: { command: 'uvx', args: ['tool'] } },
        builtin: { fs: { roots: ['ws'] }, http: { allow: ['example.com'] } },
        policy: { rules: [{ server: 'fx', effect: 'allow' }, { effect: 'maybe' }] },
        audit: { dir: 'log' },
      },
      base,
      serversDir,
    );
    assert.deepEqual(
      config.servers.map((s) => (s.kind === 'http' ? [s.id, s.url] : [s.id, s.command, s.args, s.builtin])),
      [
        ['fx', 'node', ['fx.js'], false],
        ['other', 'uvx', ['tool'], false],
        ['fs', process.execPath, [path.join(serversDir, 'fs.js'), '--root', path.join(base, 'ws')], true],
        ['http', process.execPath, [path.join(serversDir, 'http.js'), '--allow', 'example.com'], true],
      ],
    );
    const first = config.servers[0]!;
    assert.ok(first.kind !== 'http');
    assert.equal(first.cwd, path.join(base, 'work'));
    assert.deepEqual(first.env, { A: '1' });
    assert.equal(config.rules.length, 1);
    assert.equal(config.ruleProblems.length, 1);
    assert.match(config.ruleProblems[0]!, /rule 2 was left out: \/effect must be equal to one of the allowed values/);
    assert.deepEqual(config.audit, { dir: path.join(base, 'log'), keyFile: path.join(base, 'warden-audit.key'), durability: 'flush' });
    assert.equal(parseConfig({ audit: { durability: 'sync' } }, base, serversDir).audit.durability, 'sync');
    assert.equal(config.policySources, undefined, 'refusals name the file\'s own keys unless the file says otherwise');
  });

  it('takes how refusals should name the policy from a front end that writes the file', () => {
    const policySources = { userRules: 'the setting warden.policy.rules', approvals: 'answer "Always allow" for <server>/<tool> in VS Code' };
    assert.deepEqual(parseConfig({ policySources }, base, serversDir).policySources, policySources);
    assert.throws(() => parseConfig({ policySources: { userRules: 'x' } }, base, serversDir), (e: unknown) => e instanceof ConfigError && /policySources must have required property 'approvals'/.test(e.message));
  });

  it('refuses a bad file with a message naming what is wrong', () => {
    assert.throws(() => parseConfig({ servers: { fx: { args: [] } } }, base, serversDir), (e: unknown) => e instanceof ConfigError && /must have required property 'command'/.test(e.message));
    assert.throws(() => parseConfig({ servers: { 'Bad.Id': { command: 'x' } } }, base, serversDir), ConfigError);
    assert.throws(() => parseConfig({ server: {} }, base, serversDir), ConfigError);
    assert.throws(
      () => parseConfig({ servers: { fs: { command: 'x' } }, builtin: { fs: { roots: ['.'] } } }, base, serversDir),
      (e: unknown) => e instanceof ConfigError && /names the server "fs" twice/.test(e.message),
    );
    assert.throws(() => parseConfig({ builtin: { sqlite: {} } }, base, serversDir), /needs "roots" or "databases"/);
    assert.throws(() => parseConfig({ audit: { durability: 'fsync' } }, base, serversDir), (e: unknown) => e instanceof ConfigError && /\/audit\/durability must be equal to one of the allowed values/.test(e.message));
  });
});

describe('gateway command line', () => {
  it('parses the serving and verifying forms', () => {
    assert.deepEqual(parseOptions(['--config', 'w.json']), { kind: 'serve', config: 'w.json', transport: { kind: 'stdio' } });
    assert.deepEqual(parseOptions(['--config', 'w.json', '--http', '127.0.0.1:8080', '--token', 'a'.repeat(16)]), {
      kind: 'serve',
      config: 'w.json',
      transport: { kind: 'http', host: '127.0.0.1', port: 8080 },
      token: 'a'.repeat(16),
    });
    assert.deepEqual(parseOptions(['--verify-audit', 'dir', '--key-file', 'k']), { kind: 'verify', dir: 'dir', keyFile: 'k' });
  });

  it('refuses mistakes, and any address off this machine', () => {
    for (const argv of [
      [],
      ['--config'],
      ['--config', 'w.json', '--http', '0.0.0.0:80'],
      ['--config', 'w.json', '--http', '192.168.1.2:80'],
      ['--config', 'w.json', '--http', '127.0.0.1:99999'],
      ['--config', 'w.json', '--stdio', '--http', '127.0.0.1:1'],
      ['--config', 'w.json', '--token', 'x'.repeat(20)],
      ['--config', 'w.json', '--http', '127.0.0.1:1', '--token', 'short'],
      ['--verify-audit', 'dir'],
      ['--config', 'w.json', '--bogus'],
    ]) {
      assert.throws(() => parseOptions(argv), UsageError, argv.join(' '));
    }
  });
});

describe('gateway HTTP guards', () => {
  it('allows only this machine and port as Host', () => {
    assert.equal(hostAllowed('127.0.0.1:8080', 8080), true);
    assert.equal(hostAllowed('LOCALHOST:8080', 8080), true);
    assert.equal(hostAllowed('127.0.0.1:8081', 8080), false);
    assert.equal(hostAllowed('evil.example:8080', 8080), false);
    assert.equal(hostAllowed(undefined, 8080), false);
  });

  it('allows no Origin or the gateway own, nothing else', () => {
    assert.equal(originAllowed(undefined, 8080), true);
    assert.equal(originAllowed('http://localhost:8080', 8080), true);
    assert.equal(originAllowed('http://127.0.0.1:8080', 8080), true);
    assert.equal(originAllowed('http://127.0.0.1:9090', 8080), false);
    assert.equal(originAllowed('https://evil.example', 8080), false);
    assert.equal(originAllowed('null', 8080), false);
    assert.equal(originAllowed('http://localhost:8080.evil.example', 8080), false);
  });

  it('matches the bearer token exactly', () => {
    assert.equal(bearerMatches('Bearer secret-token', 'secret-token'), true);
    assert.equal(bearerMatches('bearer secret-token', 'secret-token'), true);
    assert.equal(bearerMatches('Bearer secret-token2', 'secret-token'), false);
    assert.equal(bearerMatches('Basic secret-token', 'secret-token'), false);
    assert.equal(bearerMatches(undefined, 'secret-token'), false);
  });

  it('accepts the supported protocol versions, or none', () => {
    assert.equal(protocolVersionAllowed(undefined), true);
    assert.equal(protocolVersionAllowed('2025-11-25'), true);
    assert.equal(protocolVersionAllowed('2024-01-01'), false);
  });
});
