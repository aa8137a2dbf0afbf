/**
 * Entry of the built-in filesystem server (bundled to dist/servers/fs.js).
 * Usage: see USAGE in options.ts (node dist/servers/fs.js --help).
 * A bad command line or an unusable folder prints the reason and the usage to stderr and exits 2.
 * At start-up it logs (stderr) whether it runs confined by the Node.js permission model.
 */
import { runStdioServer, stderrLog } from '../shared/stdio';
import { describeConfinement } from './confinement';
import { GlobError } from './glob';
import { JailSetupError, createJail, type Jail } from './jail';
import { USAGE, parseFsServerArgs } from './options';
import { SecretPolicy } from './secretFiles';
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
  const { args } = parsed;
  let jail: Jail;
  try {
    const secrets = SecretPolicy.create({ useDefaults: args.defaultDeny, deny: args.deny, allow: args.allowSecret });
    jail = createJail(args.roots, undefined, undefined, { secrets });
  } catch (error) {
    if (error instanceof JailSetupError) fail(error.message);
    if (error instanceof GlobError) fail(`Invalid --deny or --allow-secret pattern: ${error.message}`);
    throw error;
  }
  for (const line of describeConfinement(jail.roots.map((r) => r.real))) stderrLog(`[${FS_SERVER_NAME}] ${line}`);
  // Reads are synchronous, so more requests at once would only hold more replies in memory.
  runStdioServer(createFsServer({ jail, maxBytes: args.maxBytes, log: stderrLog }), FS_SERVER_NAME, { maxRequestsInFlight: 4 });
}

main();
