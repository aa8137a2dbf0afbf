/**
 * Ajv's schema compiler ships beside each built-in server as bundles of its own, loaded when a tool
 * is first called rather than parsed at every start (scripts/build.mjs maps the `require` calls in
 * argumentValidator.ts to these files). A server confined by the permission model must be allowed
 * to read them.
 */
import * as path from 'node:path';

export const COMPILER_BUNDLES = ['ajv-2020.js', 'ajv-draft07.js'] as const;

/** The compiler bundles beside a server's script. */
export function compilerBundlesBeside(script: string): string[] {
  return COMPILER_BUNDLES.map((name) => path.join(path.dirname(script), name));
}
