// Starts and stops code-server (VS Code served to a browser, with a real Node extension host) on
// 127.0.0.1, with every file it writes kept inside one profile folder.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { hostPaths } from './install.mjs';
import { onShutdown } from './shutdown.mjs';
import { placeExtension } from './userExtensions.mjs';

const HOST = '127.0.0.1';
const HEALTH_DEADLINE_MS = 60000;
const HEALTH_POLL_MS = 200;
const STOP_DEADLINE_MS = 10000;
const OUTPUT_TAIL_LINES = 60;
const INSTALL_DEADLINE_MS = 120000;
const guardScript = path.join(path.dirname(fileURLToPath(import.meta.url)), 'processGroupGuard.mjs');
const verbose = Boolean(process.env.WARDEN_HOST_VERBOSE);

/** Folders and environment of a code-server profile rooted at profileDir. */
export function profile(profileDir) {
  const dirs = {
    root: profileDir,
    userData: path.join(profileDir, 'user-data'),
    extensions: path.join(profileDir, 'extensions'),
    config: path.join(profileDir, 'config'),
    data: path.join(profileDir, 'data'),
    cache: path.join(profileDir, 'cache'),
    tmp: path.join(profileDir, 'tmp'),
  };
  for (const dir of Object.values(dirs)) mkdirSync(dir, { recursive: true });
  const env = {
    ...process.env,
    TMPDIR: dirs.tmp,
    XDG_CONFIG_HOME: dirs.config,
    XDG_DATA_HOME: dirs.data,
    XDG_CACHE_HOME: dirs.cache,
    // No extension marketplace: nothing may leave this machine, and nothing is needed from it.
    EXTENSIONS_GALLERY: '{}',
  };
  // Variables of a surrounding VS Code would leak into the extension host.
  for (const name of Object.keys(env)) {
    if (name.startsWith('VSCODE_') || name === 'ELECTRON_RUN_AS_NODE') delete env[name];
  }
  return { dirs, env };
}

function canListen(port) {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen(port, HOST, () => server.close(() => resolve(true)));
  });
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, HOST, () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** The preferred port when it is free, else any free port on 127.0.0.1. */
export async function choosePort(preferred) {
  if (preferred && (await canListen(preferred))) return preferred;
  if (preferred) console.log(`Port ${preferred} on ${HOST} is busy; using a free one.`);
  return freePort();
}

function signal(pid, sig, what) {
  try {
    process.kill(pid, sig);
  } catch (err) {
    if (err.code !== 'ESRCH') console.error(`Could not send ${sig} to ${what}: ${err.message}`);
  }
}

/** Keeps the last lines of a stream, optionally echoing them. */
function tailOf(stream, lines, echoPrefix) {
  let partial = '';
  stream.setEncoding('utf8');
  stream.on('data', (chunk) => {
    const parts = (partial + chunk).split('\n');
    partial = parts.pop();
    for (const line of parts) {
      lines.push(line);
      if (lines.length > OUTPUT_TAIL_LINES) lines.shift();
      if (echoPrefix) console.log(`${echoPrefix}${line}`);
    }
  });
}

async function isHealthy(origin) {
  try {
    const res = await fetch(`${origin}/healthz`, { signal: AbortSignal.timeout(2000) });
    return res.ok;
  } catch (err) {
    if (verbose) console.log(`[code-server] /healthz not answering yet: ${err.cause?.code ?? err.message}`);
    return false;
  }
}

/**
 * Starts code-server in its own process group and resolves once /healthz answers.
 * options.profileDir: keep the profile there (default: a fresh temporary folder, removed on stop).
 * options.port: preferred port (default: any free port).
 * options.folder: the folder code-server opens when the URL names none.
 * options.settings: user settings written when the profile has none yet.
 * options.smokeTestDriver: honour extensionDevelopmentPath/extensionTestsPath in the URL (default true).
 * options.extensions: extensions to place in a new profile as if installed, each { manifest, code }
 *   (see userExtensions.mjs).
 * Returns { origin, port, profileDir, stop(), stopRequested(), outputTail(), exited }; exited
 * resolves (with how it ended) when code-server ends, whether stopped or not.
 */
export async function startCodeServer({ profileDir, port: preferredPort, folder, settings, smokeTestDriver = true, extensions = [] } = {}) {
  const { node24Bin, codeServerBin } = hostPaths();
  const temporary = !profileDir;
  const root = profileDir ?? mkdtempSync(path.join(os.tmpdir(), 'warden-host-'));
  const { dirs, env } = profile(root);
  for (const extension of extensions) placeExtension(dirs.extensions, extension);
  const settingsFile = path.join(dirs.userData, 'User', 'settings.json');
  if (settings && !existsSync(settingsFile)) {
    mkdirSync(path.dirname(settingsFile), { recursive: true });
    writeFileSync(settingsFile, JSON.stringify(settings, null, 2) + '\n');
  }
  const port = await choosePort(preferredPort);
  const origin = `http://${HOST}:${port}`;

  const args = [
    codeServerBin,
    '--bind-addr', `${HOST}:${port}`,
    '--auth', 'none',
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-workspace-trust',
    '--disable-getting-started-override',
    '--ignore-last-opened',
    '--user-data-dir', dirs.userData,
    '--extensions-dir', dirs.extensions,
    ...(smokeTestDriver ? ['--vscode-option', 'enable-smoke-test-driver'] : []),
    ...(folder ? [folder] : []),
  ];
  // The guard leads the process group and takes it down when this process ends, however it ends.
  const guard = spawn(process.execPath, [guardScript, node24Bin, ...args], {
    cwd: root,
    env,
    detached: true,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const output = [];
  tailOf(guard.stdout, output, verbose ? '[code-server] ' : '');
  tailOf(guard.stderr, output, verbose ? '[code-server] ' : '');
  const outputTail = () => output.join('\n');

  let exited = false;
  const exit = new Promise((resolve) => {
    guard.on('exit', (code, sig) => {
      exited = true;
      resolve(sig ? `signal ${sig}` : `exit code ${code}`);
    });
  });
  guard.on('error', (err) => output.push(`could not start code-server: ${err.message}`));

  const killGroup = (sig) => signal(-guard.pid, sig, `code-server (process group ${guard.pid})`);
  let stopped;
  const stop = () => {
    stopped ??= (async () => {
      if (!exited) {
        guard.stdin.end(); // the guard stops the group when its input closes
        const timer = new Promise((resolve) => setTimeout(() => resolve('timeout'), STOP_DEADLINE_MS).unref());
        if ((await Promise.race([exit, timer])) === 'timeout') killGroup('SIGKILL');
      }
      unregister();
      if (temporary) rmSync(root, { recursive: true, force: true });
    })();
    return stopped;
  };
  const unregister = onShutdown({
    name: 'code-server',
    stop,
    // On exit nothing can be awaited: ask the guard to stop the group (it also sees its input close).
    kill: () => {
      if (!exited && guard.pid) signal(guard.pid, 'SIGTERM', 'code-server');
    },
  });

  const deadline = Date.now() + HEALTH_DEADLINE_MS;
  for (;;) {
    if (exited) {
      await stop();
      throw new Error(
        `code-server stopped before it was ready (${await exit}). Its last output:\n${outputTail()}\n` +
          'If the install looks broken, delete .vscode-test/ and run again to reinstall.',
      );
    }
    if (await isHealthy(origin)) break;
    if (Date.now() > deadline) {
      await stop();
      throw new Error(
        `code-server did not answer ${origin}/healthz within ${HEALTH_DEADLINE_MS / 1000} s. Its last output:\n${outputTail()}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, HEALTH_POLL_MS));
  }
  const stopRequested = () => stopped !== undefined;
  return { origin, port, profileDir: root, dirs, stop, stopRequested, outputTail, exited: exit };
}

/**
 * Installs a .vsix into the profile at profileDir with `code-server --install-extension`.
 * Resolves with code-server's output; rejects with it when the install fails.
 */
export function installVsix(vsixPath, { profileDir }) {
  const { node24Bin, codeServerBin } = hostPaths();
  const { dirs, env } = profile(profileDir);
  const args = [
    codeServerBin,
    '--user-data-dir', dirs.userData,
    '--extensions-dir', dirs.extensions,
    '--install-extension', vsixPath,
    '--force',
  ];
  return new Promise((resolve, reject) => {
    const child = spawn(node24Bin, args, { cwd: dirs.root, env, stdio: ['ignore', 'pipe', 'pipe'] });
    const unregister = onShutdown({
      name: 'code-server --install-extension',
      stop: async () => child.kill('SIGTERM'),
      kill: () => child.kill('SIGKILL'),
    });
    let output = '';
    const timer = setTimeout(() => {
      output += `\n(no result after ${INSTALL_DEADLINE_MS / 1000} s: stopped)`;
      child.kill('SIGKILL');
    }, INSTALL_DEADLINE_MS);
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    child.on('error', (err) => {
      clearTimeout(timer);
      unregister();
      reject(new Error(`could not run code-server to install ${vsixPath}: ${err.message}`));
    });
    child.on('close', (code, sig) => {
      clearTimeout(timer);
      unregister();
      if (code === 0) resolve(output);
      else reject(new Error(`code-server --install-extension ${vsixPath} failed (${sig ?? `exit code ${code}`}):\n${output}`));
    });
  });
}
