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

const ajv = new Ajv2020({ allErrors: false, strict: false, validateSchema: false });

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

export const validateInitializeResult: ValidateFunction<InitializeResult> = ajv.compile<InitializeResult>({
  type: 'object',
  required: ['protocolVersion', 'capabilities', 'serverInfo'],
  properties: {
    protocolVersion: { type: 'string' },
    capabilities: object,
    serverInfo: implementation,
    instructions: { type: 'string' },
  },
});

export const validateInitializeParams: ValidateFunction<InitializeParams> = ajv.compile<InitializeParams>({
  type: 'object',
  required: ['protocolVersion', 'capabilities', 'clientInfo'],
  properties: { protocolVersion: { type: 'string' }, capabilities: object, clientInfo: implementation },
});

export const validateListToolsParams: ValidateFunction<ListToolsParams> = ajv.compile<ListToolsParams>({
  type: 'object',
  properties: { cursor: { type: 'string' }, _meta: meta },
});

export const validateListToolsResult: ValidateFunction<ListToolsResult> = ajv.compile<ListToolsResult>({
  type: 'object',
  required: ['tools'],
  properties: { tools: { type: 'array', items: tool }, nextCursor: { type: 'string' } },
});

export const validateCallToolParams: ValidateFunction<CallToolParams> = ajv.compile<CallToolParams>({
  type: 'object',
  required: ['name'],
  properties: {
    name: { type: 'string', minLength: 1 },
    arguments: object,
    _meta: { type: 'object', properties: { progressToken } },
  },
});

export const validateCallToolResult: ValidateFunction<CallToolResult> = ajv.compile<CallToolResult>({
  type: 'object',
  required: ['content'],
  properties: {
    content: { type: 'array', items: contentBlock },
    structuredContent: object,
    isError: { type: 'boolean' },
    _meta: meta,
  },
});

export const validateCancelledParams: ValidateFunction<CancelledParams> = ajv.compile<CancelledParams>({
  type: 'object',
  required: ['requestId'],
  properties: { requestId, reason: { type: 'string' } },
});

export const validateProgressParams: ValidateFunction<ProgressParams> = ajv.compile<ProgressParams>({
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
