// Writes audit records as fast as it can, with many in flight, and prints the number of every
// call whose records were acknowledged, after the acknowledgement. The parent kills it with
// SIGKILL mid-stream and checks that every number printed is in the files.
// Usage: node bench/lib/auditWriterChild.mjs <dir> <inFlight>
import { writeSync } from 'node:fs';
import { openCallAudit } from './auditTarget.mjs';
import { auditLoad } from './auditLoad.mjs';

const [dir, inFlight] = process.argv.slice(2);
const { audit } = await openCallAudit(dir);
let acked = [];
let flushing = false;
const flush = () => {
  flushing = false;
  const batch = acked;
  acked = [];
  writeSync(1, `${batch.join('\n')}\n`);
};
await auditLoad(audit, {
  inFlight: Number(inFlight),
  total: Number.MAX_SAFE_INTEGER,
  onAck: (n) => {
    acked.push(n);
    if (!flushing) {
      flushing = true;
      setImmediate(flush);
    }
  },
});
