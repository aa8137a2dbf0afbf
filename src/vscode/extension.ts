/**
 * Composes Warden inside VS Code: the core (registry, router, audit) plus each surface, every
 * disposable owned by the extension context. The core never sees `vscode`.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { AuditLog } from '../core/audit/auditLog';
import { backoffRestartPolicy } from '../core/host/restartPolicy';
import { ServerRegistry } from '../core/host/serverRegistry';
import { ToolMetrics } from '../core/metrics/toolMetrics';
import { Approvals, type ApprovalPersistence } from '../core/policy/approvals';
import { UsageCounters } from '../core/policy/usage';
import { ToolRouter } from '../core/router/toolRouter';
import { EXTENSION_POLICY_SOURCES } from './policy/policyNames';
import { secretValues } from '../core/host/serverDefinition';
import { serverTransportFactory } from '../core/host/serverTransportFactory';
import { errorMessage } from '../core/util/errors';
import type { WardenApi } from './api';
import { auditKey } from './audit/auditKey';
import { registerAuditSurfaces } from './audit/registerAuditSurfaces';
import { builtinServerDefinitions } from './builtin/builtinServers';
import { ResultDocuments } from './commands/resultDocuments';
import { registerPolicyCommands } from './commands/policyCommands';
import { registerAllowTool } from './commands/allowTool';
import { registerPolicyFileCommands } from './commands/policyFiles';
import { registerReviewTool } from './commands/reviewTool';
import { registerRunTool } from './commands/runTool';
import { registerServerCommands } from './commands/serverCommands';
import { registerChatParticipant } from './chat/chatParticipant';
import { registerUserServers } from './userServers/registerUserServers';
import { registerGateway } from './gateway/registerGateway';
import { registerGenericTools } from './lm/genericTools';
import { registerLanguageModelTools } from './lm/languageModelTools';
import { ServerLogs } from './serverLogs';
import { onDidAskToConfirm } from './policy/confirmation';
import { PolicySource } from './policy/policySource';
import { affectsWarden, readSettings } from './settings';
import { createStatusBar } from './statusBar';
import { MementoToolApprovalStore } from './toolApprovalStore';
import { ServersTreeProvider } from './views/serversTree';

let shutdown: (() => Promise<void>) | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<WardenApi> {
  const logs = new ServerLogs();
  context.subscriptions.push(logs);

  const createTransport = serverTransportFactory();
  const toolApprovalStore = new MementoToolApprovalStore(context.globalState);
  const registry = new ServerRegistry((definition) => {
    const channel = logs.channel(definition.id, definition.label);
    return {
      createTransport,
      toolApproval: { store: toolApprovalStore, newTools: 'first-use' },
      clientInfo: { name: 'warden', version: String(context.extension.packageJSON.version ?? '0.0.0') },
      restartPolicy: backoffRestartPolicy(),
      timeouts: { initializeMs: 20_000, listToolsMs: 20_000 },
      log: (line) => channel.info(line),
    };
  });

  const storage = context.storageUri ?? context.globalStorageUri;
  const auditSettings = readSettings().audit;
  const audit = await AuditLog.open({
    dir: path.join(storage.fsPath, 'audit'),
    key: await auditKey(context),
    maxFileBytes: auditSettings.maxFileMegabytes * 2 ** 20,
    durability: auditSettings.durability,
    ...(auditSettings.retentionDays > 0 && { retentionDays: auditSettings.retentionDays }),
  });
  if (audit.openReport.message) logs.channel('audit', 'Audit').warn(audit.openReport.message);
  const policy = new PolicySource();
  const metrics = new ToolMetrics();
  const approvals = new Approvals({
    workspace: mementoPersistence(context.workspaceState, 'warden.approvals'),
    always: mementoPersistence(context.globalState, 'warden.approvals'),
  });
  const router = new ToolRouter({
    registry,
    audit,
    metrics,
    usage: new UsageCounters(),
    approvals,
    policy: () => policy.policy(),
    workspaceFolders: () => (vscode.workspace.workspaceFolders ?? []).map((f) => f.uri.fsPath),
    // Built-in servers, and servers the user marked trusted in warden.servers.
    annotationsTrusted: (serverId) => {
      const definition = registry.get(serverId)?.definition;
      return definition !== undefined && (definition.builtin || definition.approveToolsImplicitly === true);
    },
    defaultTimeoutMs: () => readSettings().toolTimeoutMs,
    policySources: EXTENSION_POLICY_SOURCES,
  });
  const results = new ResultDocuments();
  const tree = new ServersTreeProvider(registry, metrics, approvals);
  const changeEmitter = new vscode.EventEmitter<void>();
  const registryListener = registry.onDidChange(() => changeEmitter.fire());

  context.subscriptions.push(
    policy,
    { dispose: () => metrics.dispose() },
    { dispose: () => approvals.dispose() },
    results,
    tree,
    changeEmitter,
    { dispose: () => registryListener.dispose() },
    vscode.window.createTreeView('warden.servers', { treeDataProvider: tree, showCollapseAll: true }),
    ...registerServerCommands(registry, logs),
    registerRunTool(registry, router, results),
    registerReviewTool(registry, results),
    ...registerPolicyCommands(approvals, metrics, policy, results),
    registerAllowTool(registry, approvals),
    ...registerAuditSurfaces(context, audit),
    ...registerPolicyFileCommands(),
    createStatusBar(registry),
    ...registerLanguageModelTools(router),
    ...registerGenericTools(registry, router),
    ...registerChatParticipant(context, { registry, router }),
  );

  const userServers = registerUserServers(context, () => reconcile());
  context.subscriptions.push(...userServers.disposables);
  const gateway = registerGateway(context);
  context.subscriptions.push(...gateway.disposables);
  // "Always allow" answers go into the gateway's configuration too.
  context.subscriptions.push(approvals.onDidChange(() => gateway.refresh()));

  // One reconciliation at a time, in the order asked: folders, trust and settings can change together.
  let reconciling = Promise.resolve();
  const reconcile = (): void => {
    reconciling = reconciling.then(async () => {
      try {
        // An untrusted workspace starts nothing at all: neither built-in servers nor configured ones.
        if (!vscode.workspace.isTrusted) {
          await registry.reconcile([]);
          return;
        }
        const builtins = await builtinServerDefinitions(context, readSettings(), vscode.workspace.workspaceFolders ?? []);
        for (const d of builtins) logs.channel(d.id, d.label).info(d.note);
        const configured = await userServers.definitions();
        // Values handed to servers through their environment or headers (tokens, keys) never reach the log.
        audit.setSecretValues(configured.flatMap(secretValues));
        // Approvals and secrets decide what the gateway may host too.
        gateway.refresh();
        await registry.reconcile([...builtins, ...configured]);
      } catch (error) {
        void vscode.window.showErrorMessage(`Warden could not start its servers: ${errorMessage(error)}`);
      }
    });
  };
  context.subscriptions.push(
    vscode.workspace.onDidChangeWorkspaceFolders(reconcile),
    vscode.workspace.onDidGrantWorkspaceTrust(reconcile),
    vscode.workspace.onDidChangeConfiguration((event) => {
      if (affectsWarden(event)) reconcile();
    }),
  );
  reconcile();

  shutdown = async () => {
    await registry.dispose();
    await audit.close();
  };

  return {
    auditLogDirectory: path.join(storage.fsPath, 'audit'),
    recentAuditCalls: (limit) => audit.recentCalls({ limit }),
    serverIds: () => registry.ids(),
    approvals: () => approvals.list(),
    gatewayMcpProvider: gateway.provider,
    serverState: (id) => registry.get(id)?.state,
    serverTools: (id) => registry.get(id)?.tools ?? [],
    onDidChangeServers: changeEmitter.event,
    onDidAskToConfirm: (listener, thisArg, disposables) =>
      onDidAskToConfirm((prompt) => listener.call(thisArg, { server: prompt.server, tool: prompt.tool.name }), undefined, disposables),
  };
}

function mementoPersistence(memento: vscode.Memento, key: string): ApprovalPersistence {
  return {
    read: () => {
      const value = memento.get<unknown>(key);
      return Array.isArray(value) ? value.filter((k): k is string => typeof k === 'string') : [];
    },
    write: async (keys) => memento.update(key, keys),
  };
}

/** Stops every server before the extension host goes away, so no process outlives it. */
export async function deactivate(): Promise<void> {
  const stop = shutdown;
  shutdown = undefined;
  await stop?.();
}
