// Paths, the environment every benchmarked process gets, compiled-module loading, and /proc reads.
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const benchDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const root = path.resolve(benchDir, '..');
export const cacheDir = path.join(benchDir, '.cache');
export const dist = (name) => path.join(root, 'dist', name);
export const benchServer = (name) => path.join(benchDir, 'servers', name);
export const serverFilesystem = path.join(root, 'node_modules/@modelcontextprotocol/server-filesystem/dist/index.js');

const requireFromRoot = createRequire(path.join(root, 'package.json'));

/** A module compiled by `node scripts/build.mjs` into out/ (CommonJS). */
export function out(relative) {
  const file = path.join(root, 'out', relative);
  if (!existsSync(file)) throw new Error(`${path.relative(root, file)} is missing: run node scripts/build.mjs first.`);
  return requireFromRoot(file);
}

/**
 * The environment of every process a case starts: PATH and friends only. NODE_EXTRA_CA_CERTS in
 * particular is left out: it adds ~28 ms to each Node start in this sandbox, and Warden's own
 * allow-listed environment does not pass it on either.
 */
export function childEnv() {
  const keep = ['HOME', 'LOGNAME', 'PATH', 'SHELL', 'TERM', 'USER', 'LANG', 'LC_ALL', 'LC_CTYPE', 'TMPDIR', 'TZ'];
  const env = {};
  for (const name of keep) if (process.env[name] !== undefined) env[name] = process.env[name];
  return env;
}

/** Peak resident set (VmHWM) of a live process, in bytes; undefined once it is gone. */
export function peakRss(pid) {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const match = /^VmHWM:\s+(\d+) kB$/m.exec(status);
    return match ? Number(match[1]) * 1024 : undefined;
  } catch (error) {
    if (error.code === 'ENOENT' || error.code === 'ESRCH') return undefined;
    throw error;
  }
}

/** Waits for a child process to exit (resolves at once if it already has). */
export function exited(child) {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

/** Throws unless every listed file exists, naming the build step that makes it. */
export function requireBuilt(files) {
  const missing = files.filter((f) => !existsSync(f));
  if (missing.length > 0) {
    throw new Error(`Missing ${missing.map((f) => path.relative(root, f)).join(', ')}: run node scripts/build.mjs first.`);
  }
}
