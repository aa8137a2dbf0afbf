import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { permissionFlags } from '../../src/core/host/permissionFlags';
import { fsServerReadPaths } from '../../src/servers/fs/permissionPaths';

const PATHS = ['/ext/dist/servers/fs.js', '/home/u/project'];
const ALLOW = PATHS.map((p) => `--allow-fs-read=${p}`);

describe('permission flags for a runtime', () => {
  const cases: readonly (readonly [version: string, flag: string | undefined])[] = [
    ['18.20.4', undefined],
    ['20.6.1', undefined],
    ['20.7.0', '--experimental-permission'],
    ['20.20.2', '--experimental-permission'],
    ['21.7.3', '--experimental-permission'],
    ['22.12.0', '--experimental-permission'],
    ['22.13.0', '--permission'],
    ['22.20.0', '--permission'],
    ['23.4.0', '--experimental-permission'],
    ['23.5.0', '--permission'],
    ['24.21.0', '--permission'],
    ['26.1.0', '--permission'],
  ];
  for (const [version, flag] of cases) {
    it(`Node ${version}: ${flag ?? 'unconfined'}`, () => {
      const result = permissionFlags({ node: version }, PATHS);
      if (flag === undefined) {
        assert.deepEqual(result, { kind: 'unconfined', reason: `Node.js ${version} has no usable permission model (it needs 20.7 or later)` });
      } else {
        assert.deepEqual(result, { kind: 'confined', flags: [flag, ...ALLOW], needsProbe: false });
      }
    });
  }

  it('asks for a probe on Electron, with flags from its Node version', () => {
    assert.deepEqual(permissionFlags({ node: '22.19.0', electron: '38.2.0' }, PATHS), { kind: 'confined', flags: ['--permission', ...ALLOW], needsProbe: true });
  });

  it('runs unconfined, saying why, when a path cannot be allowed exactly or allows everything', () => {
    assert.deepEqual(permissionFlags({ node: '24.0.0' }, ['/a/we*rd']), {
      kind: 'unconfined',
      reason: 'the path "/a/we*rd" contains "*", which the permission model reads as a wildcard',
    });
    assert.deepEqual(permissionFlags({ node: '24.0.0' }, ['/']), { kind: 'unconfined', reason: 'the path "/" is a file-system root, so nothing would be confined' });
    assert.deepEqual(permissionFlags({ node: 'banana' }, PATHS), { kind: 'unconfined', reason: 'the Node.js version "banana" is not understood' });
  });

  it('refuses relative paths (a caller mistake) and drops duplicates', () => {
    assert.throws(() => permissionFlags({ node: '24.0.0' }, ['dist/servers/fs.js']), { message: 'permissionFlags: "dist/servers/fs.js" is not an absolute path.' });
    assert.deepEqual(permissionFlags({ node: '24.0.0' }, ['/a', '/a']), { kind: 'confined', flags: ['--permission', '--allow-fs-read=/a'], needsProbe: false });
  });
});

describe('what the filesystem server must read', () => {
  const realpath = (p: string): string => (p === '/home/u/link' ? '/data/project' : p);

  it('is its script, each folder as given and as its real path, and /proc/self/fd on Linux', () => {
    const ownFiles = ['/ext/fs.js', '/ext/ajv-2020.js', '/ext/ajv-draft07.js'];
    assert.deepEqual(fsServerReadPaths('/ext/fs.js', ['/home/u/link', '/w'], realpath, 'linux'), [...ownFiles, '/home/u/link', '/data/project', '/w', '/proc/self/fd']);
    assert.deepEqual(fsServerReadPaths('/ext/fs.js', ['/w'], realpath, 'darwin'), [...ownFiles, '/w']);
  });

  it('keeps a folder that does not resolve as given', () => {
    const missing = (): string => {
      throw Object.assign(new Error('ENOENT: no such file or directory'), { code: 'ENOENT' });
    };
    assert.deepEqual(fsServerReadPaths('/ext/fs.js', ['/gone'], missing, 'darwin'), ['/ext/fs.js', '/ext/ajv-2020.js', '/ext/ajv-draft07.js', '/gone']);
  });
});
