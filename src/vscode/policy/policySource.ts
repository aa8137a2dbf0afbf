/**
 * Where the policy comes from in VS Code: the defaults, the user's own `warden.policy.rules`
 * (user settings only: a repository's .vscode/settings.json must not be able to allow anything),
 * and each workspace folder's `.vscode/warden.json`, which may only tighten. Rules that do not
 * parse are left out and reported once in the "Warden: Policy" log.
 */
import * as vscode from 'vscode';
import { DEFAULT_RULES } from '../../core/policy/defaults';
import { parseRules } from '../../core/policy/parseRules';
import type { Policy, Rule } from '../../core/policy/types';
import { errorMessage } from '../../core/util/errors';
import { disabledToolRules } from '../disabledTools';

const WORKSPACE_FILE = '.vscode/warden.json';

export class PolicySource implements vscode.Disposable {
  private current: Policy | undefined;
  private readonly disposables: vscode.Disposable[] = [];
  private readonly log: vscode.LogOutputChannel;
  private reported = new Set<string>();
  private workspaceRules: Rule[] = [];

  constructor() {
    this.log = vscode.window.createOutputChannel('Warden: Policy', { log: true });
    const watcher = vscode.workspace.createFileSystemWatcher(`**/${WORKSPACE_FILE}`);
    const reload = (): void => void this.reloadWorkspaceRules();
    this.disposables.push(
      this.log,
      watcher,
      watcher.onDidChange(reload),
      watcher.onDidCreate(reload),
      watcher.onDidDelete(reload),
      vscode.workspace.onDidChangeWorkspaceFolders(reload),
      vscode.workspace.onDidGrantWorkspaceTrust(() => (this.current = undefined)),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('warden.policy') || e.affectsConfiguration('warden.disabledTools')) this.current = undefined;
      }),
    );
    reload();
  }

  /** The policy now; rebuilt only after something it depends on changed. */
  policy(): Policy {
    this.current ??= this.build();
    return this.current;
  }

  showLog(): void {
    this.log.show(true);
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }

  private build(): Policy {
    const inspected = vscode.workspace.getConfiguration('warden').inspect<unknown>('policy.rules');
    const user = parseRules(inspected?.globalValue, 'user', 'The setting warden.policy.rules');
    this.report(user.problems);
    if (inspected?.workspaceValue !== undefined || inspected?.workspaceFolderValue !== undefined) {
      this.report(['warden.policy.rules in workspace settings is ignored: only your user settings can allow tools. Use .vscode/warden.json to tighten the policy for a workspace.']);
    }
    return {
      workspaceTrusted: vscode.workspace.isTrusted,
      layers: [
        { source: 'default', rules: DEFAULT_RULES },
        { source: 'user', rules: user.rules },
        { source: 'workspace', rules: [...disabledToolRules(), ...this.workspaceRules] },
      ],
    };
  }

  private async reloadWorkspaceRules(): Promise<void> {
    const rules: Rule[] = [];
    const problems: string[] = [];
    for (const folder of vscode.workspace.workspaceFolders ?? []) {
      const uri = vscode.Uri.joinPath(folder.uri, WORKSPACE_FILE);
      let text: string;
      try {
        text = new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
      } catch (error) {
        if (error instanceof vscode.FileSystemError && error.code === 'FileNotFound') continue;
        problems.push(`${uri.fsPath} could not be read: ${errorMessage(error)}`);
        continue;
      }
      let parsed: unknown;
      try {
        parsed = JSON.parse(text);
      } catch (error) {
        problems.push(`${uri.fsPath} is not valid JSON (${errorMessage(error)}); its rules were left out, and nothing it would tighten is tightened.`);
        continue;
      }
      const raw = typeof parsed === 'object' && parsed !== null && 'rules' in parsed ? parsed.rules : undefined;
      const result = parseRules(raw, 'workspace', uri.fsPath);
      rules.push(...result.rules);
      problems.push(...result.problems);
    }
    this.workspaceRules = rules;
    this.current = undefined;
    this.report(problems);
  }

  private report(problems: readonly string[]): void {
    const fresh = problems.filter((p) => !this.reported.has(p));
    if (fresh.length === 0) return;
    for (const problem of fresh) {
      this.reported.add(problem);
      this.log.warn(problem);
    }
    void vscode.window.showWarningMessage(`Warden left out ${fresh.length} policy rule${fresh.length === 1 ? '' : 's'}: ${fresh[0]}`, 'Show Policy Log').then((choice) => {
      if (choice) this.showLog();
    });
  }
}
