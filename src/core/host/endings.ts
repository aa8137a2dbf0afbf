/**
 * How the supervisor reads the end of a start or of a session: a start that can never succeed
 * (stop and say why), a session the server ended in the normal course (open a new one at once),
 * or anything else (a crash: back off, and count it towards the crash-loop guard).
 */
import type { TransportExit } from '../transport/transport';
import { WardenError } from '../util/errors';

/** A session the server ends after at least this long is renewed at once, not counted as a crash. */
export const SESSION_RENEWAL_MIN_MS = 30_000;

/** A start that fails this way fails the same way again: an unusable protocol version, a command that cannot run. */
export function isPermanentStartFailure(error: unknown): boolean {
  if (!(error instanceof WardenError)) return false;
  if (error.code === 'UNSUPPORTED_PROTOCOL_VERSION') return true;
  if (error.code === 'SERVER_CRASHED' && isSpawnFailure(error.details)) return true;
  return false;
}

/**
 * Servers end idle or old sessions; that is not a crash. One that ends them sooner than
 * `SESSION_RENEWAL_MIN_MS` is treated as failing, so a server that forgets every session cannot
 * loop unchecked; and an end Warden caused (a timeout, a hung server) is never a renewal.
 */
export function isSessionRenewal(exit: TransportExit, stoppedByWarden: boolean, livedMs: number): boolean {
  return exit.sessionEnded === true && !stoppedByWarden && livedMs >= SESSION_RENEWAL_MIN_MS;
}

function isSpawnFailure(details: unknown): boolean {
  return typeof details === 'object' && details !== null && 'spawnError' in details && details.spawnError !== undefined;
}
