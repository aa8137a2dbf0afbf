/**
 * The status bar item: how many hosted servers run out of how many, and the last error if one is
 * not running. Clicking it opens the Warden view.
 */
import * as vscode from 'vscode';
import type { ServerRegistry } from '../core/host/serverRegistry';
import { describeState } from '../core/host/serverState';

export function createStatusBar(registry: ServerRegistry): vscode.Disposable {
  const item = vscode.window.createStatusBarItem('warden.status', vscode.StatusBarAlignment.Left, 50);
  item.name = 'Warden';
  item.command = 'warden.servers.focus';
  const update = (): void => {
    const servers = registry.all();
    const running = servers.filter((s) => s.state.kind === 'running').length;
    const failing = servers.find((s) => s.state.kind === 'error' || s.state.kind === 'restarting');
    item.text = `$(${failing ? 'warning' : 'shield'}) Warden ${running}/${servers.length}`;
    item.backgroundColor = failing ? new vscode.ThemeColor('statusBarItem.warningBackground') : undefined;
    const tooltip = new vscode.MarkdownString(`**Warden**: ${running} of ${servers.length} server${servers.length === 1 ? '' : 's'} running`);
    for (const server of servers) tooltip.appendMarkdown(`\n\n- ${server.definition.label}: ${describeState(server.state).replace(/[\\`*_[\]]/g, '\\$&')}`);
    tooltip.appendMarkdown('\n\nClick to open the Warden view.');
    item.tooltip = tooltip;
    item.accessibilityInformation = { label: `Warden: ${running} of ${servers.length} servers running${failing ? `; ${failing.definition.label} has a problem` : ''}` };
  };
  const subscription = registry.onDidChange(update);
  update();
  item.show();
  return new vscode.Disposable(() => {
    subscription.dispose();
    item.dispose();
  });
}
