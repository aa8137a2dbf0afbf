import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { CallToolResult } from '../../src/core/protocol/types';
import type { ToolContext } from '../../src/servers/shared/toolDefinition';
import type { RegisteredTool } from '../../src/servers/shared/toolDefinition';
import { PathError, createJail, type Jail } from '../../src/servers/fs/jail';
import { parseFsServerArgs } from '../../src/servers/fs/options';
import { DEFAULT_SECRET_RULES, SecretPolicy } from '../../src/servers/fs/secretFiles';
import { listDirTool } from '../../src/servers/fs/tools/listDir';
import { readTextTool } from '../../src/servers/fs/tools/readText';
import { statTool } from '../../src/servers/fs/tools/stat';

const context: ToolContext = { signal: new AbortController().signal, progress: () => undefined };

/** One path each default rule must deny, and one it must not. */
const RULE_CASES: readonly (readonly [rule: string, denied: string, allowed: string])[] = [
  ['.env*', 'app/.env.local', 'app/env.ts'],
  ['*.pem', 'certs/server.pem', 'certs/server.pem.md'],
  ['*.key', 'tls/private.key', 'tls/keys.ts'],
  ['*.p12', 'store.p12', 'p12.txt'],
  ['*.pfx', 'a/b.pfx', 'pfx'],
  ['*.keystore', 'android/release.keystore', 'keystore.md'],
  ['*.jks', 'trust.jks', 'jks'],
  ['*.kdbx', 'vault.kdbx', 'kdbx.txt'],
  ['id_rsa*', 'home/.ssh2/id_rsa.pub', 'my_id_rsa'],
  ['id_dsa*', 'id_dsa', 'dsa'],
  ['id_ecdsa*', 'keys/id_ecdsa', 'keys/ecdsa'],
  ['id_ed25519*', 'id_ed25519', 'ed25519'],
  ['.ssh', 'u/.ssh/config', 'u/ssh/config'],
  ['.gnupg', '.gnupg/pubring.kbx', 'gnupg.md'],
  ['.git', 'sub/.git/config', '.gitignore'],
  ['.git-credentials', '.git-credentials', 'git-credentials.md'],
  ['.npmrc', 'pkg/.npmrc', 'npmrc.md'],
  ['.pypirc', '.pypirc', 'pypirc'],
  ['.netrc', '.netrc', 'netrc'],
  ['_netrc', '_netrc', 'netrc_'],
  ['.pgpass', '.pgpass', 'pgpass'],
  ['.htpasswd', 'www/.htpasswd', 'htpasswd'],
  ['.aws/credentials', 'home/.aws/credentials', 'home/.aws/config'],
  ['.azure', '.azure/accessTokens.json', 'azure.md'],
  ['.kube/config', '.kube/config', 'kube/config'],
  ['.docker/config.json', '.docker/config.json', 'docker/config.json'],
  ['credentials.json', 'gcp/credentials.json', 'credentials.ts'],
  ['*.tfstate', 'infra/terraform.tfstate', 'tfstate.md'],
  ['*.tfstate.*', 'infra/terraform.tfstate.backup', 'infra/tfstate'],
  ['*.tfvars', 'prod.tfvars', 'tfvars.md'],
];

describe('secret-file rules: the defaults', () => {
  const policy = SecretPolicy.defaults();

  it('has a case for every default rule', () => {
    assert.deepEqual(RULE_CASES.map(([rule]) => rule), [...DEFAULT_SECRET_RULES]);
  });

  for (const [rule, denied, allowed] of RULE_CASES) {
    it(`"${rule}" denies ${denied} but not ${allowed}`, () => {
      assert.equal(policy.ruleFor(denied), rule);
      assert.equal(policy.ruleFor(allowed), undefined);
    });
  }

  it('denies .git itself and anything under any .git directory, whatever the case', () => {
    assert.equal(policy.ruleFor('.git'), '.git');
    assert.equal(policy.ruleFor('vendor/lib/.git/objects/ab/cdef'), '.git');
    assert.equal(policy.ruleFor('.ENV'), '.env*');
    assert.equal(policy.ruleFor('Keys/SERVER.PEM'), '*.pem');
  });
});

describe('secret-file rules: configuration', () => {
  it('adds rules, drops the defaults, and exempts paths', () => {
    const added = SecretPolicy.create({ useDefaults: true, deny: ['*.sqlite'], allow: [] });
    assert.equal(added.ruleFor('data/app.sqlite'), '*.sqlite');
    assert.equal(added.ruleFor('.env'), '.env*');
    const none = SecretPolicy.create({ useDefaults: false, deny: [], allow: [] });
    assert.equal(none.ruleFor('.env'), undefined);
    assert.deepEqual(none.rules, []);
    const exempt = SecretPolicy.create({ useDefaults: true, deny: [], allow: ['.env.example', 'test/fixtures/**'] });
    assert.equal(exempt.ruleFor('.env.example'), undefined);
    assert.equal(exempt.ruleFor('web/.env.example'), undefined);
    assert.equal(exempt.ruleFor('.env'), '.env*');
    assert.equal(exempt.ruleFor('test/fixtures/tls/server.key'), undefined);
  });

  it('checks every path it is given and names the first rule that denies one', () => {
    const policy = SecretPolicy.defaults();
    assert.equal(policy.ruleFor('config/app.txt', 'link-to-secret'), undefined);
    assert.equal(policy.ruleFor('config/app.txt', '.npmrc'), '.npmrc');
    assert.equal(policy.ruleFor('.env', 'notes.txt'), '.env*');
  });

  it('parses --deny, --allow-secret and --no-default-deny', () => {
    const parsed = parseFsServerArgs(['--root', '/w', '--deny', '*.db', '--no-default-deny', '--allow-secret', '.env.example', '--deny', 'x']);
    assert.deepEqual(parsed, {
      kind: 'run',
      args: { roots: ['/w'], maxBytes: 256 * 1024, deny: ['*.db', 'x'], allowSecret: ['.env.example'], defaultDeny: false },
    });
    assert.deepEqual(parseFsServerArgs(['--root', '/w', '--deny']), { kind: 'error', message: '--deny needs a value.' });
  });
});

describe('secret-file rules in the jail and the tools', () => {
  let tmp = '';
  let ws = '';
  let jail: Jail;

  async function call(tool: RegisteredTool, args: Record<string, unknown>): Promise<CallToolResult> {
    const invocation = tool.invoke(args, context);
    assert.equal(invocation.kind, 'started', 'the arguments pass the schema');
    return invocation.kind === 'started' ? invocation.result : { content: [] };
  }

  function deniedBy(input: string, rule: string): void {
    assert.throws(
      () => jail.resolve(input),
      (error: unknown) => {
        assert.ok(error instanceof PathError);
        assert.equal(error.reason, 'secret');
        assert.equal(
          error.message,
          `Denied by the secret-file rule ${JSON.stringify(rule)}: ${JSON.stringify(input)} may hold credentials. To allow it, add it to the setting warden.filesystem.allowedSecretFiles.`,
        );
        return true;
      },
    );
  }

  before(() => {
    tmp = fs.realpathSync.native(fs.mkdtempSync(path.join(os.tmpdir(), 'warden-secrets-')));
    ws = path.join(tmp, 'ws');
    fs.mkdirSync(path.join(ws, '.git'), { recursive: true });
    fs.mkdirSync(path.join(ws, 'conf'));
    fs.writeFileSync(path.join(ws, '.env'), 'TOKEN=secret\n');
    fs.writeFileSync(path.join(ws, '.git', 'config'), '[core]\n');
    fs.writeFileSync(path.join(ws, 'conf', 'app.txt'), 'plain\n');
    fs.writeFileSync(path.join(ws, 'server.key'), 'KEY\n');
    fs.symlinkSync('.env', path.join(ws, 'settings.txt')); // an innocent name leading to a secret
    fs.symlinkSync('conf/app.txt', path.join(ws, '.npmrc')); // a secret name leading to plain text
    fs.symlinkSync('.git', path.join(ws, 'repo')); // a directory link into .git
    jail = createJail([ws]);
  });

  after(() => {
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('denies a secret by its real path, by the name as written, and through links', () => {
    deniedBy('.env', '.env*');
    deniedBy(path.join(ws, '.env'), '.env*');
    deniedBy('settings.txt', '.env*');
    deniedBy('.npmrc', '.npmrc');
    deniedBy('.git/config', '.git');
    deniedBy('.git', '.git');
    deniedBy('repo/config', '.git');
    deniedBy('conf/../server.key', '*.key');
    assert.equal(jail.resolve('conf/app.txt').relative, 'conf/app.txt');
  });

  it('lets an exemption through, and only it', () => {
    const exempt = createJail([ws], undefined, undefined, { secrets: SecretPolicy.create({ useDefaults: true, deny: [], allow: ['.env'] }) });
    assert.equal(exempt.resolve('.env').relative, '.env');
    assert.equal(exempt.resolve('settings.txt').relative, '.env');
    assert.throws(() => exempt.resolve('server.key'), { name: 'PathError' });
  });

  it('read_text and stat refuse secrets with the rule in the message', async () => {
    await assert.rejects(call(readTextTool(jail, { maxBytes: 1000 }), { path: '.env' }), { name: 'PathError', message: /^Denied by the secret-file rule "\.env\*": "\.env"/ });
    await assert.rejects(call(readTextTool(jail, { maxBytes: 1000 }), { path: 'settings.txt' }), { name: 'PathError', message: /^Denied by the secret-file rule "\.env\*"/ });
    await assert.rejects(call(statTool(jail), { path: 'server.key' }), { name: 'PathError', message: /^Denied by the secret-file rule "\*\.key"/ });
  });

  it('list_dir marks denied entries with their rule and shows no size', async () => {
    const listing = await call(listDirTool(jail), {});
    assert.deepEqual(listing.structuredContent?.['entries'], [
      { name: '.env', type: 'file', denied: '.env*' },
      { name: '.git', type: 'directory', denied: '.git' },
      { name: '.npmrc', type: 'symlink', denied: '.npmrc' },
      { name: 'conf', type: 'directory' },
      { name: 'repo', type: 'symlink' },
      { name: 'server.key', type: 'file', denied: '*.key' },
      { name: 'settings.txt', type: 'symlink' },
    ]);
    await assert.rejects(call(listDirTool(jail), { path: '.git' }), { name: 'PathError', message: /^Denied by the secret-file rule "\.git"/ });
    await assert.rejects(call(listDirTool(jail), { path: 'repo' }), { name: 'PathError', message: /^Denied by the secret-file rule "\.git"/ });
  });
});
