/**
 * What a generated gateway configuration holds, read from VS Code: the configured servers whose
 * command line the person approved (and whose secrets are entered), the user's policy rules plus
 * the tools switched off in the Warden view, and the calls approved for always.
 */
import * as vscode from 'vscode';
import { errorMessage } from '../../core/util/errors';
import type { ServerDefinition } from '../../core/host/serverDefinition';
import { disabledToolRules } from '../disabledTools';
import { readSettings } from '../settings';
import { readConfiguredServers } from '../userServers/configuredServers';
import type { LaunchApprovals } from '../userServers/launchApprovals';
import { prepareServer, type PreparedServer } from '../userServers/preparedServer';
import type { ServerSecrets } from '../userServers/serverSecrets';
import type { GatewayConfigInput } from './gatewayConfig';

/** The memento key under which Warden keeps the "always allow" approvals (see extension.ts). */
const ALWAYS_APPROVALS_KEY = 'warden.approvals';

/**
 * 'window': the servers this window may start (user settings, plus the workspace's when it is
 * trusted). 'user': the servers of the user settings only, for clients outside VS Code.
 */
export type ServerScope = 'window' | 'user';

export interface GatewayInputSources {
  readonly secrets: ServerSecrets;
  readonly launchApprovals: LaunchApprovals;
  readonly globalState: vscode.Memento;
}

export async function readGatewayInputs(scope: ServerScope, sources: GatewayInputSources): Promise<GatewayConfigInput & { readonly skipped: readonly string[] }> {
  const configured = scope === 'user' ? readConfiguredServers(false).servers : readConfiguredServers().servers;
  const servers: ServerDefinition[] = [];
  const skipped: string[] = [];
  for (const server of configured) {
    let prepared: PreparedServer;
    try {
      prepared = await prepareServer(server, sources.secrets, sources.launchApprovals);
    } catch (error) {
      skipped.push(`${server.id} (${errorMessage(error)})`);
      continue;
    }
    if (prepared.kind !== 'ready') skipped.push(`${server.id} (${skippedWhy(prepared.kind)})`);
    else servers.push(prepared.definition);
  }
  const userRules = vscode.workspace.getConfiguration('warden').inspect<unknown>('policy.rules')?.globalValue;
  const always = sources.globalState.get<unknown>(ALWAYS_APPROVALS_KEY);
  return {
    servers,
    skipped,
    rules: [...(Array.isArray(userRules) ? userRules : []), ...disabledToolRules()],
    approvals: Array.isArray(always) ? always.filter((k): k is string => typeof k === 'string') : [],
    durability: readSettings().audit.durability,
  };
}

function skippedWhy(kind: 'needsInputs' | 'needsApproval' | 'error'): string {
  switch (kind) {
    case 'needsInputs':
      return 'its secrets are not entered yet';
    case 'needsApproval':
      return 'its command line is not approved yet';
    case 'error':
      return 'its settings have an error; see the "Warden: Servers" log';
  }
}
