/**
 * Warden: Import MCP Servers. Reads a VS Code `mcp.json` or a Claude Desktop config, shows what
 * will be imported and merges it into the user's `warden.servers` (asking before replacing an id).
 * Scripted: `{ path, overwrite? }` skips the file picker and the confirmation.
 */
import { readFile } from 'node:fs/promises';
import * as vscode from 'vscode';
import { errorMessage } from '../../core/util/errors';
import { convertMcpConfig, mergeServers, type ImportedServer } from './importConversion';
import { parseJsonc } from './jsonc';
import { formatCommandLine } from './launch';
import { isRecord } from './serverConfig';

export interface ImportSummary {
  readonly added: string[];
  readonly replaced: string[];
  readonly kept: string[];
  readonly notes: string[];
}

export async function importServers(arg: unknown, log: vscode.LogOutputChannel): Promise<ImportSummary | undefined> {
  const scripted = isRecord(arg) && typeof arg.path === 'string' ? { path: arg.path, overwrite: arg.overwrite === true } : undefined;
  const file = scripted?.path ?? (await pickFile());
  if (!file) return undefined;
  let value: unknown;
  try {
    value = parseJsonc(await readFile(file, 'utf8'));
  } catch (error) {
    void vscode.window.showErrorMessage(`Warden could not read ${file}: ${errorMessage(error)}. Pick a JSON file such as .vscode/mcp.json.`);
    return undefined;
  }
  const converted = convertMcpConfig(value);
  if ('error' in converted) {
    void vscode.window.showErrorMessage(`Warden could not import ${file}: ${converted.error}.`);
    return undefined;
  }
  const ids = Object.keys(converted.servers);
  for (const note of converted.notes) log.info(`import ${file}: ${note}`);
  if (ids.length === 0) {
    void vscode.window.showWarningMessage(`No stdio server to import in ${file}.${converted.notes.length > 0 ? ` ${converted.notes.join('; ')}.` : ''}`);
    return { added: [], replaced: [], kept: [], notes: converted.notes };
  }
  if (!scripted && !(await confirmImport(file, converted.servers, converted.notes))) return undefined;

  const config = vscode.workspace.getConfiguration('warden');
  const existing = config.inspect<unknown>('servers')?.globalValue;
  const current = isRecord(existing) ? existing : {};
  const replace = new Set<string>();
  for (const id of ids.filter((i) => i in current)) {
    if (scripted?.overwrite || (await confirmReplace(id))) replace.add(id);
  }
  const result = mergeServers(current, converted.servers, (id) => replace.has(id));
  await config.update('servers', result.merged, vscode.ConfigurationTarget.Global);
  const summary: ImportSummary = { added: result.added, replaced: result.replaced, kept: result.kept, notes: converted.notes };
  const message = `Imported into your user settings (warden.servers): ${[...result.added, ...result.replaced].join(', ') || 'nothing'}` +
    (result.kept.length > 0 ? `; kept your existing ${result.kept.join(', ')}` : '') +
    '. Each server starts after you approve its command line (or, for a remote server, its URL).';
  log.info(message);
  void vscode.window.showInformationMessage(message);
  return summary;
}

async function pickFile(): Promise<string | undefined> {
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
  const picked = await vscode.window.showOpenDialog({
    title: 'Import MCP servers from a VS Code mcp.json or Claude Desktop config',
    canSelectMany: false,
    filters: { JSON: ['json'] },
    ...(folder && { defaultUri: vscode.Uri.joinPath(folder, '.vscode') }),
  });
  return picked?.[0]?.fsPath;
}

async function confirmImport(file: string, servers: Record<string, ImportedServer>, notes: readonly string[]): Promise<boolean> {
  const lines = Object.entries(servers).map(([id, s]) => `${id}: ${'url' in s ? `${s.url} (remote)` : formatCommandLine([s.command, ...(s.args ?? [])])}`);
  const detail = [...lines, ...(notes.length > 0 ? ['', ...notes] : [])].join('\n');
  const choice = await vscode.window.showInformationMessage(`Import ${lines.length} server(s) from ${file} into your user settings?`, { modal: true, detail }, 'Import');
  return choice === 'Import';
}

async function confirmReplace(id: string): Promise<boolean> {
  const choice = await vscode.window.showWarningMessage(`warden.servers already has "${id}". Replace it with the imported one?`, { modal: true }, 'Replace');
  return choice === 'Replace';
}
