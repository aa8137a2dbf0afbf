import type { CallToolResult, ContentBlock, JsonObject } from '../../../core/protocol/types';
import { defineTool, type RegisteredTool } from '../../shared/toolDefinition';
import { MAX_PATH_CHARS, type Jail } from '../jail';
import { readTextFile, type TextRead } from '../textFile';

export interface ReadTextArgs {
  path: string;
  startLine?: number;
  endLine?: number;
  head?: number;
  tail?: number;
  offset?: number;
  length?: number;
  maxBytes?: number;
}

export interface ReadTextLimits {
  /** The server's cap on the bytes of content one call returns. */
  readonly maxBytes: number;
}

export function readTextTool(jail: Jail, limits: ReadTextLimits): RegisteredTool {
  const cap = limits.maxBytes;
  return defineTool<ReadTextArgs>({
    tool: {
      name: 'read_text',
      title: 'Read text file',
      description:
        'Reads a UTF-8 text file from the workspace folders and returns its text exactly (no line numbers added). ' +
        'A relative path resolves against the first workspace folder; an absolute path must lie inside one of the workspace folders. ' +
        'Paths are taken literally: no ~ expansion and no URL decoding. ' +
        'Paths that lead outside the folders, including through symbolic links, are refused, and so are files that may hold credentials (.env, keys, .git internals and the like). ' +
        `At most ${cap} bytes of content are returned per call; a longer file is cut on a character boundary and ` +
        'the result has truncated: true and the last line it reached (endLine), so you can continue with startLine. ' +
        'Choose the piece in one of these ways, never two at once: startLine and endLine (1-based, inclusive) for a range of lines; ' +
        'head: n for the first n lines; tail: n for the last n lines (cheap even for huge logs); ' +
        'offset and length for a range of bytes (the result gives offset and nextOffset to continue). ' +
        'Directories, binary files and devices are refused: use list_dir or find to explore.',
      inputSchema: {
        type: 'object',
        properties: {
          path: {
            type: 'string',
            minLength: 1,
            maxLength: MAX_PATH_CHARS,
            description: 'The file: relative to the first workspace folder, or absolute inside a workspace folder.',
          },
          startLine: { type: 'integer', minimum: 1, description: 'First line to return, 1-based. Default: 1.' },
          endLine: { type: 'integer', minimum: 1, description: 'Last line to return, inclusive. Default: the end of the file.' },
          head: { type: 'integer', minimum: 1, description: 'Return the first n lines. Not with startLine, endLine, tail, offset or length.' },
          tail: { type: 'integer', minimum: 1, description: 'Return the last n lines. Not with startLine, endLine, head, offset or length.' },
          offset: { type: 'integer', minimum: 0, description: 'Byte offset to start reading at (moved forward to a character boundary). Not with line options.' },
          length: { type: 'integer', minimum: 1, description: 'Bytes to read from offset (default: to the byte limit). Not with line options.' },
          maxBytes: {
            type: 'integer',
            minimum: 1,
            description: `Most bytes of file content to return. Default and upper limit: ${cap}.`,
          },
        },
        required: ['path'],
        additionalProperties: false,
      },
      outputSchema: {
        type: 'object',
        properties: {
          path: { type: 'string', description: 'The canonical absolute path that was read.' },
          truncated: { type: 'boolean', description: 'True when the file or range continues beyond the returned text.' },
          totalBytes: { type: 'integer', description: 'The size of the whole file in bytes.' },
          startLine: { type: 'integer', description: 'Line reads only: the first line returned.' },
          endLine: { type: 'integer', description: 'Line reads only: the last line returned (possibly cut when truncated); 0 for an empty file.' },
          offset: { type: 'integer', description: 'tail and byte reads only: the byte offset of the first byte returned.' },
          nextOffset: { type: 'integer', description: 'tail and byte reads only: the offset to continue from, when the file goes on.' },
        },
        required: ['path', 'truncated', 'totalBytes'],
        additionalProperties: false,
      },
      annotations: { title: 'Read text file', readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
    },
    run(args): CallToolResult {
      const target = jail.resolve(args.path);
      const { path: _path, maxBytes, ...choice } = args;
      const read = readTextFile(
        { ...choice, real: target.real, shown: args.path, maxBytes: Math.min(maxBytes ?? cap, cap) },
        (real, shown) => jail.openFile(real, shown),
      );
      const content: ContentBlock[] = [{ type: 'text', text: read.text }];
      if (read.truncated) content.push({ type: 'text', text: truncationNote(read) });
      return { content, structuredContent: structured(target.real, read) };
    },
  });
}

/**
 * Where the text came from and how to go on. The text itself is only in `content`: carrying it here
 * too would double every reply's bytes, and its serialisation dominates the cost of a large read.
 */
function structured(path: string, read: TextRead): JsonObject {
  const result: JsonObject = { path, truncated: read.truncated, totalBytes: read.totalBytes };
  if (read.startLine !== undefined) result['startLine'] = read.startLine;
  if (read.endLine !== undefined) result['endLine'] = read.endLine;
  if (read.offset !== undefined) result['offset'] = read.offset;
  if (read.nextOffset !== undefined) result['nextOffset'] = read.nextOffset;
  return result;
}

/** Tells the model how to go on after a cut, or why it cannot. */
function truncationNote(read: TextRead): string {
  const head = `[read_text: truncated after ${read.bytes} bytes (file size ${read.totalBytes} bytes).`;
  if (read.startLine === undefined || read.endLine === undefined) {
    const where = `The text starts at byte offset ${read.offset ?? 0}`;
    return read.nextOffset === undefined
      ? `${head} ${where}; the lines asked for are longer than the byte limit, so only their end is returned. Read earlier parts with offset and length.]`
      : `${head} ${where}. To continue, call read_text with offset ${read.nextOffset}.]`;
  }
  const endsOnLineBreak = read.text.endsWith('\n');
  const next = endsOnLineBreak ? read.endLine + 1 : read.endLine;
  if (next <= read.startLine) {
    return `${head} Line ${read.startLine} alone is longer than the byte limit, so it cannot be returned whole.]`;
  }
  return `${head} To continue, call read_text with startLine ${next}.]`;
}
