/**
 * Tool calling for models that cannot call tools: the prompt lists the tools and asks for a fenced
 * block per call,
 *
 *     ```tool
 *     {"tool": "fs__read_text", "arguments": {"path": "src/app.ts"}}
 *     ```
 *
 * and the reply is parsed here. What cannot be used is described so the model can correct itself;
 * the arguments are checked against the tool's schema by the gate, like any other call.
 */
import type { JsonObject } from '../../core/protocol/types';
import type { OfferedTool } from './toolCatalog';
import { isJsonObject } from './jsonValues';

export const TOOL_FENCE_LANGUAGE = 'tool';

export interface TextToolCall {
  /** 1-based position among the reply's tool blocks. */
  readonly block: number;
  readonly name: string;
  readonly args: JsonObject;
}

export interface ParsedReply {
  readonly calls: readonly TextToolCall[];
  /** One message per block that could not be used, saying why and what to write instead. */
  readonly problems: readonly string[];
}

const SHAPE = '{"tool": "<tool name>", "arguments": { ... }}';
const BLOCK = /(?:^|\n)[ \t]*(`{3,}|~{3,})[ \t]*tool[ \t]*\r?\n([\s\S]*?)(?:\r?\n[ \t]*\1[ \t]*(?=\r?\n|$)|$)/g;

/** The instructions and the tool list, for the first message of the conversation. */
export function describeToolsAsText(tools: readonly OfferedTool[]): string {
  if (tools.length === 0) return 'No tools are available in this conversation: answer from what you know and what the user wrote.';
  const example = JSON.stringify({ tool: tools[0]!.name, arguments: exampleArguments(tools[0]!) });
  const lines = [
    `You can use tools. To call one, write a fenced code block whose language is "${TOOL_FENCE_LANGUAGE}" and which holds exactly one JSON object, then stop writing:`,
    '',
    '```' + TOOL_FENCE_LANGUAGE,
    example,
    '```',
    '',
    'The results come back in the next message. One block is one call; several blocks run in order. ' +
      "Use only the tools listed below, with arguments that match the tool's input schema. " +
      'When you have what you need, answer in Markdown without any tool block.',
    '',
    'Tools:',
  ];
  for (const offered of tools) {
    lines.push('', `## ${offered.name}`, offered.tool.description ?? offered.tool.title ?? '(no description)', `Input schema: ${JSON.stringify(offered.tool.inputSchema)}`);
  }
  return lines.join('\n');
}

/** The tool blocks of a reply: the calls, and what was wrong with the blocks that are not calls. */
export function parseToolBlocks(text: string): ParsedReply {
  const calls: TextToolCall[] = [];
  const problems: string[] = [];
  let block = 0;
  for (const match of text.matchAll(BLOCK)) {
    block++;
    const body = (match[2] ?? '').trim();
    let value: unknown;
    try {
      value = JSON.parse(body);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      problems.push(`Tool block ${block} is not valid JSON (${reason}). Write one JSON object: ${SHAPE}.`);
      continue;
    }
    if (!isJsonObject(value)) {
      problems.push(`Tool block ${block} must hold one JSON object, ${SHAPE}; it holds ${describe(value)}.`);
      continue;
    }
    const name = value['tool'];
    if (typeof name !== 'string' || name.length === 0) {
      problems.push(`Tool block ${block} has no "tool" string naming the tool to call. Write ${SHAPE}.`);
      continue;
    }
    const args = value['arguments'] ?? {};
    if (!isJsonObject(args)) {
      problems.push(`Tool block ${block} (${name}): "arguments" must be a JSON object; it is ${describe(args)}.`);
      continue;
    }
    const extra = Object.keys(value).filter((key) => key !== 'tool' && key !== 'arguments');
    if (extra.length > 0) {
      problems.push(`Tool block ${block} (${name}) has unexpected keys ${extra.map((k) => `"${k}"`).join(', ')}: put the tool's arguments inside "arguments".`);
      continue;
    }
    calls.push({ block, name, args });
  }
  return { calls, problems };
}

/**
 * Passes a streamed reply through for display, holding back the tool blocks: text outside them
 * is released as soon as it cannot be the start of a block.
 */
export class ToolBlockFilter {
  private pending = '';
  private fence: string | undefined;
  /** Whether only spaces and tabs were released since the last line break. */
  private lineStart = true;

  push(chunk: string): string {
    this.pending += chunk;
    let shown = '';
    const release = (length: number): void => {
      const text = this.pending.slice(0, length);
      this.pending = this.pending.slice(length);
      shown += text;
      const lastBreak = text.lastIndexOf('\n');
      const rest = lastBreak >= 0 ? text.slice(lastBreak + 1) : text;
      this.lineStart = (lastBreak >= 0 || this.lineStart) && /^[ \t]*$/.test(rest);
    };
    for (;;) {
      if (this.fence !== undefined) {
        const close = closingFence(this.pending, this.fence);
        if (close === undefined) return shown;
        this.pending = this.pending.slice(close);
        this.fence = undefined;
        this.lineStart = true;
        continue;
      }
      const open = this.pending.search(/[`~]{3,}/);
      if (open < 0) {
        release(this.pending.length - trailingPartialFence(this.pending));
        return shown;
      }
      release(open);
      const opener = /^(`{3,}|~{3,})[ \t]*([^\n]*)\n/.exec(this.pending);
      // The fence's line is not complete yet: it may still turn out to open a tool block.
      if (!opener) return shown;
      if (this.lineStart && opener[2]!.trim() === TOOL_FENCE_LANGUAGE) {
        this.fence = opener[1]!;
        this.pending = this.pending.slice(opener[0].length);
      } else {
        release(opener[0].length);
      }
    }
  }

  /** What is left once the reply is complete; an unclosed tool block stays hidden. */
  end(): string {
    const rest = this.fence === undefined ? this.pending : '';
    this.pending = '';
    this.fence = undefined;
    this.lineStart = true;
    return rest;
  }
}

/** The index just past the line that closes a block opened by `fence`, or undefined. */
function closingFence(text: string, fence: string): number | undefined {
  const pattern = new RegExp(`(?:^|\\n)[ \\t]*${fence[0] === '`' ? '`' : '~'}{${fence.length},}[ \\t]*(\\n|$)`, 'g');
  for (const match of text.matchAll(pattern)) {
    const end = match.index + match[0].length;
    // A fence at the very end may still be followed by more of its line.
    if (match[1] === '' && end === text.length) return undefined;
    return end;
  }
  return undefined;
}

/** How many characters at the end could begin a fence (one or two backticks or tildes). */
function trailingPartialFence(text: string): number {
  const match = /[`~]{1,2}$/.exec(text);
  return match ? match[0].length : 0;
}

function exampleArguments(offered: OfferedTool): JsonObject {
  const properties = offered.tool.inputSchema['properties'];
  const required = offered.tool.inputSchema['required'];
  if (!isJsonObject(properties) || !Array.isArray(required)) return {};
  const example: JsonObject = {};
  for (const key of required) {
    if (typeof key === 'string' && key in properties) example[key] = '…';
  }
  return example;
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return `a ${typeof value}`;
}
