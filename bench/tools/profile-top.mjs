// Summarises a .cpuprofile written by `node --cpu-prof`: self time by function and by file, and
// the time spent inside (inclusive) any function whose name matches --inside <regex>.
// Usage: node bench/tools/profile-top.mjs <file.cpuprofile> [--top 25] [--inside <regex>]
import { readFileSync } from 'node:fs';
import path from 'node:path';

const [file, ...rest] = process.argv.slice(2);
if (!file) {
  console.error('Usage: node bench/tools/profile-top.mjs <file.cpuprofile> [--top 25] [--inside <regex>]');
  process.exit(2);
}
const option = (name, fallback) => {
  const i = rest.indexOf(name);
  return i === -1 ? fallback : rest[i + 1];
};
const top = Number(option('--top', '25'));
const inside = option('--inside', undefined);

const profile = JSON.parse(readFileSync(file, 'utf8'));
const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
const parent = new Map();
for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
const self = new Map();
for (let i = 0; i < profile.samples.length; i++) {
  const dt = profile.timeDeltas[i] ?? 0;
  self.set(profile.samples[i], (self.get(profile.samples[i]) ?? 0) + dt);
}
const total = [...self.values()].reduce((a, b) => a + b, 0);
const label = (n) => {
  const f = n.callFrame;
  const where = f.url ? `${path.basename(f.url)}:${f.lineNumber + 1}` : '';
  return `${f.functionName || '(anonymous)'} ${where}`.trim();
};
const byFunction = new Map();
const byFile = new Map();
for (const [id, us] of self) {
  const n = nodes.get(id);
  byFunction.set(label(n), (byFunction.get(label(n)) ?? 0) + us);
  const url = n.callFrame.url || n.callFrame.functionName;
  const key = url.includes('node_modules') ? url.slice(url.lastIndexOf('node_modules')) : url.replace(/^file:\/\/.*\/(out|dist|bench)\//, '$1/');
  byFile.set(key, (byFile.get(key) ?? 0) + us);
}
const show = (title, map) => {
  console.log(`\n${title}`);
  for (const [k, us] of [...map].sort((a, b) => b[1] - a[1]).slice(0, top)) {
    console.log(`${((100 * us) / total).toFixed(1).padStart(6)}%  ${(us / 1000).toFixed(0).padStart(7)} ms  ${k}`);
  }
};
console.log(`${file}: ${(total / 1000).toFixed(0)} ms sampled`);
show('Self time by function', byFunction);
show('Self time by file', byFile);
if (inside) {
  const re = new RegExp(inside);
  const within = new Map();
  for (const [id, us] of self) {
    const seen = new Set();
    for (let cur = id; cur !== undefined; cur = parent.get(cur)) {
      const name = label(nodes.get(cur));
      if (re.test(name) && !seen.has(name)) {
        seen.add(name);
        within.set(name, (within.get(name) ?? 0) + us);
      }
    }
  }
  show(`Inclusive time of functions matching /${inside}/`, within);
}
