// Warden's client side as the benchmarks drive it: McpClient alone (vscode-jsonrpc with the
// newline-delimited framing), and the full path (ToolRouter: schema check, policy, usage, audit,
// metrics, then the supervised server's concurrency limiter, circuit breaker and McpClient).
import { out } from './common.mjs';
import { openCallAudit } from './auditTarget.mjs';

const { McpClient } = out('src/core/client/mcpClient.js');
const { StdioProcessTransport } = out('src/core/transport/stdioProcess.js');
const { allowListedEnvironment } = out('src/core/transport/environment.js');
const { ServerRegistry } = out('src/core/host/serverRegistry.js');
const { backoffRestartPolicy } = out('src/core/host/restartPolicy.js');
const { stdioTransportFactory } = out('src/core/host/stdioTransportFactory.js');
const { ToolMetrics } = out('src/core/metrics/toolMetrics.js');
const { DEFAULT_RULES } = out('src/core/policy/defaults.js');
const { UsageCounters } = out('src/core/policy/usage.js');
const { Approvals, memoryPersistence } = out('src/core/policy/approvals.js');
const { ToolRouter } = out('src/core/router/toolRouter.js');
const { EXTENSION_POLICY_SOURCES } = out('src/vscode/policy/policyNames.js');

const CLIENT_INFO = { name: 'warden-bench', version: '0' };
/** For measuring what the audit log costs: a CallAudit that records nothing. */
const NO_AUDIT = { audit: { started: async () => {}, finished: async () => {}, refused: async () => {} }, close: async () => {} };
const quiet = () => {};

/** McpClient over a child process, as Warden spawns servers (argv, allow-listed environment). */
export async function connectClient(command, args, options = {}) {
  const transport = new StdioProcessTransport({ command, args, env: allowListedEnvironment(), ...options });
  const client = await McpClient.connect(transport, { clientInfo: CLIENT_INFO, log: options.log ?? quiet, initializeTimeoutMs: 60_000 });
  return { client, pid: transport.pid, close: () => client.close() };
}

/**
 * The full path to one server, configured as the extension configures it: the default rules plus
 * one user rule allowing `caller` to call `tool`, the person's remembered approval of the tool,
 * audit records in `auditDir` (none with `noAudit`), and the default supervision (8 calls in flight
 * per server, 64 queued).
 */
export async function fullPath({ id, command, args, tool, caller = 'copilot', auditDir, noAudit = false }) {
  const registry = new ServerRegistry(() => ({
    createTransport: stdioTransportFactory(),
    clientInfo: CLIENT_INFO,
    restartPolicy: backoffRestartPolicy(),
    timeouts: { initializeMs: 60_000, listToolsMs: 60_000 },
    log: quiet,
  }));
  await registry.reconcile([{ id, label: id, command, args, builtin: false }]);
  const { audit, close: closeAudit } = noAudit ? NO_AUDIT : await openCallAudit(auditDir);
  const metrics = new ToolMetrics();
  const userRules = [{ id: 'bench:allow', server: id, tool, caller, effect: 'allow' }];
  const policy = { workspaceTrusted: true, layers: [{ source: 'default', rules: DEFAULT_RULES }, { source: 'user', rules: userRules }] };
  const approvals = new Approvals({ workspace: memoryPersistence(), always: memoryPersistence([`${id}/${tool}`]) });
  const router = new ToolRouter({
    registry,
    audit,
    metrics,
    usage: new UsageCounters(),
    approvals,
    policy: () => policy,
    workspaceFolders: () => [],
    annotationsTrusted: (serverId) => registry.get(serverId)?.definition.builtin === true,
    defaultTimeoutMs: () => 30_000,
    policySources: EXTENSION_POLICY_SOURCES,
  });
  const call = async (args) => {
    const outcome = await router.call({ caller, server: id, tool, args });
    if (outcome.kind !== 'ok') throw new Error(`The full path failed: ${outcome.kind} ${outcome.error?.code ?? ''} ${outcome.error?.message ?? ''}`);
    return outcome.result;
  };
  const close = async () => {
    await registry.dispose();
    await closeAudit();
    metrics.dispose();
    approvals.dispose();
  };
  return { call, close };
}
