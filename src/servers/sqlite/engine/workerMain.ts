/**
 * The worker thread: it holds sql.js and the databases, and answers one request at a time. A
 * query cannot be interrupted inside sql.js, so the main thread stops a runaway one by terminating
 * this whole thread; that is why "running" is announced before the work starts.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { errorMessage } from '../../../core/util/errors';
import { ToolError } from '../../shared/toolResult';
import { isWorkerConfig, isWorkerRequest, type ToolPayload, type WorkerReply, type WorkerRequest } from '../protocol';
import { Engine, loadSqlJs } from './engine';

export function runWorker(): void {
  const port = parentPort;
  if (port === null) throw new Error('runWorker must run in a worker thread.');
  // Whatever this thread prints goes to stderr: the process's stdout carries only MCP messages.
  process.stdout.write = process.stderr.write.bind(process.stderr);
  console.log = console.error;
  console.info = console.error;
  console.debug = console.error;
  const config: unknown = workerData;
  if (!isWorkerConfig(config)) throw new Error('The SQLite worker was started without a valid configuration.');
  const engine = loadSqlJs(config.wasmPath).then((sql) => new Engine(sql, config));
  // Logged once here; every request then fails with the same message.
  engine.catch((error: unknown) => process.stderr.write(`[warden-sqlite worker] cannot start SQLite: ${errorMessage(error)}\n`));
  const send = (reply: WorkerReply): void => port.postMessage(reply);
  let queue = Promise.resolve();
  port.on('message', (message: unknown) => {
    if (!isWorkerRequest(message)) {
      process.stderr.write(`[warden-sqlite worker] ignored a malformed request: ${JSON.stringify(message)}\n`);
      return;
    }
    queue = queue.then(async () => {
      let ready: Engine;
      try {
        ready = await engine;
      } catch (error) {
        send({ id: message.id, kind: 'failed', message: errorMessage(error) });
        return;
      }
      send(answer(ready, message, send));
    });
  });
}

function answer(engine: Engine, request: WorkerRequest, send: (reply: WorkerReply) => void): WorkerReply {
  try {
    const given = request.op === 'load' ? request.snapshot : undefined;
    // The transferred memory, as a Buffer over the same bytes (no copy).
    engine.load(request.database, given && { bytes: Buffer.from(given.bytes.buffer, given.bytes.byteOffset, given.bytes.byteLength), signature: given.signature });
    if (request.op === 'load') {
      process.stderr.write(`[warden-sqlite worker] ${request.database.id} is in memory, ready to query\n`);
      return { id: request.id, kind: 'done', payload: { text: 'loaded', structured: {} } };
    }
    send({ id: request.id, kind: 'running' });
    return { id: request.id, kind: 'done', payload: perform(engine, request) };
  } catch (error) {
    if (error instanceof ToolError) {
      // Nobody waits for a load made ahead of time: the log is where its failure is seen.
      if (request.op === 'load') process.stderr.write(`[warden-sqlite worker] could not read ${request.database.id}: ${error.message}\n`);
      return { id: request.id, kind: 'failed', message: error.message };
    }
    process.stderr.write(`[warden-sqlite worker] ${request.op} failed: ${error instanceof Error ? error.stack ?? error.message : String(error)}\n`);
    return { id: request.id, kind: 'failed', message: `${request.op} failed unexpectedly: ${errorMessage(error)}` };
  }
}

function perform(engine: Engine, request: Exclude<WorkerRequest, { op: 'load' }>): ToolPayload {
  switch (request.op) {
    case 'list_tables':
      return engine.listTables(request.database);
    case 'describe_table':
      return engine.describeTable(request.database, request.table);
    case 'query':
      return engine.query(request.database, request.sql, request.params, request.maxRows);
  }
}
