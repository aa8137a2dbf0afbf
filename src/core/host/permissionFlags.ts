/**
 * Runs a built-in server under the Node.js permission model, as defence in depth behind its own
 * checks: `node <flags> <script> ...`, where the flags allow reading only the given paths and
 * refuse writes, child processes, workers, addons and the inspector (all refused by default once
 * the model is on).
 *
 * What the runtimes do (checked by running them, and in Node's docs and changelog):
 * - Node 20.0-20.6: `--experimental-permission`, but `--allow-fs-read` took comma-separated paths
 *   (changed in 20.7); not used, as a folder with a comma would be misread.
 * - Node 20.7-22.12 and 23.0-23.4: `--experimental-permission`, one `--allow-fs-read` per path.
 * - Node 22.13+ and 23.5+: `--permission` (stable). Node 24 refuses `--experimental-permission`
 *   ("bad option"), so the flag must follow the version. From 22.17 / 24.2 the entry script is
 *   readable implicitly; before that it must be allowed, so it is always listed.
 * - In every version `*` in an allowed path is a wildcard (`/a/b*` allows `/a/bc` and more), so a
 *   path containing `*` cannot be allowed exactly: such a request runs unconfined, with the reason.
 *   Allowing a directory allows everything beneath it, separator-aware (`/ws` does not allow `/ws2`).
 * - The model checks the path as written, then the operating system follows links: a link inside
 *   an allowed folder that leads out is followed. It does not replace the server's own jail.
 * - Electron (VS Code desktop, `ELECTRON_RUN_AS_NODE=1`): its node mode parses Node's options and
 *   creates a Node environment, so the model may well work there, but that was not verified (no
 *   Electron binary was available), and Electron's utilityProcess is reported not to honour it.
 *   For Electron the flags are built from its Node version, and the host must confirm them with
 *   `probePermissionFlags` before use; the probe is cheap and worth running on any runtime.
 */
import { spawn } from 'node:child_process';
import * as path from 'node:path';

export interface RuntimeInfo {
  /** `process.versions.node`, e.g. "20.20.2". */
  readonly node: string;
  /** `process.versions.electron`, when the runtime is Electron. */
  readonly electron?: string;
}

export function currentRuntime(): RuntimeInfo {
  const { node, electron } = process.versions;
  return electron === undefined ? { node } : { node, electron };
}

export type PermissionFlags =
  | {
      readonly kind: 'confined';
      /** To put before the script: `[execPath, ...flags, script, ...args]`. */
      readonly flags: readonly string[];
      /** True when the runtime is not known to honour the flags: run `probePermissionFlags` first. */
      readonly needsProbe: boolean;
    }
  | { readonly kind: 'unconfined'; readonly reason: string };

/**
 * The flags that confine a process to reading `readPaths` (absolute paths: the script, its
 * folders, whatever it must read to start), or why this runtime cannot be confined.
 */
export function permissionFlags(runtime: RuntimeInfo, readPaths: readonly string[]): PermissionFlags {
  const version = parseVersion(runtime.node);
  if (version === undefined) return { kind: 'unconfined', reason: `the Node.js version "${runtime.node}" is not understood` };
  const flag = permissionFlag(version);
  if (flag === undefined) {
    return { kind: 'unconfined', reason: `Node.js ${runtime.node} has no usable permission model (it needs 20.7 or later)` };
  }
  for (const p of readPaths) {
    if (!path.isAbsolute(p)) throw new Error(`permissionFlags: ${JSON.stringify(p)} is not an absolute path.`);
    if (p.includes('*')) {
      return { kind: 'unconfined', reason: `the path ${JSON.stringify(p)} contains "*", which the permission model reads as a wildcard` };
    }
    if (path.dirname(p) === p) return { kind: 'unconfined', reason: `the path ${JSON.stringify(p)} is a file-system root, so nothing would be confined` };
  }
  const unique = [...new Set(readPaths)];
  return { kind: 'confined', flags: [flag, ...unique.map((p) => `--allow-fs-read=${p}`)], needsProbe: runtime.electron !== undefined };
}

function permissionFlag([major, minor]: readonly [number, number]): string | undefined {
  if (major < 20 || (major === 20 && minor < 7)) return undefined;
  const stable = major >= 24 || (major === 23 && minor >= 5) || (major === 22 && minor >= 13);
  return stable ? '--permission' : '--experimental-permission';
}

function parseVersion(version: string): [number, number] | undefined {
  const match = /^v?(\d+)\.(\d+)\./.exec(version);
  return match ? [Number(match[1]), Number(match[2])] : undefined;
}

export interface ProbeOptions {
  /** The runtime to check: `process.execPath` for the extension host's own. */
  readonly command: string;
  readonly flags: readonly string[];
  /** For Electron: `{ ELECTRON_RUN_AS_NODE: '1' }` and the allow-listed environment. */
  readonly env?: NodeJS.ProcessEnv;
  /** A path the flags do not allow; it need not exist. */
  readonly outsidePath: string;
  /** Gives up (unconfined) after this long; an input, not a measurement. */
  readonly timeoutMs?: number;
}

export type ProbeResult = { readonly confined: true } | { readonly confined: false; readonly reason: string };

const PROBE_SCRIPT = [
  "const fs = require('node:fs');",
  "const report = { permission: typeof process.permission === 'object' && process.permission !== null };",
  'try { fs.readFileSync(process.argv[1]); report.outside = "read"; } catch (error) { report.outside = String(error && error.code); }',
  'process.stdout.write(JSON.stringify(report));',
].join(' ');

/**
 * Runs the runtime with the flags and a few lines of code that try to read `outsidePath`; confined
 * only when `process.permission` exists and the read is refused with ERR_ACCESS_DENIED. A runtime
 * that rejects the flags, ignores them or lets the read through is reported with the reason.
 */
export function probePermissionFlags(options: ProbeOptions): Promise<ProbeResult> {
  return new Promise((resolve) => {
    const child = spawn(options.command, [...options.flags, '-e', PROBE_SCRIPT, options.outsidePath], {
      env: options.env ?? {},
      stdio: ['ignore', 'pipe', 'pipe'],
      shell: false,
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 10_000);
    child.on('error', (error) => {
      clearTimeout(timer);
      resolve({ confined: false, reason: `the runtime could not be started: ${error.message}` });
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve(judgeProbe(Buffer.concat(out).toString('utf8'), Buffer.concat(err).toString('utf8'), code, signal));
    });
  });
}

function judgeProbe(stdout: string, stderr: string, code: number | null, signal: NodeJS.Signals | null): ProbeResult {
  if (code !== 0) {
    const said = stderr.trim().split('\n').slice(-1)[0] ?? '';
    return { confined: false, reason: `the runtime refused the flags (exit ${code ?? signal}): ${said}` };
  }
  let report: unknown;
  try {
    report = JSON.parse(stdout);
  } catch (error) {
    return { confined: false, reason: `the probe printed no report (${error instanceof Error ? error.message : String(error)})` };
  }
  if (typeof report !== 'object' || report === null || !('permission' in report) || !('outside' in report)) {
    return { confined: false, reason: 'the probe printed an unexpected report' };
  }
  if (report.permission !== true) return { confined: false, reason: 'the runtime accepted the flags but has no process.permission' };
  if (report.outside !== 'ERR_ACCESS_DENIED') return { confined: false, reason: `a read outside the allowed paths was not refused (${String(report.outside)})` };
  return { confined: true };
}
