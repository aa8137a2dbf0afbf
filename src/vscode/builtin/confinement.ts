/**
 * Runs built-in servers under Node's permission model where the extension host's runtime honours
 * it, as a second wall behind each server's own checks. On Electron (desktop VS Code) that is not
 * known in advance, so a probe checks once per session that the flags really confine.
 */
import { currentRuntime, permissionFlags, probePermissionFlags } from '../../core/host/permissionFlags';

export interface Confinement {
  /** Flags to put before the server's script; empty when it runs unconfined. */
  readonly flags: readonly string[];
  /** Said in the server's log. */
  readonly note: string;
}

let probe: Promise<{ confined: true } | { confined: false; reason: string }> | undefined;

export async function confinementFor(readPaths: readonly string[], outsidePath: string): Promise<Confinement> {
  const computed = permissionFlags(currentRuntime(), readPaths);
  if (computed.kind === 'unconfined') return { flags: [], note: `Runs unconfined: ${computed.reason}.` };
  if (computed.needsProbe) {
    probe ??= probePermissionFlags({
      command: process.execPath,
      flags: computed.flags,
      env: { ELECTRON_RUN_AS_NODE: '1' },
      outsidePath,
      timeoutMs: 10_000,
    });
    const result = await probe;
    if (!result.confined) return { flags: [], note: `Runs unconfined: this runtime does not honour the permission model (${result.reason}).` };
  }
  return { flags: computed.flags, note: 'Runs confined by the Node.js permission model to the paths it needs.' };
}
