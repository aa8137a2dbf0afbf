// Runs the host test suite (test/host/index.ts) in a desktop VS Code that @vscode/test-electron
// downloads, for machines with internet: `npm run test:electron`. The offline runner, which CI
// uses, is scripts/host/run-tests.mjs. The scripted chat models the chat suite needs
// (test/fixtures/scripted-model) load as a second extension in development, which desktop VS Code
// allows (the web workbench does not; the offline runner installs it in the profile instead).
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

/** Assembles the scripted-model fixture (its manifest and compiled code) in a folder of its own. */
function assembleScriptedModel(): { folder: string; remove: () => void } {
  const parent = fs.mkdtempSync(path.join(os.tmpdir(), 'warden-scripted-model-'));
  const code = path.join(root, 'out', 'test', 'fixtures', 'scripted-model');
  if (!fs.existsSync(path.join(code, 'extension.js'))) throw new Error(`${code} has no extension.js: run node scripts/build.mjs first.`);
  fs.cpSync(path.join(root, 'test', 'fixtures', 'scripted-model', 'package.json'), path.join(parent, 'package.json'));
  for (const file of fs.readdirSync(code)) if (file.endsWith('.js')) fs.cpSync(path.join(code, file), path.join(parent, file));
  return { folder: parent, remove: () => fs.rmSync(parent, { recursive: true, force: true }) };
}

async function main(): Promise<void> {
  const workspace = copyDemoWorkspace();
  const scriptedModel = assembleScriptedModel();
  const env: Record<string, string> = {
    WARDEN_TEST_RESULTS: path.join(root, 'test-results'),
    WARDEN_TEST_WORKSPACE: workspace.folder,
  };
  if (process.env.WARDEN_TEST_GREP) env.WARDEN_TEST_GREP = process.env.WARDEN_TEST_GREP;
  try {
    await runTests({
      version: process.env.WARDEN_VSCODE_VERSION || 'stable',
      extensionDevelopmentPath: [path.resolve(process.env.WARDEN_EXTENSION_PATH || root), scriptedModel.folder],
      extensionTestsPath: path.join(__dirname, 'index.js'),
      launchArgs: [workspace.folder, '--disable-extensions', '--disable-workspace-trust'],
      extensionTestsEnv: env,
    });
  } finally {
    workspace.remove();
    scriptedModel.remove();
  }
}

main().catch((err: unknown) => {
  console.error(`The host tests failed or could not run in desktop VS Code: ${err instanceof Error ? err.message : String(err)}`);
  console.error('Without internet access, run them in code-server instead: node scripts/host/run-tests.mjs');
  process.exit(1);
});
