import * as path from 'node:path';
import * as vscode from 'vscode';
import type { AuditDurability } from '../core/audit/auditLog';

/** Warden's settings, read in one place. Each is described in package.json. */
export interface WardenSettings {
  readonly toolTimeoutMs: number;
  readonly audit: { readonly maxFileMegabytes: number; readonly retentionDays: number; readonly durability: AuditDurability };
  readonly filesystem: {
    readonly enabled: boolean;
    readonly maxReadBytes: number;
    readonly allowedSecretFiles: readonly string[];
    readonly deniedSecretFiles: readonly string[];
    readonly defaultSecretRules: boolean;
  };
  readonly sqlite: {
    readonly enabled: boolean;
    readonly databases: readonly string[];
    readonly maxDatabaseBytes: number;
    readonly maxRows: number;
    readonly maxResultBytes: number;
    readonly queryTimeoutSeconds: number;
  };
  readonly http: {
    readonly enabled: boolean;
    readonly allowedHosts: readonly string[];
    readonly allowedPorts: readonly number[];
    readonly allowPrivateNetworks: boolean;
    readonly maxResponseBytes: number;
    readonly timeoutSeconds: number;
  };
}

export function readSettings(): WardenSettings {
  const config = vscode.workspace.getConfiguration('warden');
  return {
    toolTimeoutMs: clamp(config.get<number>('toolTimeoutSeconds', 30), 1, 600) * 1000,
    audit: {
      maxFileMegabytes: clamp(config.get<number>('audit.maxFileMegabytes', 10), 1, 1024),
      retentionDays: Math.floor(clamp(config.get<number>('audit.retentionDays', 0), 0, 36_500)),
      // Anything but the stronger value reads as the default.
      durability: config.get<string>('audit.durability') === 'sync' ? 'sync' : 'flush',
    },
    filesystem: {
      enabled: config.get<boolean>('filesystem.enabled', true),
      maxReadBytes: Math.floor(clamp(config.get<number>('filesystem.maxReadBytes', 262_144), 1024, 4 * 1024 * 1024)),
      allowedSecretFiles: strings(config.get('filesystem.allowedSecretFiles')),
      deniedSecretFiles: strings(config.get('filesystem.deniedSecretFiles')),
      defaultSecretRules: config.get<boolean>('filesystem.defaultSecretRules', true),
    },
    sqlite: {
      enabled: config.get<boolean>('sqlite.enabled', true),
      databases: strings(config.get('sqlite.databases')).filter((p) => path.isAbsolute(p)),
      maxDatabaseBytes: Math.floor(clamp(config.get<number>('sqlite.maxDatabaseBytes', 268_435_456), 1_048_576, 2_147_483_648)),
      maxRows: Math.floor(clamp(config.get<number>('sqlite.maxRows', 500), 1, 100_000)),
      maxResultBytes: Math.floor(clamp(config.get<number>('sqlite.maxResultBytes', 262_144), 1024, 16_777_216)),
      queryTimeoutSeconds: Math.floor(clamp(config.get<number>('sqlite.queryTimeoutSeconds', 10), 1, 600)),
    },
    http: {
      enabled: config.get<boolean>('http.enabled', true),
      // Security-sensitive lists are read from user settings only: a repository must not widen them.
      allowedHosts: strings(config.inspect('http.allowedHosts')?.globalValue),
      allowedPorts: strings(config.inspect('http.allowedPorts')?.globalValue).map(Number).filter((p) => Number.isInteger(p) && p > 0 && p < 65536),
      allowPrivateNetworks: config.inspect<boolean>('http.allowPrivateNetworks')?.globalValue === true,
      maxResponseBytes: Math.floor(clamp(config.get<number>('http.maxResponseBytes', 65_536), 64, 4 * 1024 * 1024)),
      timeoutSeconds: Math.floor(clamp(config.get<number>('http.timeoutSeconds', 15), 1, 300)),
    },
  };
}

export function affectsWarden(event: vscode.ConfigurationChangeEvent): boolean {
  return event.affectsConfiguration('warden');
}

function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v) => typeof v === 'string' || typeof v === 'number').map(String) : [];
}

function clamp(value: number, min: number, max: number): number {
  return Number.isFinite(value) ? Math.min(max, Math.max(min, value)) : min;
}
