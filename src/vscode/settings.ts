import * as vscode from 'vscode';

/** Warden's settings, read in one place. Each is described in package.json. */
export interface WardenSettings {
  readonly toolTimeoutMs: number;
  readonly filesystem: { readonly enabled: boolean; readonly maxReadBytes: number };
}

export function readSettings(): WardenSettings {
  const config = vscode.workspace.getConfiguration('warden');
  return {
    toolTimeoutMs: clamp(config.get<number>('toolTimeoutSeconds', 30), 1, 600) * 1000,
    filesystem: {
      enabled: config.get<boolean>('filesystem.enabled', true),
      maxReadBytes: Math.floor(clamp(config.get<number>('filesystem.maxReadBytes', 262_144), 1024, 4 * 1024 * 1024)),
    },
  };
}

export function affectsWarden(event: vscode.ConfigurationChangeEvent): boolean {
  return event.affectsConfiguration('warden');
}

function clamp(value: number, min: number, max: number): number {
  return Number.isFinite(value) ? Math.min(max, Math.max(min, value)) : min;
}
