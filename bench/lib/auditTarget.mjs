// The audit log the benchmarks write through, behind the router's CallAudit interface. Each
// entry opens one log in `dir` (the durability check reads every file there) and returns
// { audit: CallAudit, close() }. WARDEN_BENCH_AUDIT=<name> picks another for one run.
import { randomBytes } from 'node:crypto';
import { out } from './common.mjs';

const LOGS = {
  chained: {
    durability: 'AuditLog: an append resolves after the group commit that covers it is fdatasync-ed and its checkpoint written',
    async open(dir) {
      const { AuditLog } = out('src/core/audit/auditLog.js');
      const log = await AuditLog.open({ dir, key: randomBytes(32) });
      return { audit: log, close: () => log.close() };
    },
  },
};

const CURRENT = 'chained'; // ← the one line to switch the benchmarks to another log

const chosen = process.env.WARDEN_BENCH_AUDIT ?? CURRENT;
if (!(chosen in LOGS)) throw new Error(`WARDEN_BENCH_AUDIT=${chosen} is not one of ${Object.keys(LOGS).join(', ')}.`);

export const AUDIT_LOG = chosen;
export const AUDIT_DURABILITY = LOGS[chosen].durability;
export const openCallAudit = (dir) => LOGS[chosen].open(dir);
