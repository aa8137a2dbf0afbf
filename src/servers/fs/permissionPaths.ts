/**
 * What the filesystem server must be allowed to read when it runs under the Node.js permission
 * model (see src/core/host/permissionFlags.ts): its own script and the schema compiler's bundles
 * beside it (shared/compilerBundles.ts), each workspace folder both as
 * given and as its real path (the jail resolves the first, then reads through the second), and on
 * Linux `/proc/self/fd`, where verifiedOpen.ts asks the kernel which file a descriptor is. That
 * directory shows only descriptors the process already holds, and the permission model resolves
 * `..` before it checks, so it opens nothing else.
 */
import * as fs from 'node:fs';
import { compilerBundlesBeside } from '../shared/compilerBundles';

export const LINUX_DESCRIPTOR_DIRECTORY = '/proc/self/fd';

export function fsServerReadPaths(
  script: string,
  roots: readonly string[],
  realpath: (p: string) => string = (p) => fs.realpathSync.native(p),
  platform: NodeJS.Platform = process.platform,
): string[] {
  const paths = [script, ...compilerBundlesBeside(script)];
  for (const root of roots) {
    paths.push(root);
    try {
      paths.push(realpath(root));
    } catch (error) {
      if (!(error instanceof Error)) throw error; // a folder that does not resolve: the server reports it at start-up
    }
  }
  if (platform === 'linux') paths.push(LINUX_DESCRIPTOR_DIRECTORY);
  return [...new Set(paths)];
}
