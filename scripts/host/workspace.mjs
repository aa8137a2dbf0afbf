// Copies the demo workspace to a temporary folder so that nothing run against it changes the repo.
import { cpSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { projectRoot } from './install.mjs';
import { onShutdown } from './shutdown.mjs';

/** The demo workspace folder (env WARDEN_DEMO_PATH overrides the repo's demo/). */
export function demoFolder() {
  return path.resolve(process.env.WARDEN_DEMO_PATH || path.join(projectRoot, 'demo'));
}

/** Copies the demo workspace (symlinks stay symlinks) and returns { folder, remove() }. */
export function copyDemoWorkspace() {
  const source = demoFolder();
  if (!existsSync(source)) {
    throw new Error(`The demo workspace ${source} does not exist. Restore demo/ (git checkout -- demo) or set WARDEN_DEMO_PATH.`);
  }
  const parent = mkdtempSync(path.join(os.tmpdir(), 'warden-workspace-'));
  const folder = path.join(parent, path.basename(source));
  cpSync(source, folder, { recursive: true, verbatimSymlinks: true });
  const remove = () => {
    unregister();
    rmSync(parent, { recursive: true, force: true });
  };
  const unregister = onShutdown({ name: `the workspace copy ${folder}`, stop: async () => remove(), kill: remove });
  return { folder, remove };
}
