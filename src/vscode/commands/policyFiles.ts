import * as vscode from 'vscode';

const TEMPLATE = `{
  // Rules here can only tighten what your user settings allow: "deny" or "confirm".
  // Each rule selects calls by "server", "tool" and "caller" (globs), and may add
  // "constraints" ({ "paths": [...], "tables": [...], "hosts": [...] }) and limits.
  "rules": [
    { "id": "no-secrets", "server": "fs", "constraints": { "paths": ["secrets/**"] }, "effect": "deny" }
  ]
}
`;

export function registerPolicyFileCommands(): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand('warden.openPolicySettings', () =>
      vscode.commands.executeCommand('workbench.action.openSettings', 'warden.policy.rules'),
    ),
    vscode.commands.registerCommand('warden.openWorkspacePolicy', async () => {
      const folder = vscode.workspace.workspaceFolders?.[0];
      if (!folder) {
        void vscode.window.showInformationMessage('Open a folder first: a workspace policy lives in its .vscode/warden.json.');
        return;
      }
      const uri = vscode.Uri.joinPath(folder.uri, '.vscode', 'warden.json');
      try {
        await vscode.workspace.fs.stat(uri);
      } catch (error) {
        if (!(error instanceof vscode.FileSystemError && error.code === 'FileNotFound')) throw error;
        await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(TEMPLATE));
      }
      await vscode.window.showTextDocument(uri);
    }),
  ];
}
