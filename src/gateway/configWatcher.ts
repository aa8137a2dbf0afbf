/**
 * Applies the gateway's configuration file again whenever it changes on disk, so that a policy,
 * an approval or a server edited there (or rewritten by the extension) takes effect without
 * restarting the clients' gateways. The folder is watched, not the file: an atomic write replaces
 * the file, and a watch on the old one would see nothing more. Writes in quick succession are
 * read once. A file that no longer reads or checks is reported, and the gateway keeps serving
 * what it had.
 */
import { watch, type FSWatcher } from 'node:fs';
import path from 'node:path';
import { errorMessage } from '../core/util/errors';
import { ConfigError, loadConfig } from './config';
import type { GatewayHost } from './gatewayHost';

const SETTLE_MS = 100;

export function watchConfig(host: GatewayHost, configFile: string, serversDir: string, log: (line: string) => void): { dispose(): void } {
  const file = path.resolve(configFile);
  let timer: NodeJS.Timeout | undefined;
  let applying = Promise.resolve();
  const reload = async (): Promise<void> => {
    let config;
    try {
      config = await loadConfig(file, serversDir);
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      log(`The configuration changed but cannot be used, so the gateway keeps the one it had: ${error.message}`);
      return;
    }
    for (const problem of config.ruleProblems) log(problem);
    const kept = await host.apply(config, file);
    log(
      `Applied the changed configuration: ${config.servers.length} server(s), ${config.rules.length} rule(s), ${config.approvals.length} approval(s)` +
        `${kept.length > 0 ? `; ${kept.join('; ')}` : ''}.`,
    );
  };
  let watcher: FSWatcher;
  try {
    watcher = watch(path.dirname(file), (_event, name) => {
      if (name !== null && name.toString() !== path.basename(file)) return;
      clearTimeout(timer);
      timer = setTimeout(() => {
        // One reload at a time, in the order the changes came.
        applying = applying.then(reload).catch((error: unknown) => log(`Could not apply the changed configuration: ${errorMessage(error)}`));
      }, SETTLE_MS);
    });
  } catch (error) {
    log(`Cannot watch ${file} for changes (${errorMessage(error)}); restart the gateway to apply edits.`);
    return { dispose: () => undefined };
  }
  watcher.on('error', (error) => log(`Stopped watching ${file} for changes: ${errorMessage(error)}; restart the gateway to apply edits.`));
  return {
    dispose: () => {
      clearTimeout(timer);
      watcher.close();
    },
  };
}
