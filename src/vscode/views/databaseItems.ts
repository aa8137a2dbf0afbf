/**
 * The SQLite databases the built-in SQLite server can read, shown under it in the tree: the
 * `*.sqlite`, `*.sqlite3` and `*.db` files of the workspace folders. Clicking one lists its
 * tables through the gate.
 */
import * as vscode from 'vscode';

const PATTERN = '**/*.{sqlite,sqlite3,db}';
const EXCLUDE = '{**/node_modules/**,**/.git/**}';
const MAX_SHOWN = 200;

export async function findDatabases(): Promise<vscode.Uri[]> {
  const found = await vscode.workspace.findFiles(PATTERN, EXCLUDE, MAX_SHOWN);
  return found.sort((a, b) => a.path.localeCompare(b.path));
}

export function databasesGroupItem(): vscode.TreeItem {
  const item = new vscode.TreeItem('Databases', vscode.TreeItemCollapsibleState.Expanded);
  item.id = 'sqlite:databases';
  item.iconPath = new vscode.ThemeIcon('database');
  item.tooltip = 'SQLite databases in the workspace folders, read-only to the SQLite tools.';
  return item;
}

export function databaseItem(uri: vscode.Uri): vscode.TreeItem {
  const relative = vscode.workspace.asRelativePath(uri, false);
  const item = new vscode.TreeItem(relative, vscode.TreeItemCollapsibleState.None);
  item.id = `sqlite:database:${uri.toString()}`;
  item.iconPath = new vscode.ThemeIcon('symbol-field');
  item.resourceUri = uri;
  item.tooltip = `${uri.fsPath}\nClick to list its tables.`;
  item.command = {
    command: 'warden.runTool',
    title: 'List Tables',
    arguments: [{ server: 'sqlite', tool: 'list_tables', args: { database: relative } }],
  };
  return item;
}
