/**
 * The main thread's handle on the worker thread that holds the databases. Requests run one at a
 * time. sql.js cannot interrupt a query, so when one runs past its time limit, or its call is
 * cancelled, the worker is terminated (a few milliseconds) and a fresh one is started that reads
 * the database again; the next request works as before.
 *
 * The time limit starts when the worker reports "running", after the database is in memory, so
 * reading a large file does not count against the query; reading has its own, generous limit.
 */
import { Worker } from 'node:worker_threads';
import { errorMessage } from '../../core/util/errors';
import { ToolError } from '../shared/toolResult';
import { readDatabaseFileAsync, type DatabaseSnapshot } from './databaseFile';
import { formatDuration } from './format';
import { isWorkerReply, type DatabaseRef, type ToolPayload, type WorkerConfig, type WorkerOperation } from './protocol';

export interface DatabaseWorkerOptions {
  /** The script the worker runs (dist/servers/sqlite-worker.js). */
  readonly script: string;
  readonly config: WorkerConfig;
  /** Per request, once it is running. */
  readonly timeoutMs: number;
  /** For reading a database into memory before a request runs. */
  readonly loadTimeoutMs: number;
  readonly log: (line: string) => void;
}

/** What a timeout or a cancellation says; `what` is the work, such as "The query". */
export function timeoutMessage(what: string, timeoutMs: number): string {
  return `${what} ran longer than ${formatDuration(timeoutMs)} and was stopped. Narrow it (add WHERE or LIMIT) or raise the timeout (--timeout-ms, setting warden.sqlite.queryTimeoutSeconds).`;
}

function loadTimeoutMessage(what: string, timeoutMs: number): string {
  return `${what} took longer than ${formatDuration(timeoutMs)} and was stopped. The file may be too large for this machine; try again, or lower --max-db-bytes (setting warden.sqlite.maxDatabaseBytes) to refuse such files at once.`;
}

export class DatabaseWorker {
  private worker: Worker | undefined;
  private stopping: Promise<unknown> = Promise.resolve();
  private queue: Promise<unknown> = Promise.resolve();
  private nextId = 1;
  /** Databases being read ahead of time, by path: a call for one waits until it is handed over. */
  private readonly handingOver = new Map<string, Promise<void>>();

  constructor(private readonly options: DatabaseWorkerOptions) {}

  /**
   * Runs one operation; `what` names it in a timeout message ("The query"). `onRunning` is called
   * when the database is in memory and the operation starts (a tool reports it as progress).
   */
  run(operation: WorkerOperation, what: string, signal: AbortSignal, onRunning?: () => void): Promise<ToolPayload> {
    const result = this.queue.then(() => this.execute(operation, what, signal, onRunning));
    this.queue = result.catch(() => undefined);
    return result;
  }

  /**
   * Starts the worker and has it read these databases, in order, without waiting for it. A query
   * that comes meanwhile waits for the reading it needs, as it would have read the file itself.
   * A file that cannot be read is reported by the query that needs it.
   */
  preload(databases: readonly DatabaseRef[]): void {
    if (databases.length === 0) return;
    this.ensureWorker();
    let previous: Promise<void> = Promise.resolve();
    for (const database of databases) {
      const handedOver = previous.then(() => this.handOver(database));
      previous = handedOver;
      this.handingOver.set(database.path, handedOver);
      void handedOver.then(() => {
        if (this.handingOver.get(database.path) === handedOver) this.handingOver.delete(database.path);
      });
    }
  }

  /**
   * Reads the file on the thread pool (while the worker starts and sets up SQLite) and hands the
   * bytes over without a copy. A file that cannot be read this way is left for the worker to read,
   * which reports why. Never rejects.
   */
  private async handOver(database: DatabaseRef): Promise<void> {
    let snapshot: DatabaseSnapshot | undefined;
    try {
      snapshot = await readDatabaseFileAsync(database, this.options.config.maxDatabaseBytes);
    } catch (error) {
      this.options.log(`Reading ${database.id} ahead of time failed (${errorMessage(error)}); the worker reads it itself.`);
    }
    const worker = this.worker;
    if (worker === undefined) return; // stopped meanwhile: the next call starts afresh
    const id = this.nextId++;
    if (snapshot === undefined) {
      worker.postMessage({ op: 'load', database, id });
      return;
    }
    // readDatabaseFileAsync's memory is its own ArrayBuffer (never the shared pool's): moving it is safe.
    const buffer = snapshot.bytes.buffer as ArrayBuffer;
    const bytes = new Uint8Array(buffer, snapshot.bytes.byteOffset, snapshot.bytes.byteLength);
    worker.postMessage({ op: 'load', database, id, snapshot: { bytes, signature: snapshot.signature } }, [buffer]);
  }

  /** Stops the worker; a later `run` starts a new one. */
  async close(): Promise<void> {
    this.stop();
    await this.stopping;
  }

  private async execute(operation: WorkerOperation, what: string, signal: AbortSignal, onRunning?: () => void): Promise<ToolPayload> {
    if (signal.aborted) throw new ToolError('The call was cancelled before it started.');
    // Reading the file again here would hold it twice and race the read already under way.
    await this.handingOver.get(operation.database.path);
    await this.stopping;
    const worker = this.ensureWorker();
    const id = this.nextId++;
    worker.ref();
    return new Promise<ToolPayload>((resolve, reject) => {
      const loadLimit = this.options.loadTimeoutMs;
      const loading = `Reading ${operation.database.id} into memory`;
      let timer = setTimeout(() => fail(this.restartAfter(operation.database, loading, loadLimit, loadTimeoutMessage(loading, loadLimit))), loadLimit);
      const cleanup = (): void => {
        clearTimeout(timer);
        signal.removeEventListener('abort', onAbort);
        worker.off('message', onMessage);
        worker.off('exit', onExit);
        if (this.worker === worker) worker.unref();
      };
      const fail = (error: ToolError): void => {
        cleanup();
        reject(error);
      };
      const onMessage = (message: unknown): void => {
        if (!isWorkerReply(message) || message.id !== id) return;
        if (message.kind === 'running') {
          clearTimeout(timer);
          const limit = this.options.timeoutMs;
          timer = setTimeout(() => fail(this.restartAfter(operation.database, what, limit, timeoutMessage(what, limit))), limit);
          onRunning?.();
          return;
        }
        cleanup();
        if (message.kind === 'done') resolve(message.payload);
        else reject(new ToolError(message.message));
      };
      const onExit = (code: number): void => {
        if (this.worker === worker) this.worker = undefined;
        fail(new ToolError(`The SQLite worker stopped unexpectedly (exit code ${code}) during this call. Try again; if it happens again, see the server log.`));
      };
      const onAbort = (): void => {
        this.stop();
        this.warmUp(operation.database);
        fail(new ToolError(`The call was cancelled; ${what.toLowerCase()} was stopped.`));
      };
      worker.on('message', onMessage);
      worker.on('exit', onExit);
      signal.addEventListener('abort', onAbort, { once: true });
      worker.postMessage({ ...operation, id });
    });
  }

  /** Stops the runaway worker, starts a fresh one that reads the database again, and says why. */
  private restartAfter(database: DatabaseRef, what: string, timeoutMs: number, message: string): ToolError {
    this.options.log(`${what} passed its ${formatDuration(timeoutMs)} limit; restarting the worker.`);
    this.stop();
    this.warmUp(database);
    return new ToolError(message);
  }

  private stop(): void {
    const worker = this.worker;
    if (worker === undefined) return;
    this.worker = undefined;
    worker.removeAllListeners('exit');
    const started = performance.now();
    this.stopping = worker.terminate().then(
      () => this.options.log(`worker terminated in ${(performance.now() - started).toFixed(1)} ms`),
      (error: unknown) => this.options.log(`terminating the worker failed: ${errorMessage(error)}`),
    );
  }

  /** Starts the next worker at once and has it read the database, without waiting for it. */
  private warmUp(database: DatabaseRef): void {
    void this.stopping.then(() => {
      if (this.worker !== undefined) return;
      const worker = this.ensureWorker();
      worker.postMessage({ op: 'load', database, id: this.nextId++ });
    });
  }

  private ensureWorker(): Worker {
    if (this.worker !== undefined) return this.worker;
    // The worker sends its own stdout to stderr (see workerMain.ts): only MCP messages may reach
    // the process's stdout. (Piping it here instead would keep the process alive after stdin ends.)
    const worker = new Worker(this.options.script, { workerData: this.options.config });
    worker.on('error', (error) => this.options.log(`worker error: ${error.stack ?? error.message}`));
    worker.on('exit', (code) => {
      if (this.worker === worker) this.worker = undefined;
      this.options.log(`worker exited with code ${code}`);
    });
    worker.unref();
    this.worker = worker;
    return worker;
  }
}
