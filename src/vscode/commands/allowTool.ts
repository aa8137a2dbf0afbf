/**
 * Warden: Always Allow a Tool for Models…: approves a tool in advance, so that a model (Copilot,
 * @warden, and the clients of Warden's gateway, for whom nobody can be asked) may call it without a
 * confirmation. The rules still apply: a deny rule, a rate limit or a path constraint still refuse.
 * From a tool in the Servers & Tools view, or picked among the running servers' tools; a modal
 * says what the approval means before it is given.
 */
import * as vscode from 'vscode';
import type { ServerRegistry } from '../../core/host/serverRegistry';
import type { Approvals } from '../../core/policy/approvals';
import { ALLOW_TOOL_TITLE } from '../policy/policyNames';
import { toolOf, type ToolTarget } from './toolTarget';

export const ALLOW_TOOL_COMMAND = 'warden.allowTool';
const ALLOW = 'Always Allow';

export function registerAllowTool(registry: ServerRegistry, approvals: Approvals): vscode.Disposable {
  return vscode.commands.registerCommand(ALLOW_TOOL_COMMAND, async (arg?: unknown) => {
    const target = toolOf(arg) ?? (await pickTool(registry));
    if (!target) return;
    const name = `${target.serverId}.${target.tool}`;
    const key = `${target.serverId}/${target.tool}`;
    if (approvals.list().some((a) => a.key === key && a.scope === 'always')) {
      void vscode.window.showInformationMessage(`Models may already call ${name} without asking. Revoke it from the Warden view.`);
      return;
    }
    const answer = await vscode.window.showWarningMessage(
      `Let models call ${name} without asking?`,
      {
        modal: true,
        detail:
          "Copilot, @warden and the clients of Warden's gateway (VS Code's MCP client, Claude Desktop, CLI agents) will run it with no confirmation. " +
          'Your policy rules still apply. Revoke it from the Warden view or with "Warden: Revoke Approval".',
      },
      ALLOW,
    );
    if (answer !== ALLOW) return;
    await approvals.grant(key, 'always');
    void vscode.window.showInformationMessage(`Models may now call ${name} without asking. Revoke it from the Warden view.`);
  });
}

async function pickTool(registry: ServerRegistry): Promise<ToolTarget | undefined> {
  const items = registry
    .all()
    .filter((server) => server.state.kind === 'running')
    .flatMap((server) =>
      server.tools.map((tool) => ({
        label: `${server.id}.${tool.name}`,
        description: server.definition.label,
        detail: tool.description?.split('\n')[0],
        target: { serverId: server.id, tool: tool.name },
      })),
    );
  if (items.length === 0) {
    void vscode.window.showInformationMessage('No server is running, so there is no tool to allow. Start one from the Warden view.');
    return undefined;
  }
  const picked = await vscode.window.showQuickPick(items, { title: ALLOW_TOOL_TITLE, placeHolder: 'Pick the tool models may call without asking', matchOnDescription: true });
  return picked?.target;
}
