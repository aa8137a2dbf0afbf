/**
 * Fits a tool result into the tokens the conversation can spare. A result that does not fit is
 * cut, at a line break where one is near, and ends with a note saying how much was shown and how
 * to get the rest, so the model can ask for it instead of guessing.
 */
import type { JsonObject, Tool } from '../../core/protocol/types';

/** Counts tokens the way the model does. */
export type TokenCounter = (text: string) => Promise<number>;

export interface Fitted {
  readonly text: string;
  /** Characters shown and in all, when the text was cut. */
  readonly cut?: { readonly shown: number; readonly total: number };
}

const ATTEMPTS = 4;
const SAFETY = 0.95;

/**
 * `text` as is when it takes at most `maxTokens`, else its longest beginning that fits together
 * with the note `hint(kept)` describes.
 */
export async function fitText(text: string, maxTokens: number, count: TokenCounter, hint: (kept: string) => string): Promise<Fitted> {
  const tokens = await count(text);
  if (tokens <= maxTokens) return { text };
  const note = (kept: string): string => `[cut: ${formatCount(kept.length)} of ${formatCount(text.length)} characters shown; ${hint(kept)}]`;
  const withNote = (kept: string): string => (kept.length > 0 ? `${kept}${kept.endsWith('\n') ? '' : '\n'}${note(kept)}` : note(kept));
  const noteTokens = await count(note(text));
  const charsPerToken = text.length / Math.max(tokens, 1);
  let target = Math.floor((maxTokens - noteTokens) * charsPerToken * SAFETY);
  for (let attempt = 0; attempt < ATTEMPTS && target > 0; attempt++) {
    const kept = cutNear(text, target);
    const candidate = withNote(kept);
    const used = await count(candidate);
    if (used <= maxTokens) return { text: candidate, cut: { shown: kept.length, total: text.length } };
    target = Math.floor(target * (maxTokens / used) * SAFETY);
  }
  return { text: withNote(''), cut: { shown: 0, total: text.length } };
}

/**
 * How to get what was cut: the next line for tools that read by lines (`startLine`), otherwise
 * a narrower request.
 */
export function continuationHint(modelName: string, tool: Tool, args: JsonObject, kept: string): string {
  const properties = tool.inputSchema['properties'];
  const takesStartLine = typeof properties === 'object' && properties !== null && !Array.isArray(properties) && 'startLine' in properties;
  const readsByBytes = ['offset', 'length', 'head', 'tail'].some((key) => key in args);
  if (takesStartLine && !readsByBytes) {
    const first = typeof args['startLine'] === 'number' ? args['startLine'] : 1;
    const next = first + countLineBreaks(kept);
    return `call ${modelName} with startLine ${next} for more`;
  }
  return `call ${modelName} again with a narrower path, range or query for the rest`;
}

/** The beginning of `text` up to about `target` characters, ending at a line break when one is near. */
function cutNear(text: string, target: number): string {
  if (target >= text.length) return text;
  const lineBreak = text.lastIndexOf('\n', target - 1);
  if (lineBreak >= target / 2) return text.slice(0, lineBreak + 1);
  // Never split a surrogate pair.
  const end = isHighSurrogate(text.charCodeAt(target - 1)) ? target - 1 : target;
  return text.slice(0, end);
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}

function countLineBreaks(text: string): number {
  let n = 0;
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) n++;
  return n;
}

function formatCount(n: number): string {
  return n.toLocaleString('en-US');
}
