/**
 * The messages between the server's main thread and the worker thread that holds the databases.
 * Both sides are this bundle, but each checks what it receives instead of trusting its shape.
 */
import type { JsonObject } from '../../core/protocol/types';
import type { ParamValue, QueryParams } from './parameters';

/** One database file the server may read. */
export interface DatabaseRef {
  /** The name tools use for it. */
  readonly id: string;
  /** Absolute path. */
  readonly path: string;
  /** The real path of the root folder it must stay inside, when it lies in one. */
  readonly root?: string;
}

export interface EngineLimits {
  readonly maxDatabaseBytes: number;
  readonly maxRows: number;
  readonly maxResultBytes: number;
}

export interface WorkerConfig extends EngineLimits {
  readonly wasmPath: string;
}

export type WorkerOperation =
  /** `snapshot`: the file already read by the main thread, its memory handed over. */
  | { readonly op: 'load'; readonly database: DatabaseRef; readonly snapshot?: TransferredSnapshot }
  | { readonly op: 'list_tables'; readonly database: DatabaseRef }
  | { readonly op: 'describe_table'; readonly database: DatabaseRef; readonly table: string }
  | { readonly op: 'query'; readonly database: DatabaseRef; readonly sql: string; readonly params?: QueryParams; readonly maxRows?: number };

export type WorkerRequest = WorkerOperation & { readonly id: number };

export interface TransferredSnapshot {
  readonly bytes: Uint8Array;
  readonly signature: string;
}

/** What a tool returns: readable text and the structured copy its outputSchema describes. */
export interface ToolPayload {
  readonly text: string;
  readonly structured: JsonObject;
}

export type WorkerReply =
  | { readonly id: number; readonly kind: 'running' }
  | { readonly id: number; readonly kind: 'done'; readonly payload: ToolPayload }
  | { readonly id: number; readonly kind: 'failed'; readonly message: string };

function isObject(value: unknown): value is { [key: string]: unknown } {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isJsonObject(value: unknown): value is JsonObject {
  return isObject(value);
}

function isParamValue(value: unknown): value is ParamValue {
  return value === null || ['string', 'number', 'boolean'].includes(typeof value);
}

function isQueryParams(value: unknown): value is QueryParams {
  if (Array.isArray(value)) return value.every(isParamValue);
  return isObject(value) && Object.values(value).every(isParamValue);
}

function isDatabaseRef(value: unknown): value is DatabaseRef {
  return (
    isObject(value) &&
    typeof value['id'] === 'string' &&
    typeof value['path'] === 'string' &&
    (value['root'] === undefined || typeof value['root'] === 'string')
  );
}

function isTransferredSnapshot(value: unknown): value is TransferredSnapshot {
  return isObject(value) && value['bytes'] instanceof Uint8Array && typeof value['signature'] === 'string';
}

function isPositiveInteger(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value > 0;
}

export function isWorkerRequest(value: unknown): value is WorkerRequest {
  if (!isObject(value) || typeof value['id'] !== 'number' || !isDatabaseRef(value['database'])) return false;
  switch (value['op']) {
    case 'load':
      return value['snapshot'] === undefined || isTransferredSnapshot(value['snapshot']);
    case 'list_tables':
      return true;
    case 'describe_table':
      return typeof value['table'] === 'string';
    case 'query':
      return (
        typeof value['sql'] === 'string' &&
        (value['params'] === undefined || isQueryParams(value['params'])) &&
        (value['maxRows'] === undefined || isPositiveInteger(value['maxRows']))
      );
    default:
      return false;
  }
}

export function isWorkerReply(value: unknown): value is WorkerReply {
  if (!isObject(value) || typeof value['id'] !== 'number') return false;
  switch (value['kind']) {
    case 'running':
      return true;
    case 'done': {
      const payload = value['payload'];
      return isObject(payload) && typeof payload['text'] === 'string' && isJsonObject(payload['structured']);
    }
    case 'failed':
      return typeof value['message'] === 'string';
    default:
      return false;
  }
}

export function isWorkerConfig(value: unknown): value is WorkerConfig {
  return (
    isObject(value) &&
    typeof value['wasmPath'] === 'string' &&
    isPositiveInteger(value['maxDatabaseBytes']) &&
    isPositiveInteger(value['maxRows']) &&
    isPositiveInteger(value['maxResultBytes'])
  );
}
