/** What the SQLite tools share: the `database` argument, their annotations, and their results. */
import type { CallToolResult, ToolAnnotations } from '../../../core/protocol/types';
import type { ToolContext } from '../../shared/toolDefinition';
import type { ToolPayload } from '../protocol';

export const DATABASE_PROPERTY = {
  type: 'string',
  minLength: 1,
  maxLength: 4096,
  description: 'The database id, as list_databases gives it. May be left out when the server has exactly one database.',
} as const;

/** Every SQLite tool only reads local files. */
export function readOnlyAnnotations(title: string): ToolAnnotations {
  return { title, readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false };
}

export function payloadResult(payload: ToolPayload): CallToolResult {
  return { content: [{ type: 'text', text: payload.text }], structuredContent: payload.structured };
}

/** Reports, as progress, that the work has started in the database worker. */
export function reportRunning(context: ToolContext): () => void {
  return () => context.progress(0, undefined, 'Running in the database worker.');
}
