// `npm start`: builds Warden, packages it as a .vsix, installs it into a VS Code (code-server) with
// a persistent profile in .vscode-test/profile/, and serves it on 127.0.0.1 with the demo/ folder
// open, until Ctrl-C.
// Environment: WARDEN_PORT (default 8080; a free port is used when it is busy), WARDEN_DEMO_PATH
// (the folder to open instead of demo/).
import { spawn } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import path from 'node:path';
import { installVsix, startCodeServer } from './host/codeServer.mjs';
import { cacheDir, ensureHost, projectRoot } from './host/install.mjs';
import { stopAll } from './host/shutdown.mjs';
import { demoFolder } from './host/workspace.mjs';

const DEFAULT_PORT = 8080;
const vsixPath = path.join(cacheDir, 'warden.vsix');
const profileDir = path.join(cacheDir, 'profile');

/** Runs a Node script from the project root; rejects with `failure` when it fails. */
function runNode(args, failure) {
  return new Promise((resolve, reject) => {
    // No input: a tool that asks a question fails instead of waiting forever.
    const child = spawn(process.execPath, args, { cwd: projectRoot, stdio: ['ignore', 'inherit', 'inherit'] });
    child.on('error', (err) => reject(new Error(`${failure}: ${err.message}`)));
    child.on('close', (code, signal) => (code === 0 ? resolve() : reject(new Error(`${failure} (${signal ?? `exit code ${code}`}), see above.`))));
  });
}

function port() {
  const value = process.env.WARDEN_PORT;
  if (!value) return DEFAULT_PORT;
  const number = Number(value);
  if (!Number.isInteger(number) || number < 1 || number > 65535) {
    throw new Error(`WARDEN_PORT must be a port number (1-65535), not "${value}".`);
  }
  return number;
}

async function main() {
  const preferredPort = port();
  const folder = demoFolder();
  if (!existsSync(folder)) throw new Error(`The demo workspace ${folder} is missing. Restore it (git checkout -- demo) or set WARDEN_DEMO_PATH.`);

  console.log('Building Warden…');
  await runNode(['scripts/build.mjs', '--bundles-only'], 'The build failed');
  await ensureHost();

  console.log('Packaging Warden as a .vsix…');
  rmSync(vsixPath, { force: true });
  await runNode(
    [
      path.join(projectRoot, 'node_modules', '@vscode', 'vsce', 'vsce'),
      'package',
      '--no-dependencies',
      // package.json has no "repository" field; without this flag vsce warns (or asks, in a terminal).
      '--allow-missing-repository',
      // The README's screenshots ship inside the package and resolve from the extension's folder.
      '--no-rewrite-relative-links',
      '--out',
      vsixPath,
    ],
    'vsce could not package the extension',
  );

  console.log('Installing it into the VS Code profile in .vscode-test/profile…');
  await installVsix(vsixPath, { profileDir });

  const codeServer = await startCodeServer({ profileDir, port: preferredPort, folder, smokeTestDriver: false });
  const url = `${codeServer.origin}/?folder=${encodeURI(folder)}`;
  console.log(`\nWarden is running in VS Code at ${url} — open it in a browser. Ctrl-C stops it.\n`);

  const how = await codeServer.exited;
  if (codeServer.stopRequested()) return 0; // stopped by Ctrl-C
  console.error(`VS Code (code-server) stopped by itself (${how}). Its last output:\n${codeServer.outputTail()}`);
  await codeServer.stop();
  return 1;
}

try {
  process.exitCode = await main();
} catch (err) {
  console.error(err.message);
  await stopAll();
  process.exitCode = 1;
}
