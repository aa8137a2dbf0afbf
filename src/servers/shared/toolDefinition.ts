import type { CallToolResult, Tool } from '../../core/protocol/types';
import { compileArgumentValidator } from '../../core/validation/argumentValidator';

export interface ToolContext {
  /** Aborted when the client cancels the call or the connection closes. */
  readonly signal: AbortSignal;
  /** Reports progress when the client asked for it; a no-op otherwise. */
  progress(progress: number, total?: number, message?: string): void;
}

/** A tool a built-in server offers: its MCP declaration and the code that runs it. */
export interface ToolDefinition<Args> {
  readonly tool: Tool;
  /** Called only with arguments that passed `tool.inputSchema`. Throw `ToolError` for expected failures. */
  run(args: Args, context: ToolContext): Promise<CallToolResult> | CallToolResult;
}

export type Invocation =
  | { kind: 'invalid-arguments'; message: string }
  | { kind: 'started'; result: Promise<CallToolResult> };

/** A tool ready to serve: arguments are checked against its schema before `run` sees them. */
export interface RegisteredTool {
  readonly tool: Tool;
  invoke(args: unknown, context: ToolContext): Invocation;
}

export function defineTool<Args>(definition: ToolDefinition<Args>): RegisteredTool {
  const check = compileArgumentValidator<Args>(definition.tool.inputSchema, definition.tool.name);
  return {
    tool: definition.tool,
    invoke(args, context) {
      const checked = check(args ?? {});
      if (!checked.ok) return { kind: 'invalid-arguments', message: checked.message };
      return { kind: 'started', result: Promise.resolve().then(() => definition.run(checked.value, context)) };
    },
  };
}
