import * as vscode from 'vscode';

/** One log channel per server, created on first use and owned here. */
export class ServerLogs implements vscode.Disposable {
  private readonly channels = new Map<string, vscode.LogOutputChannel>();

  channel(serverId: string, label: string): vscode.LogOutputChannel {
    let channel = this.channels.get(serverId);
    if (!channel) {
      channel = vscode.window.createOutputChannel(`Warden: ${label}`, { log: true });
      this.channels.set(serverId, channel);
    }
    return channel;
  }

  dispose(): void {
    for (const channel of this.channels.values()) channel.dispose();
    this.channels.clear();
  }
}
