// sql.js with nothing around it: one process reads a benchmark database, opens it and runs the
// sqlite case's queries, printing peak RSS (VmHWM) against the file size after each step. It
// separates what sql.js itself holds from what the SQLite server adds (a worker thread, the MCP
// layer). Usage: node bench/tools/sqljs-alone.mjs [megabytes=200]   (the database is generated
// and cached by the sqlite case, or here, with the sqlite3 CLI)
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { root } from '../lib/common.mjs';
import { benchDatabase } from '../lib/sqliteFiles.mjs';

const megabytes = Number(process.argv[2] ?? 200);
const require = createRequire(`${root}/package.json`);
const initSqlJs = require('sql.js');
const db = benchDatabase(megabytes, console.log);

function memory() {
  const status = readFileSync('/proc/self/status', 'utf8');
  const mb = (field) => Number(new RegExp(`${field}:\\s+(\\d+)`).exec(status)[1]) / 1024;
  return { peak: mb('VmHWM'), now: mb('VmRSS') };
}

function report(step) {
  const { peak, now } = memory();
  const fileMb = db.bytes / 1024 / 1024;
  console.log(`${step.padEnd(34)} peak ${peak.toFixed(0).padStart(4)} MB (${(peak / fileMb).toFixed(2)}× the file), now ${now.toFixed(0)} MB`);
}

console.log(`sql.js alone on ${db.file} (${(db.bytes / 1024 / 1024).toFixed(0)} MB, ${db.rows} rows)`);
report('node started');
const SQL = await initSqlJs();
report('sql.js loaded');
const database = new SQL.Database(readFileSync(db.file));
database.exec('SELECT 1 FROM items LIMIT 1');
report('file read and opened');
for (let i = 0; i < 200; i++) database.exec(`SELECT * FROM items WHERE id = ${((i * 7919) % db.rows) + 1}`);
report('after 200 point queries');
for (let i = 0; i < 3; i++) database.exec('SELECT count(*), sum(value), max(length(note)) FROM items');
report('after 3 full scans');
const statement = database.prepare('SELECT * FROM items WHERE id > ? ORDER BY id LIMIT 1000');
for (let i = 0; i < 50; i++) {
  statement.bind([(i * 104_729) % Math.max(1, db.rows - 1000)]);
  let rows = 0;
  while (statement.step()) rows += statement.get().length > 0 ? 1 : 0;
  if (rows !== 1000) throw new Error(`expected 1000 rows, got ${rows}`);
  statement.reset();
}
statement.free();
report('after 50 × 1,000 rows');
database.close();
