/**
 * The Warden gateway process: an MCP server in front of every hosted server, with the same gate
 * (policy, supervision, audit) as the editor. Also checks an audit log with --verify-audit.
 * Exit codes: 0 done, 1 audit log broken or a failure while serving, 2 bad command line or config.
 */
import path from 'node:path';
import { verifyAuditLog } from '../core/audit/verifier';
import { errorMessage } from '../core/util/errors';
import { ConfigError, loadConfig } from './config';
import { GatewayHost } from './gatewayHost';
import { serveHttp } from './httpFrontEnd';
import { USAGE, UsageError, parseOptions, type GatewayOptions } from './options';
import { readOrCreateSecret, readSecret } from './secrets';
import { serveStdio } from './stdioFrontEnd';
import { watchConfig } from './configWatcher';

const log = (line: string): void => void process.stderr.write(`[warden-gateway] ${line}\n`);

async function main(): Promise<number> {
  // stdout may carry MCP messages: nothing else may reach it.
  console.log = console.error;
  console.info = console.error;
  console.debug = console.error;
  let options: GatewayOptions;
  try {
    options = parseOptions(process.argv.slice(2));
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`${error.message}\n\n${USAGE}\n`);
    return 2;
  }
  return options.kind === 'verify' ? verify(options.dir, options.keyFile) : serve(options);
}

async function verify(dir: string, keyFile: string): Promise<number> {
  let key: Buffer;
  try {
    key = await readSecret(keyFile, 'audit key');
  } catch (error) {
    process.stderr.write(`${errorMessage(error)}\n`);
    return 2;
  }
  const report = await verifyAuditLog(dir, key);
  const lines = [report.summary, ...report.breaks.map((b) => `  break: ${b.message}`), ...report.notices.map((n) => `  notice: ${n}`)];
  if (report.openCalls.length > 0) lines.push(`  ${report.openCalls.length} call(s) started without a recorded end.`);
  process.stdout.write(`${lines.join('\n')}\n`);
  return report.ok ? 0 : 1;
}

async function serve(options: Extract<GatewayOptions, { kind: 'serve' }>): Promise<number> {
  let config;
  try {
    config = await loadConfig(options.config, path.join(__dirname, 'servers'));
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`${error.message}\n`);
    return 2;
  }
  for (const problem of config.ruleProblems) log(problem);
  let host: GatewayHost;
  try {
    host = await GatewayHost.start(config, path.resolve(options.config), log);
  } catch (error) {
    log(`Could not start: ${errorMessage(error)}. Check the audit paths in ${options.config}.`);
    return 1;
  }
  const watcher = watchConfig(host, options.config, path.join(__dirname, 'servers'), log);
  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    watcher.dispose();
    return (stopping ??= host.dispose());
  };

  if (options.transport.kind === 'stdio') {
    for (const signal of ['SIGTERM', 'SIGINT'] as const) process.once(signal, () => void stop().then(() => process.exit(0)));
    await serveStdio(host, log);
    await stop();
    return 0;
  }
  const token = options.token ?? (await gatewayToken(path.join(path.dirname(config.audit.keyFile), 'warden-gateway.token')));
  const gateway = await serveHttp(host, { host: options.transport.host, port: options.transport.port, token, ...config.http }, log);
  log(`listening on http://${options.transport.host === '::1' ? '[::1]' : options.transport.host}:${gateway.port}/mcp`);
  await new Promise<void>((resolve) => {
    process.once('SIGTERM', resolve);
    process.once('SIGINT', resolve);
  });
  await gateway.close();
  await stop();
  return 0;
}

async function gatewayToken(file: string): Promise<string> {
  const { secret, created } = await readOrCreateSecret(file, 'gateway token');
  const token = secret.toString('hex');
  // Shown once, when it is made; afterwards it is read from the file.
  if (created) log(`Created the gateway token (kept in ${file}); clients send "Authorization: Bearer ${token}".`);
  return token;
}

main().then(
  // Exit at once: a hosted server's stray handle must not keep a finished gateway alive.
  (code) => process.exit(code),
  (error: unknown) => {
    log(`failed: ${error instanceof Error ? error.stack ?? error.message : String(error)}`);
    process.exit(1);
  },
);
