import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { readDatabaseFile, readDatabaseFileAsync } from '../../src/servers/sqlite/databaseFile';
import type { DatabaseRef } from '../../src/servers/sqlite/protocol';

const dir = mkdtempSync(path.join(os.tmpdir(), 'warden-dbfile-'));
const root = path.join(dir, 'root');
const outside = path.join(dir, 'outside.db');
const header = Buffer.from('SQLite format 3\0', 'latin1');

function file(name: string, bytes: Buffer): DatabaseRef {
  const full = path.join(root, name);
  writeFileSync(full, bytes);
  return { id: name, path: full, root };
}

describe('reading a database file whole, on this thread or through the thread pool', () => {
  after(() => rmSync(dir, { recursive: true, force: true }));
  mkdirSync(root);
  writeFileSync(outside, Buffer.concat([header, Buffer.alloc(84)]));
  symlinkSync(outside, path.join(root, 'link.db'));

  const small = file('small.db', Buffer.concat([header, Buffer.alloc(84, 7)]));
  const text = file('notes.db', Buffer.from('not a database at all'));
  const big = file('big.db', Buffer.concat([header, Buffer.alloc(4096)]));
  const link: DatabaseRef = { id: 'link.db', path: path.join(root, 'link.db'), root };

  it('reads the same bytes and signature both ways', async () => {
    const sync = readDatabaseFile(small, 1 << 20);
    const pooled = await readDatabaseFileAsync(small, 1 << 20);
    assert.deepEqual(pooled.bytes, sync.bytes);
    assert.equal(pooled.signature, sync.signature);
  });

  it('reads into memory of its own, never the shared pool, so it can be handed to another thread', async () => {
    const { bytes } = await readDatabaseFileAsync(small, 1 << 20);
    assert.equal(bytes.buffer.byteLength, bytes.length, 'a 100-byte read owns exactly 100 bytes');
  });

  it('refuses what the synchronous read refuses, with the same words', async () => {
    for (const [ref, limit] of [[text, 1 << 20], [big, 1024], [link, 1 << 20]] as const) {
      const expected = (() => {
        try {
          readDatabaseFile(ref, limit);
        } catch (error) {
          return (error as Error).message;
        }
        return 'no error';
      })();
      assert.notEqual(expected, 'no error', `${ref.id} should be refused`);
      await assert.rejects(readDatabaseFileAsync(ref, limit), (error: Error) => error.message === expected);
    }
  });
});
