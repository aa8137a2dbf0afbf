/**
 * The names a model sees for hosted tools: `<server>__<tool>`. Model APIs accept only
 * `^[A-Za-z0-9_-]{1,64}$` (OpenAI, Anthropic and VS Code's own tool names), while MCP names may
 * hold dots and slashes and run to 128 characters, so names are made to fit and kept unique;
 * the catalogue maps each back to its server and tool.
 */
import { createHash } from 'node:crypto';

export const MAX_TOOL_NAME_LENGTH = 64;
const VALID_NAME = /^[A-Za-z0-9_-]{1,64}$/;
/** Between the server and the tool in a model tool name. */
export const MODEL_TOOL_SEPARATOR = '__';
const HASH_LENGTH = 6;

export function isValidModelToolName(name: string): boolean {
  return VALID_NAME.test(name);
}

/**
 * A valid, unused name for `server`'s `tool`. The plain `<server>__<tool>` when it is valid and
 * free; otherwise invalid characters become `_`, and a name that is too long or taken ends in a
 * short hash of the original pair (then a counter, should even that be taken).
 */
export function modelToolName(server: string, tool: string, taken: ReadonlySet<string>): string {
  const plain = `${server}${MODEL_TOOL_SEPARATOR}${tool}`;
  if (isValidModelToolName(plain) && !taken.has(plain)) return plain;
  const cleaned = `${clean(server)}${MODEL_TOOL_SEPARATOR}${clean(tool)}`;
  if (cleaned.length <= MAX_TOOL_NAME_LENGTH && !taken.has(cleaned)) return cleaned;
  const hash = createHash('sha256').update(`${server}\u0000${tool}`).digest('hex').slice(0, HASH_LENGTH);
  const stem = cleaned.slice(0, MAX_TOOL_NAME_LENGTH - HASH_LENGTH - 1);
  let candidate = `${stem}_${hash}`;
  for (let n = 2; taken.has(candidate); n++) {
    const suffix = `_${hash}${n}`;
    candidate = `${cleaned.slice(0, MAX_TOOL_NAME_LENGTH - suffix.length)}${suffix}`;
  }
  return candidate;
}

function clean(part: string): string {
  const replaced = part.replace(/[^A-Za-z0-9_-]/g, '_');
  return replaced.length > 0 ? replaced : '_';
}
