import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { LookupAddress } from 'node:dns';
import { checkUrl, type CheckedUrl, type FetchPolicy } from '../../src/servers/http/fetchPolicy';
import { parseHostPattern, type HostPattern } from '../../src/servers/http/hostPattern';
import { pinnedLookup, resolveTarget, type Resolver } from '../../src/servers/http/resolveTarget';
import { ToolError } from '../../src/servers/shared/toolResult';

function patterns(...texts: string[]): HostPattern[] {
  return texts.map((text) => {
    const parsed = parseHostPattern(text);
    assert.ok(parsed.ok, text);
    return parsed.pattern;
  });
}

function policy(hosts: string[], extra: Partial<FetchPolicy> = {}): FetchPolicy {
  return { patterns: patterns(...hosts), allowPrivate: false, extraPorts: [], ...extra };
}

function refusedUrl(url: string, on: FetchPolicy, message: string | RegExp): void {
  assert.throws(
    () => checkUrl(url, on),
    (error: unknown) => {
      assert.ok(error instanceof ToolError, `expected a ToolError for ${url}, got ${String(error)}`);
      if (typeof message === 'string') assert.equal(error.message, message);
      else assert.match(error.message, message);
      return true;
    },
  );
}

/** A resolver that fails the test if it is ever asked. */
const neverResolve: Resolver = (hostname) => Promise.reject(new Error(`resolved ${hostname}, which must not happen`));

function fixedResolver(table: Record<string, string[]>): Resolver {
  return (hostname) => {
    const addresses = table[hostname];
    if (!addresses) return Promise.reject(Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' }));
    return Promise.resolve(addresses.map((address): LookupAddress => ({ address, family: address.includes(':') ? 6 : 4 })));
  };
}

async function refusedTarget(target: CheckedUrl, allowPrivate: boolean, resolver: Resolver, message: string): Promise<void> {
  await assert.rejects(resolveTarget(target, allowPrivate, resolver), (error: unknown) => {
    assert.ok(error instanceof ToolError, `expected a ToolError, got ${String(error)}`);
    assert.equal(error.message, message);
    return true;
  });
}

const REACH = "Warden's fetch tool only reaches public hosts on the allow-list.";

describe('URL checks', () => {
  const open = policy(['example.com', '*.example.org', 'localhost', '127.0.0.1']);

  it('accepts http and https URLs on allowed hosts, normalising the host', () => {
    assert.deepEqual(
      [checkUrl('https://example.com/a?b=c#d', open)].map((t) => [t.url.href, t.host, t.port]),
      [['https://example.com/a?b=c#d', 'example.com', 443]],
    );
    assert.equal(checkUrl('http://EXAMPLE.com./', open).host, 'example.com');
    assert.equal(checkUrl('http://www.Example.ORG/', open).host, 'www.example.org');
    assert.equal(checkUrl('http://localhost./', open).host, 'localhost');
    assert.equal(checkUrl('http://LOCALHOST/', open).host, 'localhost');
    assert.equal(checkUrl('http://example.com:443/', open).port, 443);
    assert.equal(checkUrl('https://example.com:80/', open).port, 80);
    assert.equal(checkUrl('http://@example.com/', open).host, 'example.com', 'an empty user part carries no credentials');
  });

  it('refuses every scheme but http and https', () => {
    for (const [url, scheme] of [
      ['file:///etc/passwd', 'file:'],
      ['ftp://example.com/x', 'ftp:'],
      ['data:text/plain,hello', 'data:'],
      ['javascript:alert(1)', 'javascript:'],
      ['gopher://example.com/', 'gopher:'],
      ['ws://example.com/', 'ws:'],
      ['HTTP+UNIX://example.com/', 'http+unix:'],
    ]) {
      refusedUrl(url ?? '', open, `Refused: ${scheme} URLs cannot be fetched. Warden's fetch tool reaches only http: and https: URLs.`);
    }
  });

  it('refuses what is not an absolute URL', () => {
    for (const url of ['example.com', '//example.com/', '/path', 'http://', 'http://exa mple.com/', 'https://[::1/']) {
      refusedUrl(url, open, `Refused: ${JSON.stringify(url)} is not an absolute URL. Pass a full URL that starts with https:// or http://.`);
    }
  });

  it('refuses user names and passwords, naming the real host', () => {
    refusedUrl(
      'http://user:pass@example.com/',
      open,
      'Refused: http://user:pass@example.com/ has a user name and password before "@" ("user"), so its host is example.com. ' +
        'Warden\'s fetch tool never sends credentials in URLs: remove everything between "//" and "@".',
    );
    refusedUrl('http://user@example.com/', open, /^Refused: http:\/\/user@example.com\/ has a user name before "@" \("user"\), so its host is example\.com\./);
    refusedUrl('http://example.com@evil.com/', open, /has a user name before "@" \("example\.com"\), so its host is evil\.com\./);
    refusedUrl('http://example.com:443@evil.com/', open, /has a user name and password before "@" \("example\.com"\), so its host is evil\.com\./);
    refusedUrl('http://:secret@example.com/', open, /has a user name and password before "@" \(""\)/);
  });

  it('refuses hosts off the allow-list, including lookalikes and backslash tricks', () => {
    const offList = (host: string): string =>
      `Refused: ${host} is not on the allow-list (example.com, *.example.org, localhost, 127.0.0.1). ` +
      'Fetch a URL on an allowed host, or ask the user to allow this one. To allow a host, add it to the VS Code setting ' +
      'warden.http.allowedHosts (for example "api.example.com" or "*.example.com"), or start the server with --allow <host>.';
    refusedUrl('http://evil.com/', open, offList('evil.com'));
    refusedUrl('http://example.org/', open, offList('example.org'));
    refusedUrl('http://example.com.evil.com/', open, offList('example.com.evil.com'));
    refusedUrl('http://evil.com\\@example.com/', open, offList('evil.com'));
    refusedUrl('http://evil.com#@example.com/', open, offList('evil.com'));
    refusedUrl('http://127.0.0.2/', open, offList('127.0.0.2'));
    refusedUrl('http://[::1]/', open, offList('[::1]'));
    refusedUrl('http://evil%2ecom/', open, offList('evil.com'));
    assert.equal(checkUrl('http://ex%61mple.com/', open).host, 'example.com', 'a percent-encoded host is decoded before the check');
  });

  it('refuses ports other than 80, 443 and those allowed', () => {
    const message = (port: number, allowed: string): string =>
      `Refused: port ${port} is not allowed (allowed ports: ${allowed}). ` +
      'Use the default port, or ask the user to allow this one (VS Code setting warden.http.allowedPorts, or --allow-port <n>).';
    refusedUrl('http://example.com:8080/', open, message(8080, '80, 443'));
    refusedUrl('https://example.com:22/', open, message(22, '80, 443'));
    refusedUrl('http://example.com:0/', open, message(0, '80, 443'));
    const withPort = policy(['example.com'], { extraPorts: [8080] });
    assert.equal(checkUrl('http://example.com:8080/', withPort).port, 8080);
    refusedUrl('http://example.com:8081/', withPort, message(8081, '80, 443, 8080'));
  });

  it('refuses everything, saying how to allow a host, when nothing is allowed', () => {
    refusedUrl(
      'https://example.com/',
      policy([]),
      'Refused: no host is allowed, so Warden\'s fetch tool cannot reach example.com. To allow a host, add it to the VS Code setting ' +
        'warden.http.allowedHosts (for example "api.example.com" or "*.example.com"), or start the server with --allow <host>.',
    );
  });
});

describe('address checks after the URL parser', () => {
  // Every odd notation below is normalised by the URL parser before the allow-list sees it.
  const allowIps = policy(['127.0.0.1', '169.254.169.254', '10.0.0.5', '::ffff:7f00:1', '::ffff:a9fe:a9fe', '0.0.0.0', '::']);

  for (const [url, host] of [
    ['http://2130706433/', '127.0.0.1'],
    ['http://0177.0.0.1/', '127.0.0.1'],
    ['http://0x7f.1/', '127.0.0.1'],
    ['http://0x7f000001/', '127.0.0.1'],
    ['http://127.1/', '127.0.0.1'],
    ['http://127.0.1/', '127.0.0.1'],
    ['http://0x7F.0.0.01/', '127.0.0.1'],
    ['http://%31%32%37.0.0.1/', '127.0.0.1'],
    ['http://１２７.０.０.１/', '127.0.0.1'],
  ] as const) {
    it(`checks ${url} as ${host}`, async () => {
      const target = checkUrl(url, allowIps);
      assert.equal(target.host, host);
      await refusedTarget(target, false, neverResolve, `Refused: 127.0.0.1 is a loopback address. ${REACH}`);
      assert.deepEqual(await resolveTarget(target, true, neverResolve), [{ address: '127.0.0.1', family: 4 }]);
    });
  }

  it('refuses the metadata address in every notation, even with private addresses allowed', async () => {
    for (const url of ['http://169.254.169.254/', 'http://2852039166/', 'http://0xa9.0xfe.0xa9.0xfe/', 'http://0251.0376.0251.0376/', 'http://169.254.43518/']) {
      const target = checkUrl(url, allowIps);
      assert.equal(target.host, '169.254.169.254', url);
      await refusedTarget(target, true, neverResolve, `Refused: 169.254.169.254 is a cloud metadata address. ${REACH}`);
    }
  });

  it('refuses IPv4 carried in IPv6 literals, private addresses, and unspecified ones', async () => {
    await refusedTarget(
      checkUrl('http://[::ffff:127.0.0.1]/', allowIps),
      true,
      neverResolve,
      `Refused: ::ffff:7f00:1 is an IPv6 form of the IPv4 address 127.0.0.1, which Warden refuses in this form. ${REACH}`,
    );
    await refusedTarget(
      checkUrl('http://[::ffff:169.254.169.254]/', allowIps),
      true,
      neverResolve,
      `Refused: ::ffff:a9fe:a9fe is an IPv6 form of the IPv4 address 169.254.169.254, which Warden refuses in this form. ${REACH}`,
    );
    await refusedTarget(checkUrl('http://10.0.0.5/', allowIps), false, neverResolve, `Refused: 10.0.0.5 is a private address. ${REACH}`);
    await refusedTarget(checkUrl('http://0/', allowIps), true, neverResolve, `Refused: 0.0.0.0 is an unspecified ("this network") address. ${REACH}`);
    await refusedTarget(checkUrl('http://[::]/', allowIps), true, neverResolve, `Refused: :: is the unspecified address. ${REACH}`);
  });
});

describe('resolving and pinning', () => {
  const resolver = fixedResolver({
    'intranet.example.com': ['10.0.0.5'],
    'mixed.example.com': ['93.184.216.34', '127.0.0.1'],
    'public.example.com': ['93.184.216.34', '2606:2800:220:1:248:1893:25c8:1946'],
    'v6.example.com': ['2606:2800:220:1:248:1893:25c8:1946'],
    'mapped.example.com': ['::ffff:10.0.0.1'],
    'meta.example.com': ['169.254.169.254'],
    'odd.example.com': ['0x7f.1'],
    'local.example.com': ['127.0.0.1', '::1'],
    'empty.example.com': [],
  });
  const everything = policy(['*.example.com']);
  const target = (host: string): CheckedUrl => checkUrl(`http://${host}/`, everything);

  it('pins every address once all of them passed', async () => {
    assert.deepEqual(await resolveTarget(target('public.example.com'), false, resolver), [
      { address: '93.184.216.34', family: 4 },
      { address: '2606:2800:220:1:248:1893:25c8:1946', family: 6 },
    ]);
    assert.deepEqual(await resolveTarget(target('v6.example.com'), false, resolver), [{ address: '2606:2800:220:1:248:1893:25c8:1946', family: 6 }]);
    assert.deepEqual(await resolveTarget(target('local.example.com'), true, resolver), [
      { address: '127.0.0.1', family: 4 },
      { address: '::1', family: 6 },
    ]);
  });

  it('refuses a name when any of its addresses is refused', async () => {
    await refusedTarget(target('intranet.example.com'), false, resolver, `Refused: 10.0.0.5 (resolved from intranet.example.com) is a private address. ${REACH}`);
    await refusedTarget(target('mixed.example.com'), false, resolver, `Refused: 127.0.0.1 (resolved from mixed.example.com) is a loopback address. ${REACH}`);
    await refusedTarget(
      target('mapped.example.com'),
      true,
      resolver,
      `Refused: ::ffff:10.0.0.1 (resolved from mapped.example.com) is an IPv6 form of the IPv4 address 10.0.0.1, which Warden refuses in this form. ${REACH}`,
    );
    await refusedTarget(target('meta.example.com'), true, resolver, `Refused: 169.254.169.254 (resolved from meta.example.com) is a cloud metadata address. ${REACH}`);
    await refusedTarget(target('odd.example.com'), true, resolver, `Refused: 0x7f.1 (resolved from odd.example.com) is not an IP address Warden can check. ${REACH}`);
  });

  it('says when a name does not resolve', async () => {
    await refusedTarget(target('nowhere.example.com'), false, resolver, 'Could not resolve nowhere.example.com: no such host. Check the host name in the URL.');
    await refusedTarget(target('empty.example.com'), false, resolver, 'Could not resolve empty.example.com: the resolver returned no address.');
  });

  it('answers only the pinned addresses, in both shapes Node asks for', () => {
    const lookup = pinnedLookup('api.example.com', [
      { address: '93.184.216.34', family: 4 },
      { address: '2606:2800:220:1:248:1893:25c8:1946', family: 6 },
    ]);
    const answers: unknown[][] = [];
    lookup('api.example.com', { all: true }, (...args) => answers.push(args));
    lookup('api.example.com', {}, (...args) => answers.push(args));
    lookup('API.example.com', { family: 4 }, (...args) => answers.push(args));
    assert.deepEqual(answers, [
      [null, [{ address: '93.184.216.34', family: 4 }, { address: '2606:2800:220:1:248:1893:25c8:1946', family: 6 }]],
      [null, '93.184.216.34', 4],
      [null, '93.184.216.34', 4],
    ]);
    lookup('other.example.com', { all: true }, (error) => {
      assert.ok(error instanceof Error);
      assert.equal(error.message, 'Refused to resolve other.example.com: this connection is pinned to api.example.com.');
    });
  });
});
