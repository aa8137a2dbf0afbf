/**
 * The core the gateway's front ends share: the hosted servers, the gate (policy, usage, metrics)
 * and the audit log, composed from a `GatewayConfig`. Nothing here knows about stdio or HTTP.
 * A new configuration can be applied while serving: servers, rules, approvals and how refusals
 * name them change at once; the audit log and HTTP limits stay as the gateway started.
 */
import type { AuditLog } from '../core/audit/auditLog';
import { backoffRestartPolicy } from '../core/host/restartPolicy';
import { ServerRegistry } from '../core/host/serverRegistry';
import { serverTransportFactory } from '../core/host/serverTransportFactory';
import { ToolMetrics } from '../core/metrics/toolMetrics';
import { DEFAULT_RULES } from '../core/policy/defaults';
import { matchesAny } from '../core/policy/glob';
import { gatewayPolicySources } from './policyNames';
import type { PolicySources } from '../core/policy/sources';
import type { Policy } from '../core/policy/types';
import { UsageCounters } from '../core/policy/usage';
import { ToolRouter } from '../core/router/toolRouter';
import { Emitter, type Event } from 'vscode-jsonrpc/node';
import { errorMessage } from '../core/util/errors';
import type { GatewayConfig } from './config';
import { openGatewayAudit } from './auditFolders';
import { GatewayCatalog } from './gatewayCatalog';
import { readOrCreateSecret } from './secrets';

export const GATEWAY_VERSION = '0.1.0';
const DEFAULT_TIMEOUT_MS = 60_000;

/** The parts of a configuration the gate reads on every call, replaced together. */
interface LivePolicy {
  readonly policy: Policy;
  readonly approvals: readonly string[];
  readonly sources: PolicySources;
}

export class GatewayHost {
  private readonly offerEmitter = new Emitter<void>();
  private readonly registryChanges: { dispose(): void };

  /** What a client may be offered may have changed: a server's tools, or the policy. */
  readonly onDidChangeOffer: Event<void> = this.offerEmitter.event;

  private constructor(
    readonly registry: ServerRegistry,
    readonly router: ToolRouter,
    readonly catalog: GatewayCatalog,
    readonly metrics: ToolMetrics,
    private readonly audit: AuditLog,
    private readonly live: { current: LivePolicy },
    private readonly startedWith: GatewayConfig,
  ) {
    this.registryChanges = registry.onDidChange(() => this.offerEmitter.fire());
  }

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
    const live = { current: livePolicy(config, configFile) };
    const metrics = new ToolMetrics();
    const router = new ToolRouter({
      registry,
      audit,
      metrics,
      usage: new UsageCounters(),
      // Nobody can be asked at a gateway: only what the configuration approved in advance counts.
      approvals: {
        has: (key) => matchesAny(key, live.current.approvals),
        grant: async () => undefined,
      },
      policy: () => live.current.policy,
      workspaceFolders: () => [],
      annotationsTrusted: (serverId) => registry.get(serverId)?.definition.builtin === true,
      defaultTimeoutMs: () => DEFAULT_TIMEOUT_MS,
      // Read on every refusal, so that a configuration applied later is named in it.
      policySources: {
        get userRules() {
          return live.current.sources.userRules;
        },
        get approvals() {
          return live.current.sources.approvals;
        },
      },
    });
    const host = new GatewayHost(registry, router, new GatewayCatalog(registry, router), metrics, audit, live, config);
    try {
      await registry.reconcile(config.servers);
    } catch (error) {
      // A server that fails to start is retried by its supervisor; the others serve meanwhile.
      log(`Some servers did not start: ${errorMessage(error)}`);
    }
    return host;
  }

  /**
   * Serves `config` from now on: its rules, approvals and refusal wording at once, then its servers
   * (started, stopped or restarted as their definitions changed). Returns what it could not change
   * while running, one line each.
   */
  async apply(config: GatewayConfig, configFile: string): Promise<string[]> {
    this.live.current = livePolicy(config, configFile);
    this.offerEmitter.fire();
    await this.registry.reconcile(config.servers);
    const before = this.startedWith;
    const kept: string[] = [];
    if (before.audit.dir !== config.audit.dir || before.audit.keyFile !== config.audit.keyFile || before.audit.durability !== config.audit.durability) {
      kept.push('the audit settings change when the gateway restarts');
    }
    if (before.http.sessionIdleMs !== config.http.sessionIdleMs || before.http.maxSessions !== config.http.maxSessions) {
      kept.push('the HTTP session settings change when the gateway restarts');
    }
    return kept;
  }

  /** Stops every hosted process and closes the audit log. */
  async dispose(): Promise<void> {
    this.registryChanges.dispose();
    this.offerEmitter.dispose();
    await this.registry.dispose();
    this.metrics.dispose();
    await this.audit.close();
  }
}

function livePolicy(config: GatewayConfig, configFile: string): LivePolicy {
  return {
    policy: { workspaceTrusted: true, layers: [{ source: 'default', rules: DEFAULT_RULES }, { source: 'user', rules: config.rules }] },
    approvals: config.approvals,
    sources: config.policySources ?? gatewayPolicySources(configFile),
  };
}
