/**
 * The JSON Schemas of what crosses the process boundary, as plain data: schemas.ts checks values
 * against them, and the build compiles them ahead of time into the bundles (scripts/build.mjs).
 */
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

export const PROTOCOL_SCHEMAS = {
  initializeResult: {
    type: 'object',
    required: ['protocolVersion', 'capabilities', 'serverInfo'],
    properties: {
      protocolVersion: { type: 'string' },
      capabilities: object,
      serverInfo: implementation,
      instructions: { type: 'string' },
    },
  },
  initializeParams: {
    type: 'object',
    required: ['protocolVersion', 'capabilities', 'clientInfo'],
    properties: { protocolVersion: { type: 'string' }, capabilities: object, clientInfo: implementation },
  },
  listToolsParams: {
    type: 'object',
    properties: { cursor: { type: 'string' }, _meta: meta },
  },
  listToolsResult: {
    type: 'object',
    required: ['tools'],
    properties: { tools: { type: 'array', items: tool }, nextCursor: { type: 'string' } },
  },
  callToolParams: {
    type: 'object',
    required: ['name'],
    properties: {
      name: { type: 'string', minLength: 1 },
      arguments: object,
      _meta: { type: 'object', properties: { progressToken } },
    },
  },
  callToolResult: {
    type: 'object',
    required: ['content'],
    properties: {
      content: { type: 'array', items: contentBlock },
      structuredContent: object,
      isError: { type: 'boolean' },
      _meta: meta,
    },
  },
  cancelledParams: {
    type: 'object',
    required: ['requestId'],
    properties: { requestId, reason: { type: 'string' } },
  },
  progressParams: {
    type: 'object',
    required: ['progressToken', 'progress'],
    properties: {
      progressToken,
      progress: { type: 'number' },
      total: { type: 'number' },
      message: { type: 'string' },
    },
  },
} as const;

export type ProtocolSchemaName = keyof typeof PROTOCOL_SCHEMAS;
