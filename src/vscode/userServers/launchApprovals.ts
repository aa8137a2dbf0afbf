/** Which launch of each user server the person approved, by its SHA-256, kept in globalState. */
import type * as vscode from 'vscode';

const KEY = 'warden.userServers.approvedLaunches';

export class LaunchApprovals {
  constructor(private readonly state: vscode.Memento) {}

  isApproved(serverId: string, hash: string): boolean {
    return this.all()[serverId] === hash;
  }

  async approve(serverId: string, hash: string): Promise<void> {
    await this.state.update(KEY, { ...this.all(), [serverId]: hash });
  }

  private all(): Record<string, string> {
    const value = this.state.get<unknown>(KEY);
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return {};
    return Object.fromEntries(Object.entries(value).filter((e): e is [string, string] => typeof e[1] === 'string'));
  }
}
