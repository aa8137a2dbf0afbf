/** A tool a command acts on, as a tree node or a script gives it. */
export interface ToolTarget {
  readonly serverId: string;
  readonly tool: string;
}

/** A tool from a tree node, or from `{ serverId, tool: "name" }` given by a script. */
export function toolOf(arg: unknown): ToolTarget | undefined {
  if (typeof arg !== 'object' || arg === null || !('serverId' in arg) || typeof arg.serverId !== 'string' || !('tool' in arg)) return undefined;
  const tool = arg.tool;
  if (typeof tool === 'string') return { serverId: arg.serverId, tool };
  if (typeof tool === 'object' && tool !== null && 'name' in tool && typeof tool.name === 'string') return { serverId: arg.serverId, tool: tool.name };
  return undefined;
}
