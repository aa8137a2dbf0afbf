// The audit log the benchmarks write through, behind the router's CallAudit interface. Each
// entry opens one log in `dir` (the durability check reads every file there) with the given
// options (such as { durability: 'sync' }) and returns { audit: CallAudit, close() }.
// WARDEN_BENCH_AUDIT=<name> picks another for one run.
import { randomBytes } from 'node:crypto';
import { out } from './common.mjs';

const LOGS = {
  chained: {
    durability:
      'AuditLog, durability "flush" (the default): an append resolves once its batch is written to the operating system; ' +
      'fdatasync and the checkpoint follow within 100 ms. With "sync", an append resolves after the fdatasync and the checkpoint',
    async open(dir, options = {}) {
      const { AuditLog } = out('src/core/audit/auditLog.js');
      const log = await AuditLog.open({ dir, key: randomBytes(32), ...options });
      return { audit: log, close: () => log.close() };
    },
  },
};

const CURRENT = 'chained'; // ← the one line to switch the benchmarks to another log

const chosen = process.env.WARDEN_BENCH_AUDIT ?? CURRENT;
if (!(chosen in LOGS)) throw new Error(`WARDEN_BENCH_AUDIT=${chosen} is not one of ${Object.keys(LOGS).join(', ')}.`);

export const AUDIT_LOG = chosen;
export const AUDIT_DURABILITY = LOGS[chosen].durability;
export const openCallAudit = (dir, options) => LOGS[chosen].open(dir, options);
