import type { CallToolResult, JsonObject } from '../../core/protocol/types';

/**
 * A failure the tool expected and can explain (a path outside the jail, a file too large). The
 * server turns it into an `isError` result whose message the model can act on.
 */
export class ToolError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ToolError';
  }
}

export function textResult(text: string, structuredContent?: JsonObject): CallToolResult {
  return structuredContent === undefined
    ? { content: [{ type: 'text', text }] }
    : { content: [{ type: 'text', text }], structuredContent };
}

export function errorResult(message: string): CallToolResult {
  return { content: [{ type: 'text', text: message }], isError: true };
}
