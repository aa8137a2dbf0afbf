import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { matchHost, parseHostPattern, type HostPattern } from '../../src/servers/http/hostPattern';
import { DEFAULT_MAX_BYTES, DEFAULT_TIMEOUT_MS, parseHttpServerArgs } from '../../src/servers/http/options';

function pattern(text: string): HostPattern {
  const parsed = parseHostPattern(text);
  assert.ok(parsed.ok, `${text} should parse: ${parsed.ok ? '' : parsed.message}`);
  return parsed.pattern;
}

function refused(text: string, message: string): void {
  const parsed = parseHostPattern(text);
  assert.equal(parsed.ok, false, `${JSON.stringify(text)} should be refused`);
  if (!parsed.ok) assert.equal(parsed.message, message);
}

const NOT_A_PATTERN = (text: string): string =>
  `${JSON.stringify(text)} is not a host pattern: give a host name (api.example.com), *.example.com for its subdomains, or an IP address.`;

describe('host patterns', () => {
  it('normalises exact hosts: case, trailing dot, IDN, IP notations', () => {
    assert.deepEqual(pattern('api.example.com'), { text: 'api.example.com', kind: 'exact', host: 'api.example.com' });
    assert.equal(pattern('API.Example.COM.').host, 'api.example.com');
    assert.equal(pattern('  docs.example.com ').host, 'docs.example.com');
    assert.equal(pattern('bücher.example').host, 'xn--bcher-kva.example');
    assert.equal(pattern('localhost').host, 'localhost');
    assert.equal(pattern('127.0.0.1').host, '127.0.0.1');
    assert.equal(pattern('0x7f.1').host, '127.0.0.1');
    assert.equal(pattern('::1').host, '[::1]');
    assert.equal(pattern('[0:0::1]').host, '[::1]');
    assert.equal(pattern('[FD00:EC2::254]').host, '[fd00:ec2::254]');
  });

  it('reads *.domain as its subdomains', () => {
    assert.deepEqual(pattern('*.Example.com'), { text: '*.Example.com', kind: 'subdomains', host: 'example.com' });
    assert.equal(pattern('*.example.co.uk').host, 'example.co.uk');
  });

  it('refuses what is not a plain host', () => {
    for (const text of ['', '*', 'example.com:8080', 'http://example.com', 'example.com/path', 'user@example.com', 'exa mple.com', '*example.com', 'a.*.example.com', '**.example.com', '127.0.0.1:80', 'example.com?', '[::1]:80', '%41.com', 'a..b', '.']) {
      refused(text, NOT_A_PATTERN(text));
    }
  });

  it('refuses wildcards over IP addresses and top-level domains', () => {
    refused('*.127.0.0.1', '"*.127.0.0.1": a wildcard needs a domain name after "*.", not an IP address.');
    refused('*.com', '"*.com" is too broad: a wildcard needs at least two labels after "*." (like *.example.com).');
    refused('*.localhost', '"*.localhost" is too broad: a wildcard needs at least two labels after "*." (like *.example.com).');
  });

  it('matches exact hosts exactly and wildcards on subdomains only', () => {
    const patterns = [pattern('api.example.com'), pattern('*.example.org'), pattern('127.0.0.1'), pattern('::1')];
    const allowed = (host: string): string | undefined => matchHost(host, patterns)?.text;
    assert.equal(allowed('api.example.com'), 'api.example.com');
    assert.equal(allowed('API.EXAMPLE.COM.'), 'api.example.com');
    assert.equal(allowed('example.com'), undefined);
    assert.equal(allowed('www.api.example.com'), undefined);
    assert.equal(allowed('a.example.org'), '*.example.org');
    assert.equal(allowed('a.b.example.org'), '*.example.org');
    assert.equal(allowed('example.org'), undefined, 'the apex is not a subdomain');
    assert.equal(allowed('badexample.org'), undefined);
    assert.equal(allowed('example.org.evil.com'), undefined);
    assert.equal(allowed('127.0.0.1'), '127.0.0.1');
    assert.equal(allowed('127.0.0.2'), undefined);
    assert.equal(allowed('[::1]'), '::1');
    assert.equal(allowed(''), undefined);
    assert.equal(matchHost('10.0.0.1', [pattern('*.0.0.1.example.com')]), undefined);
  });
});

describe('http server command line', () => {
  it('reads every option', () => {
    const parsed = parseHttpServerArgs([
      '--allow', 'api.example.com', '--allow', '*.example.org', '--allow', 'API.example.com.', '--allow-private',
      '--allow-port', '8080', '--allow-port', '443', '--allow-port', '8080', '--max-bytes', '1000', '--max-download-bytes', '5000', '--timeout-ms', '250',
    ]);
    assert.equal(parsed.kind, 'run');
    if (parsed.kind !== 'run') return;
    assert.deepEqual(parsed.args.patterns.map((p) => `${p.kind}:${p.host}`), ['exact:api.example.com', 'subdomains:example.org']);
    assert.equal(parsed.args.allowPrivate, true);
    assert.deepEqual(parsed.args.extraPorts, [8080]);
    assert.equal(parsed.args.maxBytes, 1000);
    assert.equal(parsed.args.downloadLimit, 5000);
    assert.equal(parsed.args.timeoutMs, 250);
  });

  it('runs with no host allowed, and with the defaults', () => {
    const parsed = parseHttpServerArgs([]);
    assert.equal(parsed.kind, 'run');
    if (parsed.kind !== 'run') return;
    assert.deepEqual(parsed.args.patterns, []);
    assert.equal(parsed.args.allowPrivate, false);
    assert.equal(parsed.args.maxBytes, DEFAULT_MAX_BYTES);
    assert.equal(parsed.args.timeoutMs, DEFAULT_TIMEOUT_MS);
    assert.deepEqual(parseHttpServerArgs(['--help']), { kind: 'help' });
  });

  it('says what is wrong with a bad command line', () => {
    const cases: Array<[string[], string]> = [
      [['--allow'], '--allow needs a value.'],
      [['--allow', '--allow-private'], '--allow needs a value.'],
      [['--allow', 'a b'], `--allow: ${NOT_A_PATTERN('a b')}`],
      [['--allow-port', '0'], '--allow-port must be a port number from 1 to 65535, not "0".'],
      [['--allow-port', '65536'], '--allow-port must be a port number from 1 to 65535, not "65536".'],
      [['--allow-port', '08'], '--allow-port must be a port number from 1 to 65535, not "08".'],
      [['--max-bytes', '10'], '--max-bytes must be a whole number from 64 to 4194304, not "10".'],
      [['--timeout-ms', '1.5'], '--timeout-ms must be a whole number from 1 to 600000, not "1.5".'],
      [['--max-download-bytes', 'lots'], '--max-download-bytes must be a whole number from 64 to 268435456, not "lots".'],
      [['--root', '/tmp'], 'Unknown argument "--root".'],
    ];
    for (const [argv, message] of cases) assert.deepEqual(parseHttpServerArgs(argv), { kind: 'error', message }, argv.join(' '));
  });
});
