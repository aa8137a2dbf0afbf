// Case 7: decide() per second on a realistic policy: the defaults, 20 user rules (globs,
// constraints on paths, tables and hosts, rate limits, budgets) and a workspace layer, for four
// kinds of call. decide() is pure, so this is CPU only; the yardstick, JSON.stringify of the same
// call measured in the same loop, turns ops/s into a ratio that holds across machines.
import { performance } from 'node:perf_hooks';
import { out } from '../lib/common.mjs';
import { median } from '../lib/measure.mjs';
import { fmt } from '../lib/report.mjs';

const { decide } = out('src/core/policy/decide.js');
const { DEFAULT_RULES } = out('src/core/policy/defaults.js');
const { UsageCounters } = out('src/core/policy/usage.js');
const { EXTENSION_POLICY_SOURCES } = out('src/vscode/policy/policyNames.js');

const USER_RULES = [
  { id: 'read-src', server: 'fs', tool: 'read_text', caller: 'copilot', effect: 'allow', constraints: { paths: ['src/**', 'docs/**', 'README.md'] }, rateLimit: { perMinute: 60, burst: 20 } },
  { server: 'fs', tool: 'list_dir', effect: 'allow' },
  { server: 'fs', tool: 'search', caller: 'copilot', effect: 'allow', constraints: { paths: ['src/**'] }, dailyBudget: 500 },
  { server: 'fs', tool: ['find', 'stat'], caller: ['copilot', 'participant'], effect: 'allow' },
  { id: 'sql-app-tables', server: 'sqlite', tool: 'query', caller: 'copilot', effect: 'allow', constraints: { tables: ['items', 'orders', 'customers'] }, maxResultBytes: 262_144 },
  { server: 'sqlite', tool: ['list_tables', 'describe_table', 'list_databases'], effect: 'allow' },
  { server: 'http', tool: 'fetch', caller: 'copilot', effect: 'confirm', constraints: { hosts: ['*.example.com', 'api.github.com'] } },
  { server: 'http', tool: 'fetch', caller: 'participant', effect: 'allow', constraints: { hosts: ['docs.python.org'] }, rateLimit: { perMinute: 10 } },
  { server: 'github', caller: 'copilot', effect: 'confirm' },
  { server: 'github', tool: 'get_*', caller: 'copilot', effect: 'allow' },
  { id: 'no-github-writes', server: 'github', tool: ['create_*', 'update_*', 'merge_*'], effect: 'deny', description: 'no writes to GitHub from here' },
  { server: 'jira', tool: 'search_*', caller: 'participant', effect: 'allow', timeoutSeconds: 20 },
  { server: '*', tool: 'delete_*', effect: 'deny' },
  { server: 'fs', tool: 'read_text', caller: 'gateway:*', effect: 'allow', constraints: { paths: ['public/**'] } },
  { server: 'notes', caller: 'palette', effect: 'allow' },
  { server: 'docker', effect: 'confirm' },
  { server: 'fs', tool: 'read_text', caller: 'participant', effect: 'allow', maxArgumentBytes: 4096 },
  { server: 'k8s', tool: ['get_*', 'list_*', 'describe_*'], caller: 'copilot', effect: 'allow', rateLimit: { perMinute: 30 } },
  { server: 'k8s', tool: ['apply', 'scale', 'exec'], effect: 'deny' },
  { server: 'slack', tool: 'post_message', caller: 'participant', effect: 'confirm', dailyBudget: 50 },
];
const WORKSPACE_RULES = [
  { id: 'ws:secrets', server: 'fs', effect: 'deny', constraints: { paths: ['secrets/**', 'config/prod/**'] } },
  { id: 'ws:confirm-sql', server: 'sqlite', tool: 'query', effect: 'confirm' },
  { id: 'ws:no-gateway-fetch', server: 'http', caller: 'gateway:*', effect: 'deny' },
];
const POLICY = {
  workspaceTrusted: true,
  layers: [
    { source: 'default', rules: DEFAULT_RULES },
    { source: 'user', rules: USER_RULES },
    { source: 'workspace', rules: WORKSPACE_RULES },
  ],
};
const READ_ONLY = { annotations: { readOnlyHint: true, openWorldHint: false }, annotationsTrusted: true };

function call(caller, server, tool, args, facts = READ_ONLY) {
  return { caller, server, tool, args, facts, argumentBytes: Buffer.byteLength(JSON.stringify(args)) };
}

const CALLS = [
  { name: 'allow: fs.read_text src/** (path constraint, rate limit)', call: call('copilot', 'fs', 'read_text', { path: '/home/dev/project/src/core/router/toolRouter.ts' }), effect: 'allow' },
  { name: 'confirm: sqlite.query (table constraint; workspace confirm)', call: call('copilot', 'sqlite', 'query', { sql: 'SELECT o.id, c.name FROM orders o JOIN customers c ON c.id = o.customer_id WHERE o.total > ?', params: [100] }), effect: 'confirm' },
  { name: 'deny: github.create_issue (user deny rule)', call: call('copilot', 'github', 'create_issue', { title: 'Crash on start', body: 'Steps to reproduce: ...' }, { annotationsTrusted: false }), effect: 'deny' },
  { name: 'deny: weather.forecast (no rule applies)', call: call('copilot', 'weather', 'forecast', { city: 'Lisbon' }, { annotationsTrusted: false }), effect: 'deny' },
];

export default {
  name: 'policy',
  title: 'Policy: decide() per second',
  async run({ smoke, log }) {
    const context = { usage: new UsageCounters(), approvals: { has: () => false }, now: Date.now(), workspaceFolders: ['/home/dev/project'], sources: EXTENSION_POLICY_SOURCES };
    for (const c of CALLS) {
      const decision = decide(c.call, POLICY, context);
      if (decision.effect !== c.effect) throw new Error(`${c.name}: expected ${c.effect}, decide() said ${JSON.stringify(decision)}`);
    }
    const seconds = smoke ? 0.02 : 0.5;
    const rounds = smoke ? 1 : 5;
    let sink = 0;
    // Operations per second of `op`, run in chunks of 500 for `seconds`.
    const rate = (op) => {
      let n = 0;
      const start = performance.now();
      const end = start + seconds * 1000;
      do {
        for (let i = 0; i < 500; i++) sink += op();
        n += 500;
      } while (performance.now() < end);
      return n / ((performance.now() - start) / 1000);
    };
    const perCall = CALLS.map(() => []);
    const yardstick = [];
    for (const c of CALLS) rate(() => decide(c.call, POLICY, context).effect.length); // warm-up
    for (let round = 0; round < rounds; round++) {
      for (let k = 0; k < CALLS.length; k++) {
        const c = CALLS[(k + round) % CALLS.length];
        perCall[(k + round) % CALLS.length].push(rate(() => decide(c.call, POLICY, context).effect.length));
      }
      yardstick.push(rate(() => JSON.stringify(CALLS[0].call).length));
      log(`  round ${round + 1}/${rounds} done`);
    }
    if (sink === 0) throw new Error('The loops did no work.');
    const ops = perCall.map(median);
    const stringify = median(yardstick);
    const mean = CALLS.length / ops.reduce((a, o) => a + 1 / o, 0);
    return {
      sections: [
        {
          title: `decide() on defaults + ${USER_RULES.length} user rules + ${WORKSPACE_RULES.length} workspace rules`,
          columns: ['call', 'decisions/s', 'µs each', 'time / JSON.stringify(call)'],
          rows: [
            ...CALLS.map((c, i) => [c.name, fmt(ops[i]), fmt(1e6 / ops[i], 2), fmt(stringify / ops[i], 1)]),
            ['mix of the four', fmt(mean), fmt(1e6 / mean, 2), fmt(stringify / mean, 1)],
            ['yardstick: JSON.stringify(the fs.read_text call)', fmt(stringify), fmt(1e6 / stringify, 2), '1.0'],
          ],
        },
      ],
      targets: [],
      ratios: { 'decide() mix, time / JSON.stringify(call)': stringify / mean },
      numbers: { ...Object.fromEntries(CALLS.map((c, i) => [c.name, ops[i]])), stringify },
    };
  },
};
