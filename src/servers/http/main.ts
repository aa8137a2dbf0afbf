/**
 * Entry of the built-in HTTP fetch server (bundled to dist/servers/http.js).
 * Usage: see USAGE in options.ts. A bad command line prints the reason and the usage to stderr
 * and exits 2. Without any --allow the server runs, and refuses every fetch saying how to allow a host.
 */
import { runStdioServer, stderrLog } from '../shared/stdio';
import { USAGE, parseHttpServerArgs } from './options';
import { HTTP_SERVER_NAME, createHttpServer } from './server';

function main(): void {
  const parsed = parseHttpServerArgs(process.argv.slice(2));
  if (parsed.kind === 'help') {
    process.stderr.write(`${USAGE}\n`);
    process.exit(0);
  }
  if (parsed.kind === 'error') {
    process.stderr.write(`${HTTP_SERVER_NAME}: ${parsed.message}\n${USAGE}\n`);
    process.exit(2);
  }
  if (parsed.args.patterns.length === 0) stderrLog(`[${HTTP_SERVER_NAME}] no --allow given: every fetch will be refused.`);
  // Fetches wait on the network, so more of them run at once than in the local servers.
  runStdioServer(createHttpServer({ ...parsed.args, log: stderrLog }), HTTP_SERVER_NAME, { maxRequestsInFlight: 16 });
}

main();
