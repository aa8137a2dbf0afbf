// Case 5: sql.js inside Warden's SQLite server against the native sqlite3 CLI, on generated
// databases of 10 MB and 200 MB (smoke: 1 MB). Both run as a long-lived child driven over pipes:
// ours through McpClient (tools/call query), native through its stdin in JSON output mode.
// Measured: ready to query (spawn until the first answer; for ours this loads the file into
// memory), a point query by primary key, a full scan, 1,000 rows as JSON, and peak RSS.
import { existsSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { dist, peakRss } from '../lib/common.mjs';
import { median, sequential } from '../lib/measure.mjs';
import { NativeSqlite } from '../lib/nativeSqlite.mjs';
import { fmt, mb, target } from '../lib/report.mjs';
import { benchDatabase, sqliteCli } from '../lib/sqliteFiles.mjs';
import { connectClient } from '../lib/warden.mjs';

const SCAN = 'SELECT count(*), sum(value), max(length(note)) FROM items';
const POINT = 'SELECT * FROM items WHERE id = ?';
const ROWS = 'SELECT * FROM items WHERE id > ? ORDER BY id LIMIT 1000';

async function startOurs(file) {
  const start = performance.now();
  const server = await connectClient(process.execPath, [dist('servers/sqlite.js'), '--db', file, '--max-rows', '1000', '--timeout-ms', '120000']);
  const first = performance.now();
  const query = async (sql, params) => {
    const result = await server.client.callTool('query', params ? { sql, params } : { sql }, { timeoutMs: 120_000 });
    if (result.isError === true) throw new Error(`The query failed: ${JSON.stringify(result.content).slice(0, 300)}`);
    return result.structuredContent;
  };
  await query('SELECT 1 FROM items LIMIT 1');
  const ready = performance.now();
  return { server, query, pid: server.pid, readyMs: ready - start, loadMs: ready - first, close: server.close };
}

async function startNative(file) {
  const start = performance.now();
  const native = new NativeSqlite(file);
  await native.query('SELECT 1 FROM items LIMIT 1');
  return { native, pid: native.pid, readyMs: performance.now() - start, close: () => native.close() };
}

function ops(db, ours, native) {
  const id = (i) => ((i * 7919) % db.rows) + 1;
  const from = (i) => (i * 104_729) % Math.max(1, db.rows - 1000);
  const rowsOf = (result, n) => {
    if (result.rowCount !== n) throw new Error(`Expected ${n} rows, got ${result.rowCount}.`);
  };
  return {
    point: {
      ours: async (i) => rowsOf(await ours.query(POINT, [id(i)]), 1),
      native: async (i) => native.native.query(POINT.replace('?', String(id(i)))),
    },
    scan: {
      ours: async () => rowsOf(await ours.query(SCAN), 1),
      native: async () => native.native.query(SCAN),
    },
    rows1000: {
      ours: async (i) => rowsOf(await ours.query(ROWS, [from(i)]), 1000),
      native: async (i) => native.native.query(ROWS.replace('?', String(from(i)))),
    },
  };
}

async function measureSize(megabytes, { smoke, log }) {
  const db = benchDatabase(megabytes, log);
  const big = megabytes >= 100;
  const openReps = smoke ? 1 : big ? 3 : 5;
  const ready = { ours: [], native: [], load: [] };
  let ours;
  let native;
  try {
    for (let rep = 0; rep < openReps; rep++) {
      const last = rep === openReps - 1;
      for (const which of rep % 2 === 0 ? ['ours', 'native'] : ['native', 'ours']) {
        const started = which === 'ours' ? await startOurs(db.file) : await startNative(db.file);
        ready[which].push(started.readyMs);
        if (which === 'ours') ready.load.push(started.loadMs);
        if (last) {
          if (which === 'ours') ours = started;
          else native = started;
        } else {
          await started.close();
        }
      }
    }
    const rssReady = peakRss(ours.pid);
    const counts = { point: smoke ? 20 : 600, scan: smoke ? 2 : big ? 9 : 60, rows1000: smoke ? 5 : 150 };
    const operations = ops(db, ours, native);
    const rows = (await native.native.query(ROWS.replace('?', '0'))).match(/"id":/g)?.length;
    if (rows !== 1000) throw new Error(`sqlite3 returned ${rows} rows for 1,000.`);
    for (const op of Object.values(operations)) {
      await sequential(op.ours, smoke ? 2 : 5);
      await sequential(op.native, smoke ? 2 : 5);
    }
    const samples = Object.fromEntries(Object.keys(operations).map((k) => [k, { ours: [], native: [] }]));
    const rounds = smoke ? 1 : 3;
    for (let round = 0; round < rounds; round++) {
      for (const [name, op] of Object.entries(operations)) {
        for (const which of round % 2 === 0 ? ['ours', 'native'] : ['native', 'ours']) {
          samples[name][which].push(...(await sequential(op[which], Math.ceil(counts[name] / rounds))));
        }
      }
      log(`  ${megabytes} MB: round ${round + 1}/${rounds} done`);
    }
    const rss = { ours: peakRss(ours.pid), native: peakRss(native.pid) };
    const p50 = (name, which) => median(samples[name][which]) / 1000;
    return { db, ready: { ours: median(ready.ours), native: median(ready.native), load: median(ready.load) }, p50, rss, rssReady };
  } finally {
    await ours?.close();
    await native?.close();
  }
}

export default {
  name: 'sqlite',
  title: 'SQLite: sql.js in the Warden server vs the native sqlite3 CLI',
  async run({ smoke, log }) {
    if (!existsSync(dist('servers/sqlite.js'))) {
      return { skipped: 'dist/servers/sqlite.js does not exist yet (the SQLite server is not built): run node scripts/build.mjs once it is.' };
    }
    const cli = sqliteCli();
    if (!cli.ok) return { skipped: cli.message };
    const sizes = smoke ? [1] : [10, 200];
    const sections = [];
    const targets = [];
    const numbers = {};
    const ratios = {};
    for (const megabytes of sizes) {
      const r = await measureSize(megabytes, { smoke, log });
      const size = `${megabytes} MB`;
      const row = (label, name) => [label, fmt(r.p50(name, 'ours'), 3), fmt(r.p50(name, 'native'), 3), fmt(r.p50(name, 'ours') / r.p50(name, 'native'), 2)];
      sections.push({
        title: `SQLite, ${size} database (${r.db.rows.toLocaleString('en-US')} rows, file ${fmt(mb(r.db.bytes))} MB); times are p50 in ms`,
        columns: ['operation', 'ours (sql.js server) ms', `native sqlite3 ${cli.version} ms`, 'ours / native'],
        rows: [
          ['ready: spawn to first answer', fmt(r.ready.ours, 1), fmt(r.ready.native, 1), fmt(r.ready.ours / r.ready.native, 2)],
          ['  of which: first query, loading the file', fmt(r.ready.load, 1), '–', '–'],
          row('point query by primary key', 'point'),
          row('full scan (count, sum, max over every row)', 'scan'),
          row('1,000 rows as JSON', 'rows1000'),
          ['peak RSS MB, once ready (after the first query)', fmt(mb(r.rssReady)), '–', `${fmt(r.rssReady / r.db.bytes, 2)}× file size (ours)`],
          ['peak RSS MB, after all the queries above', fmt(mb(r.rss.ours)), fmt(mb(r.rss.native)), `${fmt(r.rss.ours / r.db.bytes, 2)}× file size (ours)`],
        ],
      });
      targets.push(target(`${size}: full scan, ours / native`, r.p50('scan', 'ours') / r.p50('scan', 'native'), '<=', 1.5));
      if (megabytes >= 100) {
        targets.push(target(`${size}: ready to query (spawn to first answer), ms`, r.ready.ours, '<', 500));
        targets.push(target(`${size}: server peak RSS / file size, after all the queries`, r.rss.ours / r.db.bytes, '<', 1.5));
        ratios[`${size}: server peak RSS / file size, once ready`] = r.rssReady / r.db.bytes;
      } else {
        ratios[`${size}: server peak RSS / file size (fixed costs dominate a small file)`] = r.rss.ours / r.db.bytes;
      }
      ratios[`${size}: 1,000 rows as JSON, ours / native`] = r.p50('rows1000', 'ours') / r.p50('rows1000', 'native');
      ratios[`${size}: point query, ours / native`] = r.p50('point', 'ours') / r.p50('point', 'native');
      for (const name of ['point', 'scan', 'rows1000']) {
        numbers[`${size}.${name}.ours`] = r.p50(name, 'ours');
        numbers[`${size}.${name}.native`] = r.p50(name, 'native');
      }
      Object.assign(numbers, { [`${size}.rss.ready`]: r.rssReady }, { [`${size}.ready.ours`]: r.ready.ours, [`${size}.ready.native`]: r.ready.native, [`${size}.rss.ours`]: r.rss.ours, [`${size}.rss.native`]: r.rss.native });
    }
    return {
      sections,
      targets,
      ratios,
      numbers,
      notes: [
        'Ours runs with --max-rows 1000 (the default is 500) so one call returns the 1,000 rows.',
        `The native CLI is SQLite ${cli.version}; sql.js 1.16 carries SQLite 3.54. Native reads through the page cache (warm), sql.js from memory.`,
      ],
    };
  },
};
