import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Catalog, CatalogSetupError, WALK_LIMITS } from '../../src/servers/sqlite/catalog';
import { DEFAULT_MAX_DB_BYTES, parseSqliteServerArgs } from '../../src/servers/sqlite/options';
import { ToolError } from '../../src/servers/shared/toolResult';

/**
 *   root/a.sqlite  root/b.db  root/notes.txt  root/sub/c.sqlite3  root/sub/deep/.../d.db (too deep)
 *   root/node_modules/x.db  root/.git/y.db  root/link.sqlite -> ../outside/secret.sqlite
 *   root/linkdir -> ../outside    root/sub/A.SQLITE
 *   outside/secret.sqlite   other/a.sqlite
 */
let tmp = '';
let root = '';

function touch(relative: string): string {
  const file = path.join(tmp, relative);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, '');
  return file;
}

function setupError(run: () => unknown, message: string): void {
  assert.throws(run, (error: unknown) => {
    assert.ok(error instanceof CatalogSetupError, `expected a CatalogSetupError, got ${String(error)}`);
    assert.equal(error.message, message);
    return true;
  });
}

function toolError(run: () => unknown, message: string): void {
  assert.throws(run, (error: unknown) => {
    assert.ok(error instanceof ToolError, `expected a ToolError, got ${String(error)}`);
    assert.equal(error.message, message);
    return true;
  });
}

before(() => {
  tmp = fs.realpathSync.native(fs.mkdtempSync(path.join(os.tmpdir(), 'warden-sqlite-catalog-')));
  root = path.join(tmp, 'root');
  for (const file of ['root/a.sqlite', 'root/b.db', 'root/notes.txt', 'root/sub/c.sqlite3', 'root/sub/A.SQLITE', 'root/node_modules/x.db', 'root/.git/y.db', 'outside/secret.sqlite', 'other/a.sqlite']) {
    touch(file);
  }
  touch(`root/${Array.from({ length: WALK_LIMITS.maxDepth + 1 }, (_, i) => `d${i}`).join('/')}/d.db`);
  fs.symlinkSync('../outside/secret.sqlite', path.join(root, 'link.sqlite'));
  fs.symlinkSync('../outside', path.join(root, 'linkdir'));
});

after(() => {
  fs.rmSync(tmp, { recursive: true, force: true });
});

describe('SQLite catalog', () => {
  it('walks a root for database files, skipping links, .git, node_modules and what lies too deep', () => {
    const listing = Catalog.create([], [root]).list();
    assert.deepEqual(
      listing.databases.map((d) => [d.id, d.path, d.root]),
      [
        ['a.sqlite', path.join(root, 'a.sqlite'), root],
        ['b.db', path.join(root, 'b.db'), root],
        ['sub/A.SQLITE', path.join(root, 'sub/A.SQLITE'), root],
        ['sub/c.sqlite3', path.join(root, 'sub/c.sqlite3'), root],
      ],
    );
    assert.equal(listing.walkTruncated, true, 'the walk says it stopped at the depth limit');
  });

  it('names --db files by file name, first, and disambiguates equal names', () => {
    const catalog = Catalog.create([path.join(tmp, 'other/a.sqlite'), path.join(root, 'a.sqlite'), path.join(root, 'a.sqlite')], [root]);
    const ids = catalog.list().databases.map((d) => [d.id, d.path]);
    assert.deepEqual(ids.slice(0, 3), [
      ['a.sqlite', path.join(tmp, 'other/a.sqlite')],
      ['a.sqlite (2)', path.join(root, 'a.sqlite')],
      ['b.db', path.join(root, 'b.db')],
    ]);
  });

  it('finds a database by id, by id without its extension, or alone without a name', () => {
    const catalog = Catalog.create([], [root]);
    assert.equal(catalog.find('sub/c.sqlite3').path, path.join(root, 'sub/c.sqlite3'));
    assert.equal(catalog.find('b').path, path.join(root, 'b.db'));
    const single = Catalog.create([path.join(tmp, 'other/a.sqlite')], []);
    assert.equal(single.find(undefined).id, 'a.sqlite');
  });

  it('answers an unknown or missing name with the databases that exist', () => {
    const catalog = Catalog.create([], [root]);
    toolError(
      () => catalog.find('secret.sqlite'),
      'Unknown database "secret.sqlite". Databases: a.sqlite, b.db, sub/A.SQLITE, sub/c.sqlite3. Call list_databases for their paths and sizes.',
    );
    toolError(() => catalog.find(undefined), 'Name the database: this server has several (a.sqlite, b.db, sub/A.SQLITE, sub/c.sqlite3).');
  });

  it('refuses a --db inside a root that leads out through a link, and a --db or --root that is missing', () => {
    setupError(
      () => Catalog.create([path.join(root, 'link.sqlite')], [root]),
      `--db ${JSON.stringify(path.join(root, 'link.sqlite'))} lies inside --root ${root} but leads outside it through a symbolic link (to ${path.join(tmp, 'outside/secret.sqlite')}).`,
    );
    setupError(() => Catalog.create([path.join(root, 'linkdir/secret.sqlite')], [root]), `--db ${JSON.stringify(path.join(root, 'linkdir/secret.sqlite'))} lies inside --root ${root} but leads outside it through a symbolic link (to ${path.join(tmp, 'outside/secret.sqlite')}).`);
    setupError(() => Catalog.create([path.join(tmp, 'none.db')], []), `--db ${JSON.stringify(path.join(tmp, 'none.db'))} does not exist or cannot be read (ENOENT).`);
    setupError(() => Catalog.create([], [path.join(tmp, 'none')]), `--root ${JSON.stringify(path.join(tmp, 'none'))} does not exist or cannot be read (ENOENT).`);
    setupError(() => Catalog.create([root], []), `--db ${JSON.stringify(root)} is not a file.`);
    assert.equal(Catalog.create([path.join(tmp, 'outside/secret.sqlite')], [root]).list().databases[0]?.root, undefined, 'a --db outside every root is allowed');
  });
});

describe('SQLite server command line', () => {
  it('takes databases, roots and limits', () => {
    assert.deepEqual(parseSqliteServerArgs(['--db', 'a.db', '--root', 'r', '--max-rows', '20', '--timeout-ms', '300', '--max-result-bytes', '4096', '--max-db-bytes', '8192']), {
      kind: 'run',
      args: { dbs: ['a.db'], roots: ['r'], maxRows: 20, timeoutMs: 300, maxResultBytes: 4096, maxDatabaseBytes: 8192 },
    });
    const defaults = parseSqliteServerArgs(['--root', '.']);
    assert.equal(defaults.kind === 'run' && defaults.args.maxDatabaseBytes, DEFAULT_MAX_DB_BYTES);
    assert.deepEqual(parseSqliteServerArgs(['-h']), { kind: 'help' });
  });

  it('explains what is wrong with a bad command line', () => {
    assert.deepEqual(parseSqliteServerArgs([]), { kind: 'error', message: 'At least one --db <file> or --root <dir> is required.' });
    assert.deepEqual(parseSqliteServerArgs(['--db']), { kind: 'error', message: '--db needs a value.' });
    assert.deepEqual(parseSqliteServerArgs(['--db', 'a', '--write']), { kind: 'error', message: 'Unknown argument "--write".' });
    assert.deepEqual(parseSqliteServerArgs(['--db', 'a', '--max-rows', '0']), { kind: 'error', message: '--max-rows must be a whole number from 1 to 100000, not "0".' });
    assert.deepEqual(parseSqliteServerArgs(['--db', 'a', '--timeout-ms', '1.5']), { kind: 'error', message: '--timeout-ms must be a whole number from 1 to 3600000, not "1.5".' });
    assert.deepEqual(parseSqliteServerArgs(['--db', 'a', '--max-result-bytes', '10']), { kind: 'error', message: '--max-result-bytes must be a whole number from 1024 to 16777216, not "10".' });
  });
});
