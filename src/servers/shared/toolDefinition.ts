import type { CallToolResult, Tool } from '../../core/protocol/types';
import { compileArgumentValidator, type ArgumentValidator } from '../../core/validation/argumentValidator';

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

/**
 * The argument check is compiled on the tool's first call, not at start-up: compiling every tool's
 * schema was most of a server's time to answer `initialize`. The unit tests compile every built-in
 * schema, so a schema that does not compile cannot ship.
 */
export function defineTool<Args>(definition: ToolDefinition<Args>): RegisteredTool {
  let check: ArgumentValidator<Args> | undefined;
  return {
    tool: definition.tool,
    invoke(args, context) {
      check ??= compileArgumentValidator<Args>(definition.tool.inputSchema, definition.tool.name);
      const checked = check(args ?? {});
      if (!checked.ok) return { kind: 'invalid-arguments', message: checked.message };
      return { kind: 'started', result: Promise.resolve().then(() => definition.run(checked.value, context)) };
    },
  };
}
