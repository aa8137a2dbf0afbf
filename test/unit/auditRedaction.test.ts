import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { finishedBody, refusedBody, startedBody } from '../../src/core/audit/callEntries';
import { isSecretKey, REDACTED, Redactor } from '../../src/core/audit/redaction';
import { canonicalJson, sha256Hex } from '../../src/core/util/canonicalJson';

const redactor = new Redactor();

describe('redaction: keys that name a secret', () => {
  const secret = [
    'token', 'accessToken', 'access_token', 'REFRESH_TOKEN', 'authToken', 'id_token', 'secret', 'client_secret', 'clientSecret',
    'password', 'Password', 'DB_PASSWORD', 'passwd', 'pwd', 'passphrase', 'apiKey', 'api_key', 'API-KEY', 'x-api-key', 'APIKEY',
    'authorization', 'Authorization', 'auth', 'cookie', 'Set-Cookie', 'credentials', 'credential', 'private_key', 'privateKey',
    'access_key', 'AWS_SECRET_ACCESS_KEY', 'accessKeyId', 'sessionId', 'jwt', 'bearer',
  ];
  const ordinary = ['path', 'author', 'max_tokens', 'maxTokens', 'tokens', 'tokenizer', 'keyword', 'key', 'sessions', 'description', 'passage', 'id'];

  for (const key of secret) it(`redacts the value under "${key}"`, () => assert.equal(isSecretKey(key), true));
  for (const key of ordinary) it(`keeps the value under "${key}"`, () => assert.equal(isSecretKey(key), false));

  it('redacts at any depth, inside objects and arrays, whatever the value', () => {
    const args = {
      path: 'a.txt',
      headers: { Authorization: 'Bearer abc', 'X-Trace': 'ok' },
      accounts: [{ user: 'u', password: 'hunter2' }, { user: 'v', password: 12345 }],
      config: { apiKey: { nested: 'object', deep: [1, 2] } },
    };
    assert.deepEqual(redactor.value(args), {
      accounts: [
        { password: REDACTED, user: 'u' },
        { password: REDACTED, user: 'v' },
      ],
      config: { apiKey: REDACTED },
      headers: { Authorization: REDACTED, 'X-Trace': 'ok' },
      path: 'a.txt',
    });
  });

  it('keeps null, booleans and empty strings under secret keys: they say a secret was absent', () => {
    assert.deepEqual(redactor.value({ token: null, password: '', useCookie: true }), { password: '', token: null, useCookie: true });
  });
});

describe('redaction: text that looks like a secret', () => {
  const jwt = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U';
  const pem = '-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA7V\nabc==\n-----END RSA PRIVATE KEY-----';
  const cases: [string, string][] = [
    ['curl -H "Authorization: Bearer abcdefghijklmnop123"', 'curl -H "Authorization: Bearer [redacted]"'],
    ['header Basic dXNlcjpwYXNzd29yZA==', 'header Basic [redacted]'],
    ['key sk-proj-ABCDEFGHIJKLMNOPQRSTUV done', 'key [redacted] done'],
    ['anthropic sk-ant-api03-abcdefghijklmnopqrstu', 'anthropic [redacted]'],
    ['gh ghp_0123456789abcdefghijABCDEFGHIJ012345', 'gh [redacted]'],
    ['pat github_pat_11ABCDEFG0123456789_abcdefghijklmnop', 'pat [redacted]'],
    ['aws AKIAIOSFODNN7EXAMPLE here', 'aws [redacted] here'],
    [`jwt ${jwt}`, 'jwt [redacted]'],
    [`before\n${pem}\nafter`, 'before\n[redacted]\nafter'],
    ['cut -----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA', 'cut [redacted]'],
    ['slack xoxb-123456789012-abcdefABCDEF', 'slack [redacted]'],
    ['google AIzaSyA1234567890abcdefghijklmnopqrstuv', 'google [redacted]'],
    ['stripe sk_live_abcdefghijklmnop1234', 'stripe [redacted]'],
    ['postgres://admin:s3cr3t@db.local:5432/app', 'postgres://admin:[redacted]@db.local:5432/app'],
    ['DB_PASSWORD=hunter2\nAPI_KEY=xyz123\nDEBUG=true', 'DB_PASSWORD=[redacted]\nAPI_KEY=[redacted]\nDEBUG=true'],
    ['{"client_secret": "abc123"}', '{"client_secret": "[redacted]"}'],
  ];
  for (const [input, expected] of cases) {
    it(`redacts ${JSON.stringify(input.slice(0, 40))}`, () => assert.equal(redactor.text(input, 1000), expected));
  }

  const harmless = [
    'Read 12 files in src/; max_tokens: 100',
    'The author of the basic idea is unknown',
    'token expired, sign in again',
    'sk-short',
    'see https://example.com/docs?page=2',
  ];
  for (const text of harmless) it(`leaves ${JSON.stringify(text)} alone`, () => assert.equal(redactor.text(text, 1000), text));

  it('redacts secrets in object keys too', () => {
    assert.deepEqual(redactor.value({ 'ghp_0123456789abcdefghijABCDEFGHIJ012345': 1 }), { [REDACTED]: 1 });
  });
});

describe('redaction: configured secret values', () => {
  it('masks every occurrence of each configured value, longest first', () => {
    const withEnv = new Redactor(['s3cr3t-value', 's3cr3t', 'abc']);
    assert.equal(withEnv.text('a s3cr3t-value and s3cr3t, abc too', 1000), 'a [redacted] and [redacted], abc too');
    assert.deepEqual(withEnv.value({ query: 'select s3cr3t' }), { query: 'select [redacted]' });
  });
});

describe('redaction: size limits', () => {
  it('redacts before cutting, so no half of a secret is stored', () => {
    const padded = `${'x'.repeat(990)} ghp_0123456789abcdefghijABCDEFGHIJ012345${'y'.repeat(500)}`;
    const out = redactor.text(padded, 1000);
    assert.doesNotMatch(out, /ghp_/);
    assert.match(out, /… \[\d+ more characters\]$/);
  });

  it('caps strings, arrays and object sizes, and says how much was left out', () => {
    const small = new Redactor([], { maxStringChars: 5, maxItems: 2, maxDepth: 3 });
    assert.deepEqual(small.value({ a: 'abcdefgh', b: [1, 2, 3, 4], c: { d: { e: { f: 1 } } }, z: 1 }), {
      '[more]': '2 more keys',
      a: 'abcde… [3 more characters]',
      b: [1, 2, '[2 more items]'],
    });
    assert.deepEqual(small.value({ c: { d: { e: { f: 1 } } } }), { c: { d: { e: '[too deeply nested]' } } });
  });
});

describe('call records', () => {
  const args = { path: 'notes.txt', token: 'tok-123456789' };

  it('hash the unredacted arguments and store them redacted', () => {
    const body = startedBody({ id: 'c', caller: 'palette', server: 'fs', tool: 'read_text', args, decision: { effect: 'allow', rule: { id: 'r', source: 'user' } } }, redactor);
    assert.equal(body.argsSha256, sha256Hex(canonicalJson(args)));
    assert.deepEqual(body.args, { path: 'notes.txt', token: REDACTED });
    assert.deepEqual(body.decision, { effect: 'allow', reason: 'allowed by the user rule "r"', ruleId: 'r', ruleSource: 'user' });
  });

  it('keep the deny rule and its reason, redacted, in a refused record', () => {
    const body = refusedBody(
      {
        id: 'd',
        caller: 'copilot',
        server: 'fs',
        tool: 'write',
        args,
        outcome: 'denied',
        errorCode: 'POLICY_DENIED',
        message: 'Denied: the token tok-123456789 is not allowed',
        decision: { effect: 'deny', rule: { id: 'no-writes' }, message: 'Rule "no-writes" denies write' },
      },
      new Redactor(['tok-123456789']),
    );
    assert.equal(body.message, 'Denied: the token [redacted] is not allowed');
    assert.deepEqual(body.decision, { effect: 'deny', reason: 'Rule "no-writes" denies write', ruleId: 'no-writes' });
  });

  it('redact and shorten the result preview and the error message of a finished record', () => {
    const body = finishedBody({ id: 'c', durationMs: 12.34567, outcome: 'tool-error', errorCode: 'X', message: 'password=abc', resultBytes: 5000, preview: `API_KEY=zzz ${'t'.repeat(500)}` }, redactor);
    assert.equal(body.durationMs, 12.346);
    assert.equal(body.message, 'password=[redacted]');
    assert.equal(body.result?.bytes, 5000);
    assert.match(body.result?.preview ?? '', /^API_KEY=\[redacted\] t+… \[\d+ more characters\]$/);
    assert.ok((body.result?.preview ?? '').length < 240);
  });
});
