import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { JailSetupError, MAX_PATH_CHARS, PathError, createJail, isInside, type Jail, type PathErrorReason, type PathSystem } from '../../src/servers/fs/jail';

/**
 * The tree every case runs against (made fresh under the OS temp directory):
 *   ws/a.txt, ws/sub/deep/b.txt, ws/%2e%2e/f.txt, ws/\u2024\u2024/f.txt
 *   ws/link-in -> sub/deep/b.txt          ws/dirlink-in -> sub
 *   ws/link-out -> ../outside/secret.txt  ws/dirlink-out -> ../outside
 *   ws/dangling-in -> nothing.txt         ws/link-to-ws2 -> ../ws2/c.txt
 *   ws-evil/x, outside/secret.txt, ws2/c.txt, ws-alias -> ws
 */
let tmp = '';
let ws = '';
let ws2 = '';
let jail: Jail;

function mkfile(relative: string, text = 'x'): void {
  const file = path.join(tmp, relative);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
}

function link(target: string, relative: string): void {
  fs.symlinkSync(target, path.join(tmp, relative));
}

function rejects(input: unknown, reason: PathErrorReason, message: string, on: Jail = jail): void {
  assert.throws(
    () => on.resolve(input),
    (error: unknown) => {
      assert.ok(error instanceof PathError, `expected a PathError, got ${String(error)}`);
      assert.equal(error.reason, reason);
      assert.equal(error.message, message);
      return true;
    },
  );
}

function deniedMessage(input: string, roots = ws, how = ''): string {
  return `Access denied: ${JSON.stringify(input)} resolves outside the workspace folders (${roots})${how}.`;
}

function notFoundMessage(input: string, roots = ws): string {
  return `Not found: ${JSON.stringify(input)} does not exist in the workspace folders (${roots}).`;
}

const THROUGH_LINK = ' through a symbolic link';

before(() => {
  tmp = fs.realpathSync.native(fs.mkdtempSync(path.join(os.tmpdir(), 'warden-jail-')));
  ws = path.join(tmp, 'ws');
  ws2 = path.join(tmp, 'ws2');
  mkfile('ws/a.txt');
  mkfile('ws/sub/deep/b.txt');
  mkfile('ws/%2e%2e/f.txt');
  mkfile('ws/\u2024\u2024/f.txt');
  mkfile('ws-evil/x');
  mkfile('outside/secret.txt', 'secret');
  mkfile('ws2/c.txt');
  link('sub/deep/b.txt', 'ws/link-in');
  link('sub', 'ws/dirlink-in');
  link('../outside/secret.txt', 'ws/link-out');
  link('../outside', 'ws/dirlink-out');
  link('nothing.txt', 'ws/dangling-in');
  link('../ws2/c.txt', 'ws/link-to-ws2');
  link('ws', 'ws-alias');
  jail = createJail([ws]);
});

after(() => {
  fs.rmSync(tmp, { recursive: true, force: true });
});

describe('fs jail: denied', () => {
  it('refuses ".." and deeper traversal, lexically', () => {
    rejects('..', 'denied', deniedMessage('..'));
    rejects('../../etc/passwd', 'denied', deniedMessage('../../etc/passwd'));
    rejects('sub/../../outside/secret.txt', 'denied', deniedMessage('sub/../../outside/secret.txt'));
  });

  it('refuses an absolute path outside', () => {
    rejects('/etc/passwd', 'denied', deniedMessage('/etc/passwd'));
    rejects(path.join(tmp, 'outside/secret.txt'), 'denied', deniedMessage(path.join(tmp, 'outside/secret.txt')));
  });

  it('refuses a sibling that shares the root as a prefix', () => {
    const evil = path.join(tmp, 'ws-evil/x');
    rejects(evil, 'denied', deniedMessage(evil));
    rejects('../ws-evil/x', 'denied', deniedMessage('../ws-evil/x'));
  });

  it('answers the same for existing and missing files outside (no existence oracle)', () => {
    rejects('../outside/secret.txt', 'denied', deniedMessage('../outside/secret.txt'));
    rejects('../outside/missing.txt', 'denied', deniedMessage('../outside/missing.txt'));
    rejects('dirlink-out/secret.txt', 'denied', deniedMessage('dirlink-out/secret.txt', ws, THROUGH_LINK));
    rejects('dirlink-out/missing.txt', 'denied', deniedMessage('dirlink-out/missing.txt', ws, THROUGH_LINK));
    rejects('dirlink-out/no/such/dir', 'denied', deniedMessage('dirlink-out/no/such/dir', ws, THROUGH_LINK));
  });

  it('refuses a symbolic link to a file outside', () => {
    rejects('link-out', 'denied', deniedMessage('link-out', ws, THROUGH_LINK));
  });

  it('refuses a symbolic link to a directory outside, and files through it', () => {
    rejects('dirlink-out', 'denied', deniedMessage('dirlink-out', ws, THROUGH_LINK));
    rejects('dirlink-out/secret.txt', 'denied', deniedMessage('dirlink-out/secret.txt', ws, THROUGH_LINK));
    rejects(path.join(ws, 'dirlink-out/secret.txt'), 'denied', deniedMessage(path.join(ws, 'dirlink-out/secret.txt'), ws, THROUGH_LINK));
  });

  it('refuses a NUL byte and shows it escaped', () => {
    rejects('a.txt\0.png', 'invalid', 'Invalid path: "a.txt\\u0000.png" contains a NUL byte.');
    rejects('\0', 'invalid', 'Invalid path: "\\u0000" contains a NUL byte.');
  });

  it('takes URL-encoded traversal literally', () => {
    const encoded = '%2e%2e%2f%2e%2e%2fetc%2fpasswd';
    rejects(encoded, 'not-found', notFoundMessage(encoded));
    rejects('%2e%2e/%2e%2e/etc/passwd', 'not-found', notFoundMessage('%2e%2e/%2e%2e/etc/passwd'));
    rejects('..%2f..%2fetc%2fpasswd', 'not-found', notFoundMessage('..%2f..%2fetc%2fpasswd'));
    // A directory really named "%2e%2e" is an ordinary directory.
    assert.equal(jail.resolve('%2e%2e/f.txt').real, path.join(ws, '%2e%2e/f.txt'));
  });

  it('takes Unicode look-alikes of "." and "/" literally', () => {
    const leaders = '\u2024\u2024/\u2024\u2024/etc/passwd';
    const fullwidth = '\uff0e\uff0e\uff0f\uff0e\uff0e\uff0fetc\uff0fpasswd';
    const twoDotLeader = '\u2025/etc/passwd';
    rejects(leaders, 'not-found', notFoundMessage(leaders));
    rejects(fullwidth, 'not-found', notFoundMessage(fullwidth));
    rejects(twoDotLeader, 'not-found', notFoundMessage(twoDotLeader));
    assert.equal(jail.resolve('\u2024\u2024/f.txt').real, path.join(ws, '\u2024\u2024/f.txt'));
  });

  it('takes "~" and backslashes as the platform does, never as an escape', () => {
    rejects('~/.ssh/id_rsa', 'not-found', notFoundMessage('~/.ssh/id_rsa'));
    const backslashes = '..\\..\\etc\\passwd';
    if (path.sep === '\\') rejects(backslashes, 'denied', deniedMessage(backslashes));
    else rejects(backslashes, 'not-found', notFoundMessage(backslashes));
  });

  it('refuses very long paths before touching the file system', () => {
    const long = 'a/'.repeat(3000);
    rejects(long, 'invalid', `Invalid path: ${JSON.stringify(`${long.slice(0, 100)}…`)} is 6000 characters long; the limit is ${MAX_PATH_CHARS}.`);
    const atLimit = 'a/'.repeat(MAX_PATH_CHARS / 2);
    rejects(atLimit, 'not-found', notFoundMessage(`${atLimit.slice(0, 100)}…`));
    const longName = 'n'.repeat(300);
    rejects(longName, 'invalid', `Invalid path: ${JSON.stringify(`${longName.slice(0, 100)}…`)} has a name too long for the file system.`);
  });

  it('refuses inputs that are not strings, and the empty string', () => {
    rejects(42, 'invalid', 'Invalid path: expected a string, got a number.');
    rejects(null, 'invalid', 'Invalid path: expected a string, got null.');
    rejects(undefined, 'invalid', 'Invalid path: expected a string, got undefined.');
    rejects({ path: 'a.txt' }, 'invalid', 'Invalid path: expected a string, got an object.');
    rejects(['a.txt'], 'invalid', 'Invalid path: expected a string, got an array.');
    rejects(true, 'invalid', 'Invalid path: expected a string, got a boolean.');
    rejects('', 'invalid', 'Invalid path: the path is empty. Use "." for the first workspace folder.');
  });

  it('reports a missing file inside as not found, and a dangling link inside too', () => {
    rejects('nope.txt', 'not-found', notFoundMessage('nope.txt'));
    rejects('sub/nope/deeper.txt', 'not-found', notFoundMessage('sub/nope/deeper.txt'));
    rejects('a.txt/child', 'not-found', notFoundMessage('a.txt/child'));
    rejects('dangling-in', 'not-found', notFoundMessage('dangling-in'));
  });

  it('denies before it looks: an outside path never reaches the file system', () => {
    const asked: string[] = [];
    const recording: PathSystem = {
      realpath: (p) => {
        asked.push(p);
        return p;
      },
      isDirectory: () => true,
    };
    const fake = createJail(['/ws'], recording, '/');
    asked.length = 0;
    rejects('../etc/passwd', 'denied', deniedMessage('../etc/passwd', '/ws'), fake);
    rejects('/ws-evil/x', 'denied', deniedMessage('/ws-evil/x', '/ws'), fake);
    assert.deepEqual(asked, []);
    assert.equal(fake.resolve('a/b').real, '/ws/a/b');
    assert.deepEqual(asked, ['/ws/a/b']);
  });
});

describe('fs jail: allowed', () => {
  it('resolves a plain relative file, a nested file and an absolute path inside', () => {
    assert.deepEqual(jail.resolve('a.txt'), { input: 'a.txt', real: path.join(ws, 'a.txt'), root: ws, relative: 'a.txt' });
    assert.equal(jail.resolve('sub/deep/b.txt').real, path.join(ws, 'sub/deep/b.txt'));
    assert.equal(jail.resolve(path.join(ws, 'sub/deep/b.txt')).real, path.join(ws, 'sub/deep/b.txt'));
    assert.equal(jail.resolve('./sub/../a.txt').real, path.join(ws, 'a.txt'));
  });

  it('resolves the root itself', () => {
    assert.equal(jail.resolve('.').real, ws);
    assert.equal(jail.resolve(ws).real, ws);
    assert.equal(jail.resolve(`${ws}${path.sep}`).real, ws);
  });

  it('follows symbolic links that stay inside', () => {
    assert.equal(jail.resolve('link-in').real, path.join(ws, 'sub/deep/b.txt'));
    assert.equal(jail.resolve('dirlink-in/deep/b.txt').real, path.join(ws, 'sub/deep/b.txt'));
  });

  it('accepts the spelling a folder was given through a link, judging by the real path', () => {
    const alias = path.join(tmp, 'ws-alias');
    const aliased = createJail([alias]);
    assert.equal(aliased.roots[0]?.real, ws);
    assert.equal(aliased.resolve(path.join(alias, 'a.txt')).real, path.join(ws, 'a.txt'));
    const escape = `${alias}/../outside/secret.txt`;
    rejects(escape, 'denied', deniedMessage(escape), aliased);
    rejects(path.join(alias, 'link-out'), 'denied', deniedMessage(path.join(alias, 'link-out'), ws, THROUGH_LINK), aliased);
  });
});

describe('fs jail: several folders', () => {
  let multi: Jail;
  before(() => {
    multi = createJail([ws, ws2]);
  });

  it('resolves relative paths against the first folder only', () => {
    assert.equal(multi.resolve('a.txt').real, path.join(ws, 'a.txt'));
    rejects('c.txt', 'not-found', notFoundMessage('c.txt', `${ws}, ${ws2}`), multi);
  });

  it('accepts absolute paths inside any folder and names the folder', () => {
    assert.deepEqual(multi.resolve(path.join(ws2, 'c.txt')), { input: path.join(ws2, 'c.txt'), real: path.join(ws2, 'c.txt'), root: ws2, relative: 'c.txt' });
    assert.equal(multi.resolve('../ws2/c.txt').root, ws2);
  });

  it('lets a link cross from one folder into another, but not out', () => {
    assert.equal(multi.resolve('link-to-ws2').real, path.join(ws2, 'c.txt'));
    rejects('link-to-ws2', 'denied', deniedMessage('link-to-ws2', ws, THROUGH_LINK));
    rejects('link-out', 'denied', deniedMessage('link-out', `${ws}, ${ws2}`, THROUGH_LINK), multi);
    rejects('../ws-evil/x', 'denied', deniedMessage('../ws-evil/x', `${ws}, ${ws2}`), multi);
  });
});

describe('fs jail: start-up', () => {
  it('needs at least one folder', () => {
    assert.throws(() => createJail([]), new JailSetupError('At least one workspace folder is required.'));
  });

  it('refuses a folder that does not exist or is not a directory', () => {
    const missing = path.join(tmp, 'missing');
    assert.throws(() => createJail([missing]), {
      name: 'JailSetupError',
      message: `Workspace folder ${JSON.stringify(missing)} does not exist or cannot be read (ENOENT).`,
    });
    const file = path.join(ws, 'a.txt');
    assert.throws(() => createJail([file]), { name: 'JailSetupError', message: `Workspace folder ${JSON.stringify(file)} is not a directory.` });
    assert.throws(() => createJail(['']), { name: 'JailSetupError', message: 'Workspace folder "" is not a valid path.' });
  });

  it('resolves a relative folder against the working directory and merges duplicates', () => {
    const relative = createJail(['ws', './ws/', ws], undefined, tmp);
    assert.deepEqual(relative.roots.map((r) => r.real), [ws]);
  });
});

describe('fs jail: containment', () => {
  it('is separator-aware', () => {
    const root = path.resolve('/ws');
    assert.equal(isInside(root, root), true);
    assert.equal(isInside(path.join(root, 'a'), root), true);
    assert.equal(isInside(path.join(root, '..x'), root), true);
    assert.equal(isInside(path.resolve('/ws-evil'), root), false);
    assert.equal(isInside(path.resolve('/ws-evil/x'), root), false);
    assert.equal(isInside(path.resolve('/'), root), false);
    assert.equal(isInside(root, path.resolve('/')), true);
  });
});
