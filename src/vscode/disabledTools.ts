/**
 * Tools a person switched off in the Warden view. Kept in the setting `warden.disabledTools`
 * ("server.tool" entries) and enforced by the gate as deny rules that nothing can override.
 */
import * as vscode from 'vscode';
import type { Rule } from '../core/policy/types';

const SETTING = 'disabledTools';

export function disabledTools(): Set<string> {
  const value = vscode.workspace.getConfiguration('warden').get<unknown>(SETTING, []);
  return new Set(Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : []);
}

export function disabledToolRules(): Rule[] {
  return [...disabledTools()].flatMap((entry) => {
    const dot = entry.indexOf('.');
    if (dot <= 0 || dot === entry.length - 1) return [];
    const server = entry.slice(0, dot);
    const tool = entry.slice(dot + 1);
    return [{ id: `disabled:${entry}`, description: 'switched off in the Warden view; enable it there', server, tool, effect: 'deny' as const }];
  });
}

export async function setToolEnabled(server: string, tool: string, enabled: boolean): Promise<void> {
  const entry = `${server}.${tool}`;
  const current = disabledTools();
  if (enabled) current.delete(entry);
  else current.add(entry);
  const target = vscode.workspace.workspaceFolders ? vscode.ConfigurationTarget.Workspace : vscode.ConfigurationTarget.Global;
  await vscode.workspace.getConfiguration('warden').update(SETTING, [...current].sort(), target);
}
