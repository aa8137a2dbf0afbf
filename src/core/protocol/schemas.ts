/**
 * Schemas for what crosses the process boundary. Both sides validate: the host checks every
 * response a server sends, a server checks every request it receives. Nothing from another
 * process is cast to a type without passing through here.
 */
import Ajv2020, { type ErrorObject, type ValidateFunction } from 'ajv/dist/2020';
import type {
  CallToolParams,
  CallToolResult,
  CancelledParams,
  InitializeParams,
  InitializeResult,
  ListToolsParams,
  ListToolsResult,
  ProgressParams,
} from './types';

/**
 * A validator compiled on its first use. Compiling every schema at load was most of a built-in
 * server's start-up time, and a process uses only some of them (a server never checks results,
 * the host never checks requests).
 */
export interface SchemaCheck<T> {
  (value: unknown): value is T;
  /** The problems found by the last check that failed. */
  readonly errors: ErrorObject[] | null | undefined;
}

let shared: Ajv2020 | undefined;

function lazy<T>(schema: object): SchemaCheck<T> {
  let compiled: ValidateFunction<T> | undefined;
  const check = (value: unknown): value is T => {
    compiled ??= (shared ??= new Ajv2020({ allErrors: false, strict: false, validateSchema: false })).compile<T>(schema);
    return compiled(value);
  };
  return Object.defineProperty(check, 'errors', { get: () => compiled?.errors }) as SchemaCheck<T>;
}

const object = { type: 'object' } as const;
const implementation = {
  type: 'object',
  required: ['name', 'version'],
  properties: { name: { type: 'string' }, version: { type: 'string' }, title: { type: 'string' } },
} as const;
const requestId = { type: ['string', 'integer'] } as const;
const progressToken = { type: ['string', 'integer'] } as const;
const meta = { type: 'object' } as const;

const tool = {
  type: 'object',
  required: ['name', 'inputSchema'],
  properties: {
    name: { type: 'string', minLength: 1 },
    title: { type: 'string' },
    description: { type: 'string' },
    inputSchema: { type: 'object', required: ['type'], properties: { type: { const: 'object' } } },
    outputSchema: { type: 'object', required: ['type'], properties: { type: { const: 'object' } } },
    annotations: {
      type: 'object',
      properties: {
        title: { type: 'string' },
        readOnlyHint: { type: 'boolean' },
        destructiveHint: { type: 'boolean' },
        idempotentHint: { type: 'boolean' },
        openWorldHint: { type: 'boolean' },
      },
    },
    _meta: meta,
  },
} as const;

const contentBlock = {
  type: 'object',
  required: ['type'],
  properties: { type: { type: 'string' } },
  oneOf: [
    { properties: { type: { const: 'text' }, text: { type: 'string' } }, required: ['text'] },
    {
      properties: { type: { enum: ['image', 'audio'] }, data: { type: 'string' }, mimeType: { type: 'string' } },
      required: ['data', 'mimeType'],
    },
    {
      properties: { type: { const: 'resource_link' }, uri: { type: 'string' }, name: { type: 'string' } },
      required: ['uri', 'name'],
    },
    {
      properties: {
        type: { const: 'resource' },
        resource: { type: 'object', required: ['uri'], properties: { uri: { type: 'string' } } },
      },
      required: ['resource'],
    },
  ],
} as const;

export const validateInitializeResult: SchemaCheck<InitializeResult> = lazy<InitializeResult>({
  type: 'object',
  required: ['protocolVersion', 'capabilities', 'serverInfo'],
  properties: {
    protocolVersion: { type: 'string' },
    capabilities: object,
    serverInfo: implementation,
    instructions: { type: 'string' },
  },
});

export const validateInitializeParams: SchemaCheck<InitializeParams> = lazy<InitializeParams>({
  type: 'object',
  required: ['protocolVersion', 'capabilities', 'clientInfo'],
  properties: { protocolVersion: { type: 'string' }, capabilities: object, clientInfo: implementation },
});

export const validateListToolsParams: SchemaCheck<ListToolsParams> = lazy<ListToolsParams>({
  type: 'object',
  properties: { cursor: { type: 'string' }, _meta: meta },
});

export const validateListToolsResult: SchemaCheck<ListToolsResult> = lazy<ListToolsResult>({
  type: 'object',
  required: ['tools'],
  properties: { tools: { type: 'array', items: tool }, nextCursor: { type: 'string' } },
});

export const validateCallToolParams: SchemaCheck<CallToolParams> = lazy<CallToolParams>({
  type: 'object',
  required: ['name'],
  properties: {
    name: { type: 'string', minLength: 1 },
    arguments: object,
    _meta: { type: 'object', properties: { progressToken } },
  },
});

export const validateCallToolResult: SchemaCheck<CallToolResult> = lazy<CallToolResult>({
  type: 'object',
  required: ['content'],
  properties: {
    content: { type: 'array', items: contentBlock },
    structuredContent: object,
    isError: { type: 'boolean' },
    _meta: meta,
  },
});

export const validateCancelledParams: SchemaCheck<CancelledParams> = lazy<CancelledParams>({
  type: 'object',
  required: ['requestId'],
  properties: { requestId, reason: { type: 'string' } },
});

export const validateProgressParams: SchemaCheck<ProgressParams> = lazy<ProgressParams>({
  type: 'object',
  required: ['progressToken', 'progress'],
  properties: {
    progressToken,
    progress: { type: 'number' },
    total: { type: 'number' },
    message: { type: 'string' },
  },
});

/** A short, readable account of why a value failed its schema: "/tools/0/name must be string". */
export function describeSchemaErrors(errors: ErrorObject[] | null | undefined): string {
  if (!errors || errors.length === 0) return 'it does not match the expected shape';
  return errors
    .slice(0, 3)
    .map((e) => `${e.instancePath || '(root)'} ${e.message ?? 'is invalid'}`)
    .join('; ');
}
