/**
 * The person's own servers from `warden.servers`: which to start now, and the questions to ask
 * before the others can start (secrets, then approval of the exact command line). Questions are
 * asked one at a time and never hold up a reconciliation: a server waiting on one is left out, and
 * Warden reconciles again once it is answered.
 */
import * as vscode from 'vscode';
import type { ServerDefinition } from '../../core/host/serverDefinition';
import { errorMessage } from '../../core/util/errors';
import { readConfiguredServers } from './configuredServers';
import { describeLaunch } from './launch';
import type { LaunchApprovals } from './launchApprovals';
import { prepareServer, type PreparedServer } from './preparedServer';
import type { UserServerConfig } from './serverConfig';
import type { ServerSecrets } from './serverSecrets';

export const REVIEW_COMMAND_TITLE = 'Warden: Review Server Command…';
const ALLOW = 'Allow and Start';

export interface UserServersDeps {
  readonly secrets: ServerSecrets;
  readonly approvals: LaunchApprovals;
  readonly log: vscode.LogOutputChannel;
  /** Asks Warden to reconcile its servers again. */
  readonly reconcile: () => void;
}

export class UserServers {
  private questions = Promise.resolve();
  /** What was already asked this session (server id and launch hash), so nothing is asked twice. */
  private readonly asked = new Set<string>();
  private lastProblems = '';

  constructor(private readonly deps: UserServersDeps) {}

  /** The servers ready to start; the rest are reported and, where a question is missing, asked. */
  async definitions(): Promise<ServerDefinition[]> {
    const { servers, problems, untrustedIds } = readConfiguredServers();
    const messages = problems.map((p) => `warden.servers["${p.id}"] left out: ${p.message}`);
    if (untrustedIds.length > 0) {
      this.deps.log.warn(`This workspace is not trusted, so its warden.servers entries (${untrustedIds.join(', ')}) are ignored; only user settings count.`);
    }
    const definitions: ServerDefinition[] = [];
    for (const server of servers) {
      const prepared = await this.prepare(server);
      switch (prepared.kind) {
        case 'ready':
          for (const note of prepared.notes) this.deps.log.info(`${server.id}: ${note}`);
          definitions.push(prepared.definition);
          break;
        case 'error':
          messages.push(`warden.servers["${server.id}"] left out: ${prepared.message}`);
          break;
        case 'needsInputs':
          this.deps.log.info(`${server.id} waits for ${prepared.inputs.map((n) => `\${input:${n}}`).join(', ')} before it can start.`);
          this.askLater(server.id, `inputs:${prepared.inputs.join(',')}`);
          break;
        case 'needsApproval':
          this.deps.log.info(`${server.id} waits for approval of its ${server.kind === 'http' ? 'URL' : 'command line'} before it starts.`);
          this.askLater(server.id, prepared.hash);
          break;
      }
    }
    this.report(messages);
    return definitions;
  }

  /** Ids of the configured servers, for a picker. */
  configuredIds(): string[] {
    return readConfiguredServers().servers.map((s) => s.id);
  }

  /**
   * Asks for the server's missing secrets and approval of its command line; `approve` approves
   * without the modal (a scripted path through the same checks). Returns whether it may start.
   */
  async review(id: string, options: { approve?: boolean } = {}): Promise<boolean> {
    const server = readConfiguredServers().servers.find((s) => s.id === id);
    if (!server) {
      void vscode.window.showErrorMessage(`Warden has no server "${id}" in warden.servers (or it comes from an untrusted workspace).`);
      return false;
    }
    let prepared = await this.prepare(server);
    if (prepared.kind === 'needsInputs') {
      if (options.approve) {
        void vscode.window.showErrorMessage(`Server "${id}" needs ${prepared.inputs.join(', ')} first; run ${REVIEW_COMMAND_TITLE} without arguments.`);
        return false;
      }
      if (!(await this.askInputs(server, prepared.inputs))) {
        this.notStarted(id, 'its secrets were not entered');
        return false;
      }
      prepared = await this.prepare(server);
    }
    if (prepared.kind === 'error') {
      void vscode.window.showErrorMessage(`Server "${id}" cannot start: ${prepared.message}`);
      return false;
    }
    if (prepared.kind === 'needsApproval') {
      const origin = server.scope === 'workspace' ? 'this workspace\'s settings' : 'your user settings';
      const question =
        prepared.shown.kind === 'http'
          ? `Connect to the remote MCP server "${id}" from ${origin}? Warden sends it the headers named below and your tool calls' arguments.`
          : `Start the MCP server "${id}" from ${origin}? It runs this command with your permissions.`;
      const allowed =
        options.approve === true ||
        (await vscode.window.showWarningMessage(
          question,
          { modal: true, detail: describeLaunch(prepared.shown, prepared.envFileNames) },
          ALLOW,
        )) === ALLOW;
      if (!allowed) {
        this.notStarted(id, prepared.shown.kind === 'http' ? 'its URL was not approved' : 'its command line was not approved');
        return false;
      }
      await this.deps.approvals.approve(id, prepared.hash);
      this.deps.log.info(`${id}: ${prepared.shown.kind === 'http' ? 'URL' : 'command line'} approved.`);
    }
    this.deps.reconcile();
    return true;
  }

  private async prepare(server: UserServerConfig): Promise<PreparedServer> {
    try {
      return await prepareServer(server, this.deps.secrets, this.deps.approvals);
    } catch (error) {
      return { kind: 'error', message: errorMessage(error) };
    }
  }

  private askLater(id: string, key: string): void {
    const asked = `${id}\n${key}`;
    if (this.asked.has(asked)) return;
    this.asked.add(asked);
    this.questions = this.questions
      .then(() => this.review(id))
      .then(
        () => undefined,
        (error: unknown) => this.deps.log.error(`${id}: ${errorMessage(error)}`),
      );
  }

  private async askInputs(server: UserServerConfig, names: readonly string[]): Promise<boolean> {
    for (const name of names) {
      const value = await vscode.window.showInputBox({
        title: `Warden: server "${server.id}"`,
        prompt: `Value for \${input:${name}} (kept in VS Code's secret storage)`,
        password: true,
        ignoreFocusOut: true,
      });
      if (value === undefined) return false;
      await this.deps.secrets.store(server.id, name, value);
    }
    return true;
  }

  private notStarted(id: string, why: string): void {
    const message = `Warden did not start server "${id}": ${why}. Run ${REVIEW_COMMAND_TITLE} to start it.`;
    this.deps.log.info(message);
    void vscode.window.showInformationMessage(message);
  }

  /** Logs every problem; one warning notification when the set of problems changes. */
  private report(messages: string[]): void {
    for (const m of messages) this.deps.log.warn(m);
    const key = messages.join('\n');
    if (key === this.lastProblems) return;
    this.lastProblems = key;
    if (messages.length === 0) return;
    const first = messages[0] ?? '';
    const more = messages.length > 1 ? ` (and ${messages.length - 1} more)` : '';
    void vscode.window.showWarningMessage(`${first}${more}. See the "Warden: Servers" log.`, 'Show Log').then((choice) => {
      if (choice === 'Show Log') this.deps.log.show(true);
    });
  }
}
