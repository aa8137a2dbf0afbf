/**
 * Entry of the built-in filesystem server (bundled to dist/servers/fs.js).
 * Usage: node dist/servers/fs.js --root <dir> [--root <dir> ...] [--max-bytes <n>]
 * A bad command line or an unusable folder prints the reason and the usage to stderr and exits 2.
 */
import { runStdioServer, stderrLog } from '../shared/stdio';
import { JailSetupError, createJail, type Jail } from './jail';
import { USAGE, parseFsServerArgs } from './options';
import { FS_SERVER_NAME, createFsServer } from './server';

function fail(message: string): never {
  process.stderr.write(`${FS_SERVER_NAME}: ${message}\n${USAGE}\n`);
  process.exit(2);
}

function main(): void {
  const parsed = parseFsServerArgs(process.argv.slice(2));
  if (parsed.kind === 'help') {
    process.stderr.write(`${USAGE}\n`);
    process.exit(0);
  }
  if (parsed.kind === 'error') fail(parsed.message);
  let jail: Jail;
  try {
    jail = createJail(parsed.args.roots);
  } catch (error) {
    if (error instanceof JailSetupError) fail(error.message);
    throw error;
  }
  runStdioServer(createFsServer({ jail, maxBytes: parsed.args.maxBytes, log: stderrLog }), FS_SERVER_NAME);
}

main();
