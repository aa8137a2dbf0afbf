/**
 * Where the generated gateway configurations and the gateways' audit logs live, under the
 * extension's global storage. Each gateway process writes its own audit folder (an audit log has
 * one writer at a time): one per VS Code window for the gateway VS Code starts, and one for the
 * clients outside VS Code (Claude Desktop, CLI agents). They share one signing key, so one key
 * verifies every gateway log. None of this is the window's own audit log, which Warden keeps in the
 * workspace storage and signs with a key held in VS Code's secret storage.
 */
import { createHash } from 'node:crypto';
import * as path from 'node:path';
import type * as vscode from 'vscode';
import type { GatewayFiles } from './gatewayConfig';

export const CONFIG_FILE_NAME = 'warden-gateway.json';

/** The bundled gateway the configurations are written for. */
export function gatewayScript(context: vscode.ExtensionContext): string {
  return context.asAbsolutePath(path.join('dist', 'gateway.js'));
}

function gatewayRoot(context: vscode.ExtensionContext): string {
  return path.join(context.globalStorageUri.fsPath, 'gateway');
}

function filesIn(context: vscode.ExtensionContext, folder: string): GatewayFiles {
  const dir = path.join(gatewayRoot(context), folder);
  return { config: path.join(dir, CONFIG_FILE_NAME), auditDir: path.join(dir, 'audit'), auditKeyFile: path.join(gatewayRoot(context), 'audit.key') };
}

/** The gateway VS Code's own MCP client starts for this window (named after the workspace). */
export function windowGatewayFiles(context: vscode.ExtensionContext): GatewayFiles {
  const workspace = context.storageUri?.toString() ?? 'no-folder';
  return filesIn(context, `vscode-${createHash('sha256').update(workspace).digest('hex').slice(0, 12)}`);
}

/** The gateway that Claude Desktop or a CLI agent starts. */
export function externalGatewayFiles(context: vscode.ExtensionContext): GatewayFiles {
  return filesIn(context, 'external');
}
