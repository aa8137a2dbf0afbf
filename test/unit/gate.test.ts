import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { backoffRestartPolicy } from '../../src/core/host/restartPolicy';
import { ServerRegistry } from '../../src/core/host/serverRegistry';
import { ToolMetrics } from '../../src/core/metrics/toolMetrics';
import { Approvals, memoryPersistence } from '../../src/core/policy/approvals';
import { DEFAULT_RULES } from '../../src/core/policy/defaults';
import type { PolicySources } from '../../src/core/policy/sources';
import { gatewayPolicySources } from '../../src/gateway/policyNames';
import { EXTENSION_POLICY_SOURCES } from '../../src/vscode/policy/policyNames';
import type { Rule } from '../../src/core/policy/types';
import { UsageCounters } from '../../src/core/policy/usage';
import type { CallAudit, CallFinishedEntry, CallRefusedEntry, CallStartedEntry } from '../../src/core/router/callAudit';
import { ToolRouter, type ConfirmationPrompt, type ToolCallOutcome } from '../../src/core/router/toolRouter';
import { McpServer } from '../../src/servers/shared/mcpServer';
import { defineTool, type RegisteredTool } from '../../src/servers/shared/toolDefinition';
import { textResult } from '../../src/servers/shared/toolResult';
import { linkInMemory } from '../helpers/memoryTransport';
import { echoTool, waitForCancelTool } from '../helpers/toolFixtures';

class RecordingAudit {
  readonly started: CallStartedEntry[] = [];
  readonly finished: CallFinishedEntry[] = [];
  readonly refused: CallRefusedEntry[] = [];
  // Each method resolves once "durable", as the real log does.
  readonly api: CallAudit = {
    started: async (e) => void this.started.push(e),
    finished: async (e) => void this.finished.push(e),
    refused: async (e) => void this.refused.push(e),
  };
}

let serverCalls = 0;
const writeTool: RegisteredTool = defineTool<{ value: string }>({
  tool: { name: 'write', inputSchema: { type: 'object', properties: { value: { type: 'string' } }, required: ['value'], additionalProperties: false } },
  run: (args) => {
    serverCalls++;
    return textResult(`wrote ${args.value}`);
  },
});
const bigTool: RegisteredTool = defineTool<Record<string, never>>({
  tool: { name: 'big', inputSchema: { type: 'object' }, annotations: { readOnlyHint: true, openWorldHint: false } },
  run: () => textResult('x'.repeat(5000)),
});
const lyingTool: RegisteredTool = defineTool<Record<string, never>>({
  tool: {
    name: 'lying',
    inputSchema: { type: 'object' },
    outputSchema: { type: 'object', properties: { count: { type: 'integer' } }, required: ['count'] },
    annotations: { readOnlyHint: true, openWorldHint: false },
  },
  run: () => ({ content: [{ type: 'text', text: 'count: many' }], structuredContent: { count: 'many' } }),
});

async function gate(rules: Rule[] = [], trusted = true, policySources: PolicySources = EXTENSION_POLICY_SOURCES) {
  const tools = [echoTool, writeTool, bigTool, lyingTool, waitForCancelTool(() => undefined)];
  const registry = new ServerRegistry(() => ({
    createTransport: () => linkInMemory(new McpServer({ info: { name: 'mem', version: '1' }, log: () => undefined }, tools)).transport,
    clientInfo: { name: 'test', version: '0' },
    restartPolicy: backoffRestartPolicy(),
    timeouts: { initializeMs: 5000, listToolsMs: 5000 },
    log: () => undefined,
  }));
  await registry.reconcile([{ id: 'mem', label: 'mem', command: 'unused', args: [], builtin: false }]);
  const audit = new RecordingAudit();
  const metrics = new ToolMetrics();
  const approvals = new Approvals({ workspace: memoryPersistence(), always: memoryPersistence() });
  const router = new ToolRouter({
    registry,
    audit: audit.api,
    metrics,
    usage: new UsageCounters(),
    approvals,
    policy: () => ({ workspaceTrusted: true, layers: [{ source: 'default', rules: DEFAULT_RULES }, { source: 'user', rules }] }),
    workspaceFolders: () => ['/ws'],
    annotationsTrusted: () => trusted,
    defaultTimeoutMs: () => 5000,
    policySources,
  });
  return { router, audit, metrics, approvals, registry };
}

function failure(outcome: ToolCallOutcome): { code: string; message: string } {
  assert.equal(outcome.kind, 'failed', `expected a failure, got ${JSON.stringify(outcome)}`);
  return outcome.kind === 'failed' ? { code: outcome.error.code, message: outcome.error.message } : { code: '', message: '' };
}

describe('the gate', () => {
  it('runs an allowed call and records started, finished and a metric', async () => {
    const { router, audit, metrics, registry } = await gate([{ server: 'mem', effect: 'allow' }]);
    const outcome = await router.call({ caller: 'palette', server: 'mem', tool: 'echo', args: { text: 'hi' } });
    assert.equal(outcome.kind, 'ok');
    assert.deepEqual(audit.started.map((e) => [e.id, e.decision.effect, e.decision.rule.id]), [[outcome.auditId, 'allow', 'user#1']]);
    assert.deepEqual(audit.finished.map((e) => [e.id, e.outcome, e.preview]), [[outcome.auditId, 'ok', 'hi']]);
    assert.equal(metrics.summary('mem', 'echo')?.outcomes.ok, 1);
    await registry.dispose();
  });

  it('refuses an unknown tool, naming the tools there are', async () => {
    const { router, audit, registry } = await gate();
    const f = failure(await router.call({ caller: 'palette', server: 'mem', tool: 'nope', args: {} }));
    assert.equal(f.code, 'TOOL_NOT_FOUND');
    assert.match(f.message, /has no tool "nope".*Its tools: echo, write, big, lying, wait/);
    assert.equal(audit.refused.length, 1);
    assert.equal(audit.started.length, 0);
    await registry.dispose();
  });

  it('checks arguments against the schema before the server sees them', async () => {
    const { router, audit, registry } = await gate();
    const before = serverCalls;
    const f = failure(await router.call({ caller: 'palette', server: 'mem', tool: 'write', args: { value: 3 } }));
    assert.equal(f.code, 'INVALID_ARGUMENTS');
    assert.match(f.message, /field "value" must be string/);
    assert.equal(serverCalls, before);
    assert.equal(audit.refused[0]?.errorCode, 'INVALID_ARGUMENTS');
    await registry.dispose();
  });

  it('denies by default, audits the denial with its rule, and never calls the server', async () => {
    const { router, audit, metrics, registry } = await gate();
    const before = serverCalls;
    const f = failure(await router.call({ caller: 'copilot', server: 'mem', tool: 'write', args: { value: 'x' } }));
    assert.equal(f.code, 'POLICY_DENIED');
    assert.match(f.message, /No policy rule allows copilot to call mem\.write/);
    assert.equal(serverCalls, before);
    assert.deepEqual(audit.refused.map((e) => [e.outcome, e.decision?.rule.id]), [['denied', 'deny-by-default']]);
    assert.equal(metrics.summary('mem', 'write')?.outcomes.denied, 1);
    await registry.dispose();
  });

  it('asks a person before a model runs a tool that may write, and remembers "for this session"', async () => {
    const { router, approvals, registry } = await gate([{ server: 'mem', effect: 'allow' }]);
    const prompts: ConfirmationPrompt[] = [];
    const declined = failure(
      await router.call({ caller: 'copilot', server: 'mem', tool: 'write', args: { value: 'a' }, confirmation: async (p) => (prompts.push(p), 'declined') }),
    );
    assert.equal(declined.code, 'CONFIRMATION_DECLINED');
    assert.match(prompts[0]!.why, /may change things/);
    const allowed = await router.call({ caller: 'copilot', server: 'mem', tool: 'write', args: { value: 'b' }, confirmation: async (p) => (prompts.push(p), 'session') });
    assert.equal(allowed.kind, 'ok');
    const again = await router.call({ caller: 'copilot', server: 'mem', tool: 'write', args: { value: 'c' }, confirmation: async (p) => (prompts.push(p), 'declined') });
    assert.equal(again.kind, 'ok', 'the session approval holds');
    assert.equal(prompts.length, 2);
    assert.deepEqual(approvals.list(), [{ key: 'mem/write', scope: 'session' }]);
    await registry.dispose();
  });

  it('refuses a call that needs confirmation when nobody can be asked, saying how to approve that tool', async () => {
    // An allow rule is there: a model calling a tool that may write still needs a person, or an approval.
    const inEditor = await gate([{ caller: 'gateway:*', effect: 'allow' }], true, EXTENSION_POLICY_SOURCES);
    const f = failure(await inEditor.router.call({ caller: 'gateway:cli', server: 'mem', tool: 'write', args: { value: 'x' } }));
    assert.equal(f.code, 'CONFIRMATION_DECLINED');
    assert.match(f.message, /cannot ask a person to confirm\. To let it run without asking, allow mem\/write with "Warden: Always Allow a Tool for Models…" in VS Code \(or answer "Always allow" when Warden asks there\)\.$/);
    assert.doesNotMatch(f.message, /allow rule/, 'an allow rule would not help');
    await inEditor.registry.dispose();

    const atGateway = await gate([{ caller: 'gateway:*', effect: 'allow' }], true, gatewayPolicySources('/srv/warden.json'));
    const g = failure(await atGateway.router.call({ caller: 'gateway:cli', server: 'mem', tool: 'write', args: { value: 'x' } }));
    assert.match(g.message, /To let it run without asking, list "mem\/write" in "approvals" in \/srv\/warden\.json\.$/);
    assert.doesNotMatch(g.message, /VS Code|setting/);
    await atGateway.registry.dispose();

    // A rule that asks for confirmation can also be changed.
    const byRule = await gate([{ caller: 'gateway:*', effect: 'confirm', id: 'ask-first' }], true, gatewayPolicySources('/srv/warden.json'));
    const r = failure(await byRule.router.call({ caller: 'gateway:cli', server: 'mem', tool: 'echo', args: { text: 'x' } }));
    assert.match(r.message, /^rule "ask-first" asks for confirmation, and gateway:cli cannot ask a person to confirm\. To let it run without asking, change that rule in "policy\.rules" in \/srv\/warden\.json, or list "mem\/echo" in "approvals" in \/srv\/warden\.json\.$/);
    await byRule.registry.dispose();
  });

  it('names the front end\'s policy file in a denial', async () => {
    const { router, registry } = await gate([], true, gatewayPolicySources('/srv/warden.json'));
    const f = failure(await router.call({ caller: 'gateway:cli', server: 'mem', tool: 'echo', args: { text: 'x' } }));
    assert.equal(f.code, 'POLICY_DENIED');
    assert.match(f.message, /add a rule to "policy\.rules" in \/srv\/warden\.json, for example \{"server":"mem","tool":"echo","caller":"gateway:cli","effect":"allow"\}\.$/);
    await registry.dispose();
  });

  it('rate-limits a burst per caller and tool', async () => {
    const { router, audit, registry } = await gate([{ server: 'mem', effect: 'allow', rateLimit: { perMinute: 2, burst: 2 } }]);
    const results = [];
    for (let i = 0; i < 3; i++) results.push(await router.call({ caller: 'palette', server: 'mem', tool: 'echo', args: { text: String(i) } }));
    assert.deepEqual(results.map((r) => r.kind), ['ok', 'ok', 'failed']);
    const f = failure(results[2]!);
    assert.equal(f.code, 'RATE_LIMITED');
    assert.equal(audit.refused.at(-1)?.outcome, 'rate-limited');
    await registry.dispose();
  });

  it('refuses a result over the size cap', async () => {
    const { router, audit, registry } = await gate([{ server: 'mem', effect: 'allow', maxResultBytes: 1000 }]);
    const f = failure(await router.call({ caller: 'copilot', server: 'mem', tool: 'big', args: {} }));
    assert.equal(f.code, 'RESULT_TOO_LARGE');
    assert.match(f.message, /returned \d+ bytes; the policy allows at most 1000/);
    assert.equal(audit.finished[0]?.errorCode, 'RESULT_TOO_LARGE');
    await registry.dispose();
  });

  it('refuses structuredContent that does not match the tool\'s output schema', async () => {
    const { router, registry } = await gate([{ server: 'mem', effect: 'allow' }]);
    const f = failure(await router.call({ caller: 'copilot', server: 'mem', tool: 'lying', args: {} }));
    assert.equal(f.code, 'INVALID_RESULT');
    assert.match(f.message, /does not match its output schema: field "count" must be integer/);
    await registry.dispose();
  });

  it('applies the strictest timeout: the rule\'s over the caller\'s', async () => {
    const { router, audit, registry } = await gate([{ server: 'mem', effect: 'allow', timeoutSeconds: 0.05 }]);
    const f = failure(await router.call({ caller: 'palette', server: 'mem', tool: 'wait', args: {}, timeoutMs: 60_000 }));
    assert.equal(f.code, 'TIMEOUT');
    assert.match(f.message, /timed out after 50 ms/);
    assert.equal(audit.finished[0]?.outcome, 'timeout');
    await registry.dispose();
  });

  it('previews a decision without recording anything', async () => {
    const { router, audit, registry } = await gate([{ server: 'mem', effect: 'allow' }]);
    const preview = router.preview({ caller: 'copilot', server: 'mem', tool: 'write', args: { value: 'x' } });
    assert.equal(preview.kind, 'decided');
    assert.equal(preview.kind === 'decided' && preview.decision.effect, 'confirm');
    assert.equal(router.preview({ caller: 'copilot', server: 'mem', tool: 'write', args: {} }).kind, 'unavailable');
    assert.equal(audit.started.length + audit.refused.length, 0);
    await registry.dispose();
  });
});
