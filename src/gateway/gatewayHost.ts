/**
 * The core the gateway's front ends share: the hosted servers, the gate (policy, usage, metrics)
 * and the audit log, composed from a `GatewayConfig`. Nothing here knows about stdio or HTTP.
 */
import type { AuditLog } from '../core/audit/auditLog';
import { backoffRestartPolicy } from '../core/host/restartPolicy';
import { ServerRegistry } from '../core/host/serverRegistry';
import { serverTransportFactory } from '../core/host/serverTransportFactory';
import { ToolMetrics } from '../core/metrics/toolMetrics';
import { DEFAULT_RULES } from '../core/policy/defaults';
import { matchesAny } from '../core/policy/glob';
import { gatewayPolicySources } from './policyNames';
import type { Policy } from '../core/policy/types';
import { UsageCounters } from '../core/policy/usage';
import { ToolRouter } from '../core/router/toolRouter';
import { errorMessage } from '../core/util/errors';
import type { GatewayConfig } from './config';
import { openGatewayAudit } from './auditFolders';
import { GatewayCatalog } from './gatewayCatalog';
import { readOrCreateSecret } from './secrets';

export const GATEWAY_VERSION = '0.1.0';
const DEFAULT_TIMEOUT_MS = 60_000;

export class GatewayHost {
  private constructor(
    readonly registry: ServerRegistry,
    readonly router: ToolRouter,
    readonly catalog: GatewayCatalog,
    readonly metrics: ToolMetrics,
    private readonly audit: AuditLog,
  ) {}

  /**
   * Opens the audit log (creating its key on first run; in the first folder no other gateway
   * writes), then starts every hosted server.
   * `configFile` is named in refusals as where the policy lives.
   */
  static async start(config: GatewayConfig, configFile: string, log: (line: string) => void): Promise<GatewayHost> {
    const { secret: key, created } = await readOrCreateSecret(config.audit.keyFile, 'audit key');
    if (created) log(`Created the audit key ${config.audit.keyFile}; keep it: the log can only be verified with it.`);
    const audit = await openGatewayAudit({ dir: config.audit.dir, key, durability: config.audit.durability }, log);
    if (audit.openReport.message) log(`audit: ${audit.openReport.message}`);
    const createTransport = serverTransportFactory();
    const registry = new ServerRegistry((definition) => ({
      createTransport,
      clientInfo: { name: 'warden-gateway', version: GATEWAY_VERSION },
      restartPolicy: backoffRestartPolicy(),
      timeouts: { initializeMs: 20_000, listToolsMs: 20_000 },
      log: (line) => log(`[${definition.id}] ${line}`),
    }));
    const policy: Policy = { workspaceTrusted: true, layers: [{ source: 'default', rules: DEFAULT_RULES }, { source: 'user', rules: config.rules }] };
    const metrics = new ToolMetrics();
    const router = new ToolRouter({
      registry,
      audit,
      metrics,
      usage: new UsageCounters(),
      // Nobody can be asked at a gateway: only what the configuration approved in advance counts.
      approvals: {
        has: (key) => matchesAny(key, config.approvals),
        grant: async () => undefined,
      },
      policy: () => policy,
      workspaceFolders: () => [],
      annotationsTrusted: (serverId) => registry.get(serverId)?.definition.builtin === true,
      defaultTimeoutMs: () => DEFAULT_TIMEOUT_MS,
      policySources: config.policySources ?? gatewayPolicySources(configFile),
    });
    const host = new GatewayHost(registry, router, new GatewayCatalog(registry, router), metrics, audit);
    try {
      await registry.reconcile(config.servers);
    } catch (error) {
      // A server that fails to start is retried by its supervisor; the others serve meanwhile.
      log(`Some servers did not start: ${errorMessage(error)}`);
    }
    return host;
  }

  /** Stops every hosted process and closes the audit log. */
  async dispose(): Promise<void> {
    await this.registry.dispose();
    this.metrics.dispose();
    await this.audit.close();
  }
}
