// Runs the host test suite (test/host/index.ts) in a desktop VS Code that @vscode/test-electron
// downloads, for machines with internet: `npm run test:electron`. The offline runner, which CI
// uses, is scripts/host/run-tests.mjs.
// Environment: WARDEN_VSCODE_VERSION (default: stable), WARDEN_EXTENSION_PATH, WARDEN_DEMO_PATH,
// WARDEN_TEST_GREP, as for the offline runner.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { runTests } from '@vscode/test-electron';

const root = path.resolve(__dirname, '..', '..', '..');

/** Copies the demo workspace (symlinks stay symlinks) so that the tests never change the repo. */
function copyDemoWorkspace(): { folder: string; remove: () => void } {
  const source = path.resolve(process.env.WARDEN_DEMO_PATH || path.join(root, 'demo'));
  if (!fs.existsSync(source)) {
    throw new Error(`The demo workspace ${source} does not exist. Restore demo/ (git checkout -- demo) or set WARDEN_DEMO_PATH.`);
  }
  const parent = fs.mkdtempSync(path.join(os.tmpdir(), 'warden-workspace-'));
  const folder = path.join(parent, path.basename(source));
  fs.cpSync(source, folder, { recursive: true, verbatimSymlinks: true });
  return { folder, remove: () => fs.rmSync(parent, { recursive: true, force: true }) };
}

async function main(): Promise<void> {
  const workspace = copyDemoWorkspace();
  const env: Record<string, string> = {
    WARDEN_TEST_RESULTS: path.join(root, 'test-results'),
    WARDEN_TEST_WORKSPACE: workspace.folder,
  };
  if (process.env.WARDEN_TEST_GREP) env.WARDEN_TEST_GREP = process.env.WARDEN_TEST_GREP;
  try {
    await runTests({
      version: process.env.WARDEN_VSCODE_VERSION || 'stable',
      extensionDevelopmentPath: path.resolve(process.env.WARDEN_EXTENSION_PATH || root),
      extensionTestsPath: path.join(__dirname, 'index.js'),
      launchArgs: [workspace.folder, '--disable-extensions', '--disable-workspace-trust'],
      extensionTestsEnv: env,
    });
  } finally {
    workspace.remove();
  }
}

main().catch((err: unknown) => {
  console.error(`The host tests failed or could not run in desktop VS Code: ${err instanceof Error ? err.message : String(err)}`);
  console.error('Without internet access, run them in code-server instead: node scripts/host/run-tests.mjs');
  process.exit(1);
});
