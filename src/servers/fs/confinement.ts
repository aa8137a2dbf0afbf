/**
 * What the server can say at start-up about its own confinement: whether the Node.js permission
 * model is on (`process.permission` exists only then), whether it lets the server read each
 * workspace folder, and which descriptor check verifiedOpen.ts can make here.
 */
import * as fs from 'node:fs';
import { procDescriptorPath } from './verifiedOpen';

interface PermissionApi {
  has(scope: string, reference?: string): boolean;
}

/** `process.permission`, validated, or undefined when the permission model is off. */
export function permissionApi(): PermissionApi | undefined {
  const value: unknown = Reflect.get(process, 'permission');
  if (typeof value !== 'object' || value === null || !('has' in value)) return undefined;
  const has = value.has;
  if (typeof has !== 'function') return undefined;
  return { has: (scope, reference) => Boolean(Reflect.apply(has, value, reference === undefined ? [scope] : [scope, reference])) };
}

/** Lines for the start-up log. */
export function describeConfinement(roots: readonly string[]): string[] {
  const lines: string[] = [];
  const permission = permissionApi();
  if (permission === undefined) {
    lines.push(
      'not confined by the Node.js permission model (process.permission is absent): the workspace jail is the only guard. ' +
        'Start Node with --permission (22.13+) or --experimental-permission (20.7+) and --allow-fs-read=<folder> for each folder to add the runtime guard.',
    );
  } else {
    const refused = ['child', 'worker', 'fs.write'].filter((scope) => !permission.has(scope));
    lines.push(
      `confined by the Node.js permission model: file reads only where --allow-fs-read allows; refused here: ${refused.join(', ') || 'nothing'}.`,
    );
    for (const root of roots) {
      if (!permission.has('fs.read', root)) lines.push(`warning: the permission model does not allow reading ${root}; its files cannot be served. Add --allow-fs-read=${root}.`);
    }
  }
  lines.push(`descriptor check: ${descriptorCheck(roots[0])}.`);
  return lines;
}

function descriptorCheck(root: string | undefined): string {
  if (root === undefined) return 'none';
  let fd: number;
  try {
    fd = fs.openSync(root, 'r');
  } catch (error) {
    return `device and inode only (${error instanceof Error ? error.message : String(error)})`;
  }
  try {
    return procDescriptorPath(fd) === root ? 'kernel path (/proc/self/fd) and device and inode' : 'device and inode only (no readable /proc/self/fd)';
  } finally {
    fs.closeSync(fd);
  }
}
