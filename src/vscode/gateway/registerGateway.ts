/**
 * Warden's gateway as VS Code offers it: an MCP server definition provider for VS Code's own MCP
 * client (contributed as `mcpServerDefinitionProviders` in package.json), and the command that
 * hands the same gateway to Claude Desktop or a CLI agent. Both write a configuration generated
 * from the settings; the provider tells VS Code when it changes.
 */
import * as vscode from 'vscode';
import { errorMessage } from '../../core/util/errors';
import { LaunchApprovals } from '../userServers/launchApprovals';
import { ServerSecrets } from '../userServers/serverSecrets';
import { registerCopyGatewayConfig } from './copyGatewayConfig';
import { writeGatewayConfig, type GatewayFiles, type WrittenConfig } from './gatewayConfig';
import { externalGatewayFiles, gatewayScript, windowGatewayFiles } from './gatewayFiles';
import { readGatewayInputs, type GatewayInputSources, type ServerScope } from './gatewayInputs';
import { GatewayMcpProvider, MCP_PROVIDER_ID } from './mcpProvider';

type WrittenWithSkipped = WrittenConfig & { readonly skipped: readonly string[] };

export interface GatewaySurface {
  readonly provider: GatewayMcpProvider;
  /** Call when the servers Warden may start changed (approvals, secrets): the provider re-checks. */
  readonly refresh: () => void;
  readonly disposables: vscode.Disposable[];
}

export function registerGateway(context: vscode.ExtensionContext): GatewaySurface {
  const log = vscode.window.createOutputChannel('Warden: Gateway', { log: true });
  const sources: GatewayInputSources = {
    secrets: new ServerSecrets(context.secrets, context.globalState),
    launchApprovals: new LaunchApprovals(context.globalState),
    globalState: context.globalState,
  };
  // One write at a time: settings, approvals and VS Code's requests can ask for one together.
  let writing: Promise<unknown> = Promise.resolve();
  const write = (scope: ServerScope, files: GatewayFiles): Promise<WrittenWithSkipped> => {
    const next = writing.then(() => writeNow(scope, files));
    // A failed write is its caller's to report; the next one still runs.
    writing = next.catch(() => undefined);
    return next;
  };
  const writeNow = async (scope: ServerScope, files: GatewayFiles): Promise<WrittenWithSkipped> => {
    const inputs = await readGatewayInputs(scope, sources);
    const written = await writeGatewayConfig(inputs, files);
    if (written.changed) {
      const skipped = inputs.skipped.length > 0 ? `; left out: ${inputs.skipped.join(', ')}` : '';
      log.info(`Wrote ${written.file}: servers ${written.serverIds.join(', ') || '(none)'}${skipped}.`);
    }
    return { ...written, skipped: inputs.skipped };
  };

  const inputsChanged = new vscode.EventEmitter<void>();
  const script = gatewayScript(context);
  const provider = new GatewayMcpProvider({
    // Warden starts nothing in an untrusted workspace, and neither does its gateway.
    writeConfig: async () => (vscode.workspace.isTrusted ? write('window', windowGatewayFiles(context)) : undefined),
    gatewayScript: script,
    onDidChangeInputs: inputsChanged.event,
    reportError: (error) => log.error(`Could not write the gateway configuration: ${errorMessage(error)}`),
  });
  return {
    provider,
    refresh: () => inputsChanged.fire(),
    disposables: [
      log,
      inputsChanged,
      provider,
      vscode.lm.registerMcpServerDefinitionProvider(MCP_PROVIDER_ID, provider),
      registerCopyGatewayConfig({ gatewayScript: script, writeConfig: () => write('user', externalGatewayFiles(context)) }),
      vscode.workspace.onDidChangeConfiguration((event) => {
        if (['warden.servers', 'warden.policy', 'warden.disabledTools', 'warden.audit.durability'].some((section) => event.affectsConfiguration(section))) inputsChanged.fire();
      }),
      vscode.workspace.onDidGrantWorkspaceTrust(() => inputsChanged.fire()),
    ],
  };
}
