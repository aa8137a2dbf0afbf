/**
 * Opens a file the jail has checked, and proves that the descriptor is that file.
 *
 * Between the jail's check (realpath, containment, secret rules) and the open, someone else may
 * swap a component of the path for a symbolic link. O_NOFOLLOW guards only the last component, so
 * after the open:
 * 1. On Linux, the kernel's own name for the descriptor (`/proc/self/fd/<fd>`) must be the checked
 *    real path. This cannot be raced: it names the file that was actually opened.
 * 2. Everywhere, the descriptor's device and inode must be those of the checked path as it resolves
 *    now, and that path must still resolve to itself (no link appeared in it). Without /proc (macOS,
 *    Windows, or a process not allowed to read it) this is the check that remains; an attacker who
 *    flips a link back and forth between our system calls could still slip through it, which is why
 *    the /proc check comes first where it exists.
 * A descriptor that fails either check is closed and nothing is read from it.
 */
import * as fs from 'node:fs';
import { ToolError } from '../shared/toolResult';
import { quote } from './quote';

/** The system calls of an open; tests pass their own to swap a path between check and use. */
export interface OpenSystem {
  open(path: string, flags: number): number;
  fstat(fd: number): fs.BigIntStats;
  /** Follows links, like the open did. */
  stat(path: string): fs.BigIntStats;
  realpath(path: string): string;
  /** The kernel's path for an open descriptor, or undefined where it cannot be known. */
  descriptorPath(fd: number): string | undefined;
  close(fd: number): void;
}

export const nodeOpenSystem: OpenSystem = {
  open: (p, flags) => fs.openSync(p, flags),
  fstat: (fd) => fs.fstatSync(fd, { bigint: true }),
  stat: (p) => fs.statSync(p, { bigint: true }),
  realpath: (p) => fs.realpathSync.native(p),
  descriptorPath: procDescriptorPath,
  close: (fd) => fs.closeSync(fd),
};

/**
 * Linux only. Undefined when /proc is missing or the permission model does not let the process
 * read it (the host allows /proc/self/fd when it can).
 */
export function procDescriptorPath(fd: number): string | undefined {
  if (process.platform !== 'linux') return undefined;
  try {
    return fs.readlinkSync(`/proc/self/fd/${fd}`);
  } catch (error) {
    if (error instanceof Error) return undefined; // no /proc here, or not allowed: the inode check remains
    throw error;
  }
}

// O_NOFOLLOW: the jail resolved every link, so a link appearing now means the tree changed under
// us. O_NONBLOCK: opening a FIFO must not hang the server. Both are absent on Windows.
export const OPEN_FLAGS = fs.constants.O_RDONLY | (fs.constants.O_NOFOLLOW ?? 0) | (fs.constants.O_NONBLOCK ?? 0);

export interface OpenedFile {
  readonly fd: number;
  readonly stat: fs.BigIntStats;
}

/** Opens `real` (a path the jail returned) and verifies the descriptor; see the file comment. */
export function openVerified(real: string, shown: string, system: OpenSystem = nodeOpenSystem): OpenedFile {
  let fd: number;
  try {
    fd = system.open(real, OPEN_FLAGS);
  } catch (error) {
    throw openError(error, shown);
  }
  try {
    const stat = system.fstat(fd);
    const kernelPath = system.descriptorPath(fd);
    if (kernelPath !== undefined && kernelPath !== real) throw changed(shown);
    if (!sameFile(stat, statOrUndefined(system, real)) || realpathOrUndefined(system, real) !== real) throw changed(shown);
    return { fd, stat };
  } catch (error) {
    system.close(fd);
    throw error;
  }
}

/** Opens without the descriptor checks (for callers that hold no jail, such as unit tests of readers). */
export function openUnverified(real: string, shown: string): OpenedFile {
  let fd: number;
  try {
    fd = fs.openSync(real, OPEN_FLAGS);
  } catch (error) {
    throw openError(error, shown);
  }
  return { fd, stat: fs.fstatSync(fd, { bigint: true }) };
}

function sameFile(a: fs.BigIntStats, b: fs.BigIntStats | undefined): boolean {
  return b !== undefined && a.dev === b.dev && a.ino === b.ino;
}

function statOrUndefined(system: OpenSystem, real: string): fs.BigIntStats | undefined {
  try {
    return system.stat(real);
  } catch (error) {
    if (error instanceof Error) return undefined; // gone or unreadable now: the check fails
    throw error;
  }
}

function realpathOrUndefined(system: OpenSystem, real: string): string | undefined {
  try {
    return system.realpath(real);
  } catch (error) {
    if (error instanceof Error) return undefined;
    throw error;
  }
}

function changed(shown: string): ToolError {
  return new ToolError(
    `${quote(shown)} changed while it was being opened: the file opened is not the one the workspace check approved, so nothing was read. Try again.`,
  );
}

export function openError(error: unknown, shown: string): ToolError {
  const code = error instanceof Error && 'code' in error ? String(error.code) : '';
  switch (code) {
    case 'EISDIR':
      return new ToolError(`${quote(shown)} is a directory; use list_dir to see its entries.`);
    case 'ENOENT':
      return new ToolError(`Not found: ${quote(shown)} no longer exists.`);
    case 'ELOOP':
      return new ToolError(`${quote(shown)} changed into a symbolic link while being opened; try again.`);
    case 'EACCES':
    case 'EPERM':
    case 'ERR_ACCESS_DENIED':
      return new ToolError(`Permission denied: the file system does not allow reading ${quote(shown)}.`);
    default:
      return new ToolError(`Cannot open ${quote(shown)}: ${error instanceof Error ? error.message : String(error)}`);
  }
}
