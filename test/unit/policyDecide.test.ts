import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decide, type DecideContext } from '../../src/core/policy/decide';
import { DEFAULT_RULES } from '../../src/core/policy/defaults';
import { parseRules } from '../../src/core/policy/parseRules';
import { gatewayPolicySources } from '../../src/gateway/policyNames';
import { EXTENSION_POLICY_SOURCES } from '../../src/vscode/policy/policyNames';
import type { Caller, Decision, Policy, PolicyCall, Rule, ToolFacts } from '../../src/core/policy/types';
import { UsageCounters } from '../../src/core/policy/usage';
import type { JsonObject } from '../../src/core/protocol/types';

const READ_ONLY: ToolFacts = { annotations: { readOnlyHint: true, openWorldHint: false }, annotationsTrusted: true };
const OPEN_WORLD: ToolFacts = { annotations: { readOnlyHint: true, openWorldHint: true }, annotationsTrusted: true };
const WRITES: ToolFacts = { annotations: { readOnlyHint: false }, annotationsTrusted: true };
const UNTRUSTED: ToolFacts = { annotations: { readOnlyHint: true, openWorldHint: false }, annotationsTrusted: false };

function call(caller: Caller, server: string, tool: string, args: JsonObject = {}, facts: ToolFacts = READ_ONLY): PolicyCall {
  return { caller, server, tool, args, facts, argumentBytes: JSON.stringify(args).length };
}

function policy(user: Rule[] = [], workspace: Rule[] = [], workspaceTrusted = true): Policy {
  return {
    workspaceTrusted,
    layers: [
      { source: 'default', rules: DEFAULT_RULES },
      { source: 'user', rules: user },
      { source: 'workspace', rules: workspace },
    ],
  };
}

function context(overrides: Partial<DecideContext> = {}): DecideContext {
  return { usage: new UsageCounters(), approvals: { has: () => false }, now: 1_000_000, workspaceFolders: ['/ws'], sources: EXTENSION_POLICY_SOURCES, ...overrides };
}

function limitsOf(d: Decision) {
  if (d.effect === 'deny') throw new Error(`expected a call to go ahead: ${d.message}`);
  return d.limits;
}

interface Case {
  name: string;
  call: PolicyCall;
  policy: Policy;
  effect: Decision['effect'];
  rule: string;
  message?: RegExp;
}

const cases: Case[] = [
  { name: 'denies by default a tool no rule names', call: call('copilot', 'everything', 'echo'), policy: policy(), effect: 'deny', rule: 'deny-by-default', message: /No policy rule allows copilot to call everything\.echo.*warden\.policy\.rules.*"effect":"allow"/ },
  { name: 'allows built-in read-only tools to Copilot by default', call: call('copilot', 'fs', 'read_text'), policy: policy(), effect: 'allow', rule: 'default:built-in-tools' },
  { name: 'allows any tool a person runs from the palette', call: call('palette', 'everything', 'echo', {}, WRITES), policy: policy(), effect: 'allow', rule: 'default:run-by-hand' },
  { name: 'denies gateway clients by default', call: call('gateway:claude', 'fs', 'read_text'), policy: policy(), effect: 'deny', rule: 'deny-by-default' },
  { name: 'asks before a model calls a tool that reaches outside', call: call('copilot', 'http', 'fetch', { url: 'https://example.com' }, OPEN_WORLD), policy: policy(), effect: 'confirm', rule: 'default:built-in-tools' },
  { name: 'asks before a model calls a tool that may write', call: call('copilot', 'db', 'insert', {}, WRITES), policy: policy([{ server: 'db', effect: 'allow' }]), effect: 'confirm', rule: 'user#1' },
  { name: 'asks before a model calls a tool whose annotations are not trusted', call: call('participant', 'ext', 'read', {}, UNTRUSTED), policy: policy([{ server: 'ext', effect: 'allow' }]), effect: 'confirm', rule: 'user#1' },
  { name: 'does not ask a person who runs a writing tool by hand', call: call('sidebar', 'db', 'insert', {}, WRITES), policy: policy(), effect: 'allow', rule: 'default:run-by-hand' },
  { name: 'lets user rules replace the defaults for a call they cover', call: call('copilot', 'fs', 'read_text'), policy: policy([{ id: 'no-files', server: 'fs', effect: 'deny' }]), effect: 'deny', rule: 'no-files', message: /Denied by rule "no-files"\. Change or remove it in the setting warden\.policy\.rules\./ },
  { name: 'takes the most restrictive of the user rules that apply', call: call('copilot', 'x', 't'), policy: policy([{ server: 'x', effect: 'allow' }, { tool: 't', effect: 'confirm', id: 'careful' }]), effect: 'confirm', rule: 'careful' },
  { name: 'matches callers by glob', call: call('gateway:claude-desktop', 'fs', 'read_text'), policy: policy([{ caller: 'gateway:claude-*', server: 'fs', effect: 'allow' }]), effect: 'allow', rule: 'user#1' },
  { name: 'asks a gateway client to confirm a tool that may write', call: call('gateway:cli', 'db', 'insert', {}, WRITES), policy: policy([{ caller: 'gateway:*', server: 'db', effect: 'allow' }]), effect: 'confirm', rule: 'user#1' },
  { name: 'lets a workspace rule deny what the user allows', call: call('copilot', 'fs', 'read_text', { path: 'secrets/a.txt' }), policy: policy([], [{ id: 'ws-secrets', server: 'fs', constraints: { paths: ['secrets/**'] }, effect: 'deny' }]), effect: 'deny', rule: 'ws-secrets', message: /\.vscode\/warden\.json, which can only tighten/ },
  { name: 'ignores a workspace rule that would allow', call: call('copilot', 'everything', 'echo'), policy: policy([], [{ server: 'everything', effect: 'allow' }]), effect: 'deny', rule: 'deny-by-default' },
  { name: 'lets a workspace rule ask for confirmation', call: call('copilot', 'fs', 'list_dir'), policy: policy([], [{ id: 'ws-ask', tool: 'list_dir', effect: 'confirm' }]), effect: 'confirm', rule: 'ws-ask' },
  { name: 'applies only the defaults in an untrusted workspace', call: call('copilot', 'fs', 'read_text'), policy: policy([{ server: 'fs', effect: 'deny' }], [], false), effect: 'allow', rule: 'default:built-in-tools' },
  { name: 'ignores user allows in an untrusted workspace', call: call('copilot', 'everything', 'echo'), policy: policy([{ server: 'everything', effect: 'allow' }], [], false), effect: 'deny', rule: 'deny-by-default' },
  { name: 'allows a path inside the constraint', call: call('copilot', 'fs', 'read_text', { path: 'src/app.ts' }), policy: policy([{ id: 'src-only', server: 'fs', constraints: { paths: ['src/**'] }, effect: 'allow' }]), effect: 'allow', rule: 'src-only' },
  { name: 'denies a path outside the constraint, saying which rule nearly applied', call: call('copilot', 'fs', 'read_text', { path: '.env' }), policy: policy([{ id: 'src-only', server: 'fs', constraints: { paths: ['src/**'] }, effect: 'allow' }]), effect: 'deny', rule: 'deny-by-default', message: /rule "src-only" covers this tool, but path "\.env" is not in \["src\/\*\*"\]/ },
  { name: 'normalises .. before matching a path constraint', call: call('copilot', 'fs', 'read_text', { path: 'src/../.env' }), policy: policy([{ server: 'fs', constraints: { paths: ['src/**'] }, effect: 'allow' }]), effect: 'deny', rule: 'deny-by-default' },
  { name: 'makes absolute paths inside a folder relative', call: call('copilot', 'fs', 'read_text', { path: '/ws/src/app.ts' }), policy: policy([{ server: 'fs', constraints: { paths: ['src/**'] }, effect: 'allow' }]), effect: 'allow', rule: 'user#1' },
  { name: 'allows a table on the list', call: call('copilot', 'sqlite', 'describe_table', { table: 'orders' }), policy: policy([{ server: 'sqlite', constraints: { tables: ['orders', 'products'] }, effect: 'allow' }]), effect: 'allow', rule: 'user#1' },
  { name: 'denies SQL that names a table off the list', call: call('copilot', 'sqlite', 'query', { sql: 'SELECT * FROM orders JOIN customers ON 1' }), policy: policy([{ server: 'sqlite', constraints: { tables: ['orders'] }, effect: 'allow' }]), effect: 'deny', rule: 'deny-by-default', message: /table "customers" is not in \["orders"\]/ },
  { name: 'denies SQL in which no table can be identified under a table constraint', call: call('copilot', 'sqlite', 'query', { sql: 'SELECT 1' }), policy: policy([{ server: 'sqlite', constraints: { tables: ['orders'] }, effect: 'allow' }]), effect: 'deny', rule: 'deny-by-default', message: /no table could be identified/ },
  { name: 'allows a host on the list', call: call('palette', 'http', 'fetch', { url: 'https://api.example.com/x' }, OPEN_WORLD), policy: policy([{ server: 'http', constraints: { hosts: ['*.example.com'] }, effect: 'allow' }]), effect: 'allow', rule: 'user#1' },
  { name: 'denies a host off the list', call: call('palette', 'http', 'fetch', { url: 'https://evil.test/' }, OPEN_WORLD), policy: policy([{ server: 'http', constraints: { hosts: ['*.example.com'] }, effect: 'allow' }]), effect: 'deny', rule: 'deny-by-default', message: /host "evil\.test" is not in/ },
  { name: 'refuses arguments over the size cap', call: call('copilot', 'fs', 'read_text', { path: 'x'.repeat(100) }), policy: policy([{ id: 'small', server: 'fs', maxArgumentBytes: 50, effect: 'allow' }]), effect: 'deny', rule: 'small', message: /take 111 bytes; rule "small" allows at most 50/ },
];

describe('decide()', () => {
  for (const c of cases) {
    it(c.name, () => {
      const decision = decide(c.call, c.policy, context());
      assert.equal(decision.effect, c.effect, JSON.stringify(decision));
      assert.equal(decision.rule.id, c.rule);
      if (c.message) assert.match(decision.effect === 'deny' ? decision.message : decision.effect === 'confirm' ? decision.why : '', c.message);
    });
  }

  it('turns a confirmation into allow once a person approved the tool', () => {
    const c = call('copilot', 'http', 'fetch', { url: 'https://example.com' }, OPEN_WORLD);
    const asked = decide(c, policy(), context());
    assert.equal(asked.effect, 'confirm');
    const approvalKey = asked.effect === 'confirm' ? asked.approvalKey : '';
    const approved = decide(c, policy(), context({ approvals: { has: (key) => key === approvalKey } }));
    assert.equal(approved.effect, 'allow');
  });

  it('is pure: the same inputs give the same decision and the usage is not touched', () => {
    const usage = new UsageCounters();
    const c = call('copilot', 'fs', 'read_text');
    const first = decide(c, policy(), context({ usage }));
    const second = decide(c, policy(), context({ usage }));
    assert.deepEqual(first, second);
    assert.equal(usage.tokens('copilot|fs|read_text', 120, 30, 1_000_000), 30);
  });

  it('rate-limits a burst with a token bucket per caller and tool, and refills over time', () => {
    const usage = new UsageCounters();
    const rules: Rule[] = [{ id: 'slow', server: 'fs', rateLimit: { perMinute: 6, burst: 2 }, effect: 'allow' }];
    const c = call('copilot', 'fs', 'read_text');
    const effects: string[] = [];
    for (let i = 0; i < 3; i++) {
      const d = decide(c, policy(rules), context({ usage, now: 0 }));
      effects.push(d.effect);
      if (d.effect !== 'deny') usage.consume(d.limits, 0);
    }
    assert.deepEqual(effects, ['allow', 'allow', 'deny']);
    const denied = decide(c, policy(rules), context({ usage, now: 0 }));
    assert.equal(denied.effect === 'deny' && denied.reason, 'rate-limited');
    assert.match(denied.effect === 'deny' ? denied.message : '', /6 times a minute \(bursts of 2\)\. Try again in 10 s/);
    assert.equal(decide(call('palette', 'fs', 'read_text'), policy(rules), context({ usage, now: 0 })).effect, 'allow', 'another caller has its own bucket');
    assert.equal(decide(c, policy(rules), context({ usage, now: 10_000 })).effect, 'allow', 'one token back after 10 s');
  });

  it('counts a daily budget per UTC day', () => {
    const usage = new UsageCounters();
    const rules: Rule[] = [{ server: 'fs', dailyBudget: 1, effect: 'allow' }];
    const c = call('copilot', 'fs', 'read_text');
    const first = decide(c, policy(rules), context({ usage, now: 0 }));
    assert.equal(first.effect, 'allow');
    usage.consume(limitsOf(first), 0);
    const second = decide(c, policy(rules), context({ usage, now: 1000 }));
    assert.equal(second.effect === 'deny' && second.reason, 'budget-exhausted');
    assert.equal(decide(c, policy(rules), context({ usage, now: 86_400_000 })).effect, 'allow', 'a new day');
  });

  it('names where the policy lives as each front end calls it', () => {
    const gateway = context({ sources: gatewayPolicySources('/etc/warden.json') });
    const unnamed = call('gateway:cli', 'everything', 'echo');
    const byDefault = decide(unnamed, policy(), gateway);
    assert.equal(byDefault.effect, 'deny');
    assert.match(byDefault.effect === 'deny' ? byDefault.message : '', /add a rule to "policy\.rules" in \/etc\/warden\.json, for example/);
    assert.doesNotMatch(byDefault.effect === 'deny' ? byDefault.message : '', /setting|warden\.policy/);
    const fromEditor = decide(unnamed, policy(), context());
    assert.match(fromEditor.effect === 'deny' ? fromEditor.message : '', /add a rule to the setting warden\.policy\.rules, for example/);

    const byUser = decide(call('copilot', 'fs', 'read_text'), policy([{ id: 'no-files', server: 'fs', effect: 'deny' }]), gateway);
    assert.equal(byUser.effect === 'deny' && byUser.message, 'Denied by rule "no-files". Change or remove it in "policy.rules" in /etc/warden.json.');
    const byDefaultRule = decide(call('copilot', 'fs', 'read_text'), policy([], [], true), context({ sources: gatewayPolicySources('g.json') }));
    assert.equal(byDefaultRule.effect, 'allow');
    const byWorkspace = decide(call('copilot', 'fs', 'read_text'), policy([], [{ id: 'ws-no', server: 'fs', effect: 'deny' }]), context());
    assert.equal(byWorkspace.effect === 'deny' && byWorkspace.message, 'Denied by rule "ws-no". It comes from this workspace\'s .vscode/warden.json, which can only tighten what you allow.');
    const byWorkspaceElsewhere = decide(call('copilot', 'fs', 'read_text'), policy([], [{ id: 'ws-no', server: 'fs', effect: 'deny' }]), gateway);
    assert.match(byWorkspaceElsewhere.effect === 'deny' ? byWorkspaceElsewhere.message : '', /It comes from the workspace's rules, which can only tighten/);
  });

  it('keeps the strictest limits of all applying rules, the workspace included', () => {
    const d = decide(
      call('copilot', 'fs', 'read_text'),
      policy([{ server: 'fs', effect: 'allow', timeoutSeconds: 20, maxResultBytes: 5000 }], [{ server: 'fs', effect: 'confirm', timeoutSeconds: 5 }]),
      context(),
    );
    assert.equal(d.effect, 'confirm');
    const limits = limitsOf(d);
    assert.deepEqual({ timeoutMs: limits.timeoutMs, maxResultBytes: limits.maxResultBytes }, { timeoutMs: 5000, maxResultBytes: 5000 });
  });
});

describe('parseRules()', () => {
  it('keeps valid rules and names each one it leaves out', () => {
    const parsed = parseRules(
      [{ server: 'fs', effect: 'allow' }, { effect: 'maybe' }, { id: 'typo', effect: 'deny', servr: 'x' }, 'nonsense'],
      'user',
      'warden.policy.rules',
    );
    assert.equal(parsed.rules.length, 1);
    assert.equal(parsed.problems.length, 3);
    assert.match(parsed.problems[0]!, /^warden\.policy\.rules rule 2 was left out: \/effect must be equal to one of the allowed values\.$/);
    assert.match(parsed.problems[1]!, /rule 3 \("typo"\) was left out: the rule must NOT have additional properties/);
  });

  it('leaves out allow rules from a workspace file, saying it can only tighten', () => {
    const parsed = parseRules([{ effect: 'allow' }, { effect: 'deny', tool: 'x' }], 'workspace', '.vscode/warden.json');
    assert.deepEqual(parsed.rules, [{ effect: 'deny', tool: 'x' }]);
    assert.match(parsed.problems[0]!, /can only tighten/);
  });

  it('says so when the rules are not a list', () => {
    assert.match(parseRules({ effect: 'allow' }, 'user', 'warden.policy.rules').problems[0]!, /must be a list of rules/);
  });
});
