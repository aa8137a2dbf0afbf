import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { GlobError, MAX_GLOB_ALTERNATIVES, MAX_GLOB_CHARS, compileGlob, expandBraces, type GlobOptions } from '../../src/servers/fs/glob';

function matching(pattern: string, paths: readonly string[], options?: GlobOptions): string[] {
  const glob = compileGlob(pattern, options);
  return paths.filter((p) => glob.matches(p));
}

const TREE = ['a.ts', 'b.js', '.env', 'src/a.ts', 'src/b.tsx', 'src/deep/c.ts', 'src/deep/er/d.ts', 'test/a.test.ts', 'docs/README.md', 'x?y', 'x[1]'];

describe('glob: wildcards', () => {
  it('keeps * within one name and lets ** cross directories', () => {
    assert.deepEqual(matching('*.ts', TREE), ['a.ts']);
    assert.deepEqual(matching('src/*.ts', TREE), ['src/a.ts']);
    assert.deepEqual(matching('**/*.ts', TREE), ['a.ts', 'src/a.ts', 'src/deep/c.ts', 'src/deep/er/d.ts', 'test/a.test.ts']);
    assert.deepEqual(matching('src/**', TREE), ['src/a.ts', 'src/b.tsx', 'src/deep/c.ts', 'src/deep/er/d.ts']);
    assert.deepEqual(matching('src/**/d.ts', TREE), ['src/deep/er/d.ts']);
    assert.deepEqual(matching('**', ['a', 'a/b']), ['a', 'a/b']);
  });

  it('lets * match a leading dot', () => {
    assert.deepEqual(matching('*', TREE.filter((p) => !p.includes('/'))), ['a.ts', 'b.js', '.env', 'x?y', 'x[1]']);
  });

  it('matches ? as exactly one character, astral characters included', () => {
    assert.deepEqual(matching('?.ts', TREE), ['a.ts']);
    assert.deepEqual(matching('src/?.ts?', TREE), ['src/b.tsx']);
    assert.deepEqual(matching('?', ['😀', 'ab', '']), ['😀']);
  });

  it('treats ** inside a name as *', () => {
    assert.deepEqual(matching('src/a**', TREE), ['src/a.ts']);
  });

  it('ignores a leading ./ and repeated slashes, in the pattern and the path', () => {
    assert.deepEqual(matching('./src//a.ts', TREE), ['src/a.ts']);
    assert.equal(compileGlob('src/a.ts').matches('./src/a.ts'), true);
  });
});

describe('glob: sets, alternatives and escapes', () => {
  it('matches character classes, ranges and negations', () => {
    assert.deepEqual(matching('[ab].*', TREE), ['a.ts', 'b.js']);
    assert.deepEqual(matching('[a-b].ts', TREE), ['a.ts']);
    assert.deepEqual(matching('[!a].*', TREE), ['b.js']);
    assert.deepEqual(matching('[^a].*', TREE), ['b.js']);
    assert.deepEqual(matching('[]x]', [']', 'x', 'y']), [']', 'x']);
  });

  it('takes an unclosed [ literally', () => {
    assert.deepEqual(matching('x[1', ['x[1', 'x1']), ['x[1']);
  });

  it('expands {a,b}, nested, and leaves a group without a comma literal', () => {
    assert.deepEqual(matching('src/*.{ts,tsx}', TREE), ['src/a.ts', 'src/b.tsx']);
    assert.deepEqual(matching('{src,test}/**/*.ts', TREE), ['src/a.ts', 'src/deep/c.ts', 'src/deep/er/d.ts', 'test/a.test.ts']);
    assert.deepEqual(expandBraces('a{b,c{d,e}}f'), ['abf', 'acdf', 'acef']);
    assert.deepEqual(expandBraces('{a}'), ['{a}']);
    assert.deepEqual(matching('{a}', ['{a}', 'a']), ['{a}']);
  });

  it('takes the character after a backslash literally', () => {
    assert.deepEqual(matching('x\\?y', ['x?y', 'xzy']), ['x?y']);
    assert.deepEqual(matching('x\\[1]', TREE), ['x[1]']);
    assert.deepEqual(expandBraces('\\{a,b}'), ['\\{a,b}']);
  });
});

describe('glob: options', () => {
  it('ignores case when asked', () => {
    assert.deepEqual(matching('readme.md', ['README.md', 'readme.md']), ['readme.md']);
    assert.deepEqual(matching('readme.md', ['README.md', 'readme.md'], { nocase: true }), ['README.md', 'readme.md']);
    assert.deepEqual(matching('[A-Z]', ['q', 'Q'], { nocase: true }), ['q', 'Q']);
  });

  it('matches a rule at any depth, and everything beneath what it matches', () => {
    const rule = { anyDepth: true };
    assert.deepEqual(matching('.git', ['.git', 'a/.git', 'a/.git/config', '.github/x', 'git'], rule), ['.git', 'a/.git', 'a/.git/config']);
    assert.deepEqual(matching('.aws/credentials', ['.aws/credentials', 'home/.aws/credentials', '.aws/config'], rule), ['.aws/credentials', 'home/.aws/credentials']);
    assert.deepEqual(matching('*.pem', ['a.pem', 'x/y/b.pem', 'c.pem.txt'], rule), ['a.pem', 'x/y/b.pem']);
  });
});

describe('glob: bounds', () => {
  it('refuses an empty pattern, a NUL byte, an over-long pattern and too many alternatives', () => {
    assert.throws(() => compileGlob(''), new GlobError('The glob pattern is empty.'));
    assert.throws(() => compileGlob('a\0b'), new GlobError('The glob pattern contains a NUL byte.'));
    assert.throws(() => compileGlob('a'.repeat(MAX_GLOB_CHARS + 1)), new GlobError(`The glob pattern is ${MAX_GLOB_CHARS + 1} characters long; the limit is ${MAX_GLOB_CHARS}.`));
    assert.throws(() => compileGlob('{a,b}{a,b}{a,b}{a,b}{a,b}{a,b}{a,b}{a,b}{a,b}'), {
      name: 'GlobError',
      message: `The glob pattern expands to more than ${MAX_GLOB_ALTERNATIVES} alternatives; use fewer {a,b} groups.`,
    });
  });

  it('answers patterns that make a backtracking matcher explode (no RegExp involved)', () => {
    // As a RegExp, ^[^/]*a[^/]*a...b$ against 200 "a"s takes O(n^k) steps; here it is O(n x k).
    const stars = `${'*a'.repeat(12)}*b`;
    assert.equal(compileGlob(stars).matches('a'.repeat(200)), false);
    assert.equal(compileGlob(stars).matches(`${'a'.repeat(200)}b`), true);
    const globstars = `${'**/a/'.repeat(10)}b`;
    assert.equal(compileGlob(globstars).matches(Array.from({ length: 60 }, () => 'a').join('/')), false);
  });
});
