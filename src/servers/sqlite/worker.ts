/**
 * Entry of the SQLite server's worker thread (bundled to dist/servers/sqlite-worker.js): sql.js
 * and the databases, without the MCP server, so that starting (and restarting) a worker loads only
 * what it runs.
 */
import { runWorker } from './engine/workerMain';

runWorker();
