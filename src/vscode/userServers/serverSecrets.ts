/**
 * Values of `${input:NAME}`: asked once with a password box and kept in VS Code's secret storage
 * under `warden.servers/<id>/<NAME>`. The keys stored are listed in globalState so they can be
 * forgotten.
 */
import type * as vscode from 'vscode';

const INDEX_KEY = 'warden.userServers.secretKeys';

export class ServerSecrets {
  constructor(
    private readonly secrets: vscode.SecretStorage,
    private readonly state: vscode.Memento,
  ) {}

  static key(serverId: string, input: string): string {
    return `warden.servers/${serverId}/${input}`;
  }

  async get(serverId: string, input: string): Promise<string | undefined> {
    return this.secrets.get(ServerSecrets.key(serverId, input));
  }

  async store(serverId: string, input: string, value: string): Promise<void> {
    const key = ServerSecrets.key(serverId, input);
    await this.secrets.store(key, value);
    const keys = this.keys();
    if (!keys.includes(key)) await this.state.update(INDEX_KEY, [...keys, key]);
  }

  /** Forgets the secrets of one server, or of every server; returns how many were removed. */
  async forget(serverId?: string): Promise<number> {
    const prefix = serverId === undefined ? 'warden.servers/' : `warden.servers/${serverId}/`;
    const keys = this.keys();
    const gone = keys.filter((k) => k.startsWith(prefix));
    for (const key of gone) await this.secrets.delete(key);
    await this.state.update(INDEX_KEY, keys.filter((k) => !gone.includes(k)));
    return gone.length;
  }

  private keys(): string[] {
    const value = this.state.get<unknown>(INDEX_KEY);
    return Array.isArray(value) ? value.filter((k): k is string => typeof k === 'string') : [];
  }
}
