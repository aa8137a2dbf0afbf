import type { ServerRegistry } from '../../src/core/host/serverRegistry';
import { ToolMetrics } from '../../src/core/metrics/toolMetrics';
import { DEFAULT_RULES } from '../../src/core/policy/defaults';
import type { Rule } from '../../src/core/policy/types';
import { UsageCounters } from '../../src/core/policy/usage';
import type { CallAudit } from '../../src/core/router/callAudit';
import { ToolRouter } from '../../src/core/router/toolRouter';

/**
 * A gate for tests about something other than policy: every tool allowed to every caller, and
 * every confirmation already given. Policy itself is tested in test/unit/policyDecide.test.ts.
 */
export function permissiveRouter(registry: ServerRegistry, audit: CallAudit, rules: Rule[] = [{ id: 'test:allow-all', effect: 'allow' }]): ToolRouter {
  return new ToolRouter({
    registry,
    audit,
    metrics: new ToolMetrics(),
    usage: new UsageCounters(),
    approvals: { has: () => true, grant: async () => undefined },
    policy: () => ({ workspaceTrusted: true, layers: [{ source: 'default', rules: DEFAULT_RULES }, { source: 'user', rules }] }),
    workspaceFolders: () => [],
    annotationsTrusted: () => true,
    defaultTimeoutMs: () => 10_000,
    policySources: { userRules: 'the test\'s rules', approvals: 'approve it in the test' },
  });
}
