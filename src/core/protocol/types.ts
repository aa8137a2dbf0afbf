/**
 * The MCP data shapes Warden speaks (protocol 2025-11-25), as TypeScript types. Anything that
 * arrives from another process is checked against the matching schema in `schemas.ts` before it
 * is treated as one of these.
 */

export type ProtocolVersion = string;
export type JsonObject = { [key: string]: unknown };

export interface Implementation {
  name: string;
  version: string;
  title?: string;
}

export interface ClientCapabilities {
  roots?: { listChanged?: boolean };
  sampling?: JsonObject;
  elicitation?: JsonObject;
  experimental?: JsonObject;
}

export interface ServerCapabilities {
  tools?: { listChanged?: boolean };
  logging?: JsonObject;
  prompts?: { listChanged?: boolean };
  resources?: { subscribe?: boolean; listChanged?: boolean };
  completions?: JsonObject;
  experimental?: JsonObject;
}

export interface InitializeParams {
  protocolVersion: ProtocolVersion;
  capabilities: ClientCapabilities;
  clientInfo: Implementation;
}

export interface InitializeResult {
  protocolVersion: ProtocolVersion;
  capabilities: ServerCapabilities;
  serverInfo: Implementation;
  instructions?: string;
}

export interface ToolAnnotations {
  title?: string;
  readOnlyHint?: boolean;
  destructiveHint?: boolean;
  idempotentHint?: boolean;
  openWorldHint?: boolean;
}

export interface Tool {
  name: string;
  title?: string;
  description?: string;
  inputSchema: JsonObject & { type: 'object' };
  outputSchema?: JsonObject & { type: 'object' };
  annotations?: ToolAnnotations;
  _meta?: JsonObject;
}

export interface ListToolsParams {
  cursor?: string;
}

export interface ListToolsResult {
  tools: Tool[];
  nextCursor?: string;
}

export type ProgressToken = string | number;

export interface CallToolParams {
  name: string;
  arguments?: JsonObject;
  _meta?: { progressToken?: ProgressToken } & JsonObject;
}

export interface TextContent {
  type: 'text';
  text: string;
}
export interface ImageContent {
  type: 'image';
  data: string;
  mimeType: string;
}
export interface AudioContent {
  type: 'audio';
  data: string;
  mimeType: string;
}
export interface ResourceLink {
  type: 'resource_link';
  uri: string;
  name: string;
  mimeType?: string;
  description?: string;
}
export interface EmbeddedResource {
  type: 'resource';
  resource: { uri: string; mimeType?: string; text?: string; blob?: string };
}
export type ContentBlock = TextContent | ImageContent | AudioContent | ResourceLink | EmbeddedResource;

export interface CallToolResult {
  content: ContentBlock[];
  structuredContent?: JsonObject;
  isError?: boolean;
  _meta?: JsonObject;
}

export type RequestId = string | number;

export interface CancelledParams {
  requestId: RequestId;
  reason?: string;
}

export interface ProgressParams {
  progressToken: ProgressToken;
  progress: number;
  total?: number;
  message?: string;
}

export type LoggingLevel = 'debug' | 'info' | 'notice' | 'warning' | 'error' | 'critical' | 'alert' | 'emergency';

export interface LoggingMessageParams {
  level: LoggingLevel;
  logger?: string;
  data: unknown;
}

export interface SetLevelParams {
  level: LoggingLevel;
}

export type EmptyResult = JsonObject;
