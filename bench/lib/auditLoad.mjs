// The audit workload: calls as the router records them (started, then finished), many in flight,
// and the check that every acknowledged call is in the files. Shared by the in-process
// measurement and the writer child that is killed mid-stream.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

export const ID_PREFIX = 'audit-bench-';

const ARGS = { path: 'src/core/router/toolRouter.ts', startLine: 1, endLine: 120 };
const DECISION = { effect: 'allow', rule: { id: 'read-src', source: 'user' }, limits: { rateLimit: { key: 'copilot|fs|read_text', perMinute: 60, burst: 20 } } };
const PREVIEW = '/**\n * The gate: the one path every tool call takes, whoever the caller. In order: find the tool,\n * check the arguments against its schema, ask the policy, get a person…';

/** Records one call the way ToolRouter does: started (before it runs), then finished. */
export async function auditOneCall(audit, n) {
  const id = `${ID_PREFIX}${n}`;
  const time = new Date().toISOString();
  await audit.started({ id, time, caller: 'copilot', server: 'fs', tool: 'read_text', args: ARGS, decision: DECISION });
  await audit.finished({ id, time, durationMs: 1.234, outcome: 'ok', resultBytes: 4821, preview: PREVIEW });
}

/** Keeps `inFlight` calls being recorded until `total` are acknowledged; `onAck(n)` after each. */
export async function auditLoad(audit, { inFlight, total, onAck = () => {} }) {
  let next = 0;
  const worker = async () => {
    while (next < total) {
      const n = next++;
      await auditOneCall(audit, n);
      onAck(n);
    }
  };
  await Promise.all(Array.from({ length: inFlight }, worker));
}

/** Every file under `dir`, read whole: the ids found, the lines and the bytes. */
export function scanAuditFiles(dir) {
  const ids = new Set();
  let lines = 0;
  let bytes = 0;
  const pattern = new RegExp(`${ID_PREFIX}(\\d+)`, 'g');
  const walk = (folder) => {
    for (const entry of readdirSync(folder)) {
      const file = path.join(folder, entry);
      if (statSync(file).isDirectory()) {
        walk(file);
        continue;
      }
      const text = readFileSync(file, 'utf8');
      bytes += text.length;
      for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) lines++;
      for (const match of text.matchAll(pattern)) ids.add(Number(match[1]));
    }
  };
  walk(dir);
  return { ids, lines, bytes };
}
