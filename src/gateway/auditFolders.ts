/**
 * The audit folder a gateway process writes. A log has one writer, and one configuration may be
 * started by several clients at once (Claude Desktop and a CLI agent on the same copied
 * configuration): the first process writes the configured folder, each further one the first free
 * of `<dir>-2` … `<dir>-<MAX_AUDIT_FOLDERS>`, and says which. Each folder is a whole log, chained
 * and signed with the same key, and is verified on its own.
 */
import { AuditLog, type AuditDurability } from '../core/audit/auditLog';
import { AuditLogInUseError } from '../core/audit/writerLock';

export const MAX_AUDIT_FOLDERS = 8;

export interface GatewayAuditOptions {
  readonly dir: string;
  readonly key: Buffer;
  readonly durability: AuditDurability;
}

/** The folders a gateway on `dir` may write, in the order it tries them. */
export function auditFolders(dir: string): string[] {
  return [dir, ...Array.from({ length: MAX_AUDIT_FOLDERS - 1 }, (_, i) => `${dir}-${i + 2}`)];
}

/** Opens the first audit folder no other running process writes. */
export async function openGatewayAudit(options: GatewayAuditOptions, log: (line: string) => void): Promise<AuditLog> {
  const busy: string[] = [];
  for (const dir of auditFolders(options.dir)) {
    try {
      const audit = await AuditLog.open({ dir, key: options.key, durability: options.durability });
      if (busy.length > 0) log(`audit: ${busy.join(', ')} in use by other gateways on this configuration; this one writes ${dir}.`);
      return audit;
    } catch (error) {
      if (!(error instanceof AuditLogInUseError)) throw error;
      busy.push(`${dir} (process ${error.holderPid})`);
    }
  }
  throw new Error(
    `every audit folder of this configuration is in use by another running gateway: ${busy.join(', ')}. ` +
      'Stop one of them, or give this client a configuration with an audit "dir" of its own',
  );
}
