/**
 * The gateway's secrets on disk: the audit key and the HTTP bearer token, each a file of hex
 * text readable only by its owner. Created with fresh random bytes on first use.
 */
import { randomBytes } from 'node:crypto';
import { promises as fsp } from 'node:fs';
import path from 'node:path';
import { errorMessage } from '../core/util/errors';

export const KEY_BYTES = 32;

/** Reads a secret written by `readOrCreateSecret`; `what` names it in errors. */
export async function readSecret(file: string, what: string): Promise<Buffer> {
  let text: string;
  try {
    text = (await fsp.readFile(file, 'utf8')).trim();
  } catch (error) {
    throw new Error(`Cannot read the ${what} ${file}: ${errorMessage(error)}.`);
  }
  if (!/^[0-9a-fA-F]+$/.test(text) || text.length % 2 !== 0 || text.length < KEY_BYTES * 2) {
    throw new Error(`The ${what} ${file} must hold at least ${KEY_BYTES} bytes as hex text; it does not. Restore the original file (records signed with another key cannot be verified).`);
  }
  return Buffer.from(text, 'hex');
}

/** The secret in `file`, or a new one written there (mode 0600); `created` says which. */
export async function readOrCreateSecret(file: string, what: string): Promise<{ secret: Buffer; created: boolean }> {
  try {
    await fsp.access(file);
  } catch {
    // Absent (or unreadable, which the read below reports): create it.
    const secret = randomBytes(KEY_BYTES);
    await fsp.mkdir(path.dirname(file), { recursive: true });
    try {
      await fsp.writeFile(file, `${secret.toString('hex')}\n`, { mode: 0o600, flag: 'wx' });
      return { secret, created: true };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw new Error(`Cannot create the ${what} ${file}: ${errorMessage(error)}.`);
    }
  }
  return { secret: await readSecret(file, what), created: false };
}
