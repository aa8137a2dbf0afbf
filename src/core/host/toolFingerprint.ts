/**
 * What a person approves when they approve a tool: the parts of its definition a model reads or
 * relies on (name, title, description, input and output schemas, annotations), as canonical JSON
 * (keys sorted at every depth), and its SHA-256. Equal definitions hash alike whatever their key
 * order; `_meta` is left out, as it carries nothing a model acts on.
 */
import type { JsonObject, Tool, ToolAnnotations } from '../protocol/types';
import { canonicalJson, sha256Hex } from '../util/canonicalJson';

export interface ToolSnapshot {
  readonly name: string;
  readonly title?: string;
  readonly description?: string;
  readonly inputSchema: JsonObject;
  readonly outputSchema?: JsonObject;
  readonly annotations?: ToolAnnotations;
}

export function toolSnapshot(tool: Tool | ToolSnapshot): ToolSnapshot {
  return {
    name: tool.name,
    ...(tool.title !== undefined && { title: tool.title }),
    ...(tool.description !== undefined && { description: tool.description }),
    inputSchema: tool.inputSchema,
    ...(tool.outputSchema !== undefined && { outputSchema: tool.outputSchema }),
    ...(tool.annotations !== undefined && { annotations: tool.annotations }),
  };
}

/** SHA-256 (hex) of the tool's definition as canonical JSON. */
export function toolDefinitionHash(tool: Tool | ToolSnapshot): string {
  return sha256Hex(canonicalJson(toolSnapshot(tool)));
}
