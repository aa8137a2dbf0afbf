/**
 * The audit log's signing key: 32 random bytes per installation, kept in VS Code's secret
 * storage (the OS keychain where there is one), never in the workspace or the log's folder. A
 * process that can write the log but cannot read this secret cannot forge records that verify.
 */
import { randomBytes } from 'node:crypto';
import type * as vscode from 'vscode';

export const AUDIT_KEY_SECRET = 'warden.audit.key';
const KEY_BYTES = 32;

/** The installation's key, created and stored on first use. */
export async function auditKey(context: vscode.ExtensionContext): Promise<Buffer> {
  const stored = await context.secrets.get(AUDIT_KEY_SECRET);
  if (stored !== undefined) return decodeKey(stored);
  await context.secrets.store(AUDIT_KEY_SECRET, randomBytes(KEY_BYTES).toString('base64'));
  // Another window may have stored its own key at the same moment: whichever was stored last is the key.
  const settled = await context.secrets.get(AUDIT_KEY_SECRET);
  if (settled === undefined) throw new Error("Warden could not keep its audit signing key in VS Code's secret storage, so it cannot sign audit records. Check that the OS keychain is available, then reload the window.");
  return decodeKey(settled);
}

function decodeKey(text: string): Buffer {
  const key = Buffer.from(text, 'base64');
  if (key.length !== KEY_BYTES || key.toString('base64') !== text) {
    throw new Error(
      `Warden's audit signing key in VS Code's secret storage ("${AUDIT_KEY_SECRET}") is damaged: it is not ${KEY_BYTES} bytes of base64. ` +
        'Warden does not replace it by itself, because logs signed with it would no longer verify; restore it from a backup of the keychain.',
    );
  }
  return key;
}
