import type { CallToolResult, ContentBlock } from '../../../core/protocol/types';
import { defineTool, type RegisteredTool } from '../../shared/toolDefinition';
import { MAX_PATH_CHARS, type Jail } from '../jail';
import { readTextFile, type TextRead } from '../textFile';

export interface ReadTextArgs {
  path: string;
  startLine?: number;
  endLine?: number;
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
        'Paths that lead outside the folders, including through symbolic links, are refused. ' +
        `At most ${cap} bytes of content are returned per call; a longer file is cut on a character boundary and ` +
        'the result has truncated: true and the last line it reached (endLine), so you can continue with startLine. ' +
        'startLine and endLine (1-based, inclusive) select a range of lines. ' +
        'Directories, binary files and devices are refused: use list_dir to explore.',
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
          text: { type: 'string' },
          truncated: { type: 'boolean', description: 'True when the file or range continues beyond the returned text.' },
          totalBytes: { type: 'integer', description: 'The size of the whole file in bytes.' },
          startLine: { type: 'integer' },
          endLine: { type: 'integer', description: 'The last line returned (possibly cut when truncated); 0 for an empty file.' },
        },
        required: ['path', 'text', 'truncated', 'totalBytes', 'startLine', 'endLine'],
        additionalProperties: false,
      },
      annotations: { title: 'Read text file', readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
    },
    run(args): CallToolResult {
      const target = jail.resolve(args.path);
      const read = readTextFile({
        real: target.real,
        shown: args.path,
        maxBytes: Math.min(args.maxBytes ?? cap, cap),
        startLine: args.startLine,
        endLine: args.endLine,
      });
      const content: ContentBlock[] = [{ type: 'text', text: read.text }];
      if (read.truncated) content.push({ type: 'text', text: truncationNote(read) });
      return {
        content,
        structuredContent: {
          path: target.real,
          text: read.text,
          truncated: read.truncated,
          totalBytes: read.totalBytes,
          startLine: read.startLine,
          endLine: read.endLine,
        },
      };
    },
  });
}

/** Tells the model how to go on after a cut, or why it cannot. */
function truncationNote(read: TextRead): string {
  const head = `[read_text: truncated after ${read.bytes} bytes (file size ${read.totalBytes} bytes).`;
  const endsOnLineBreak = read.text.endsWith('\n');
  const next = endsOnLineBreak ? read.endLine + 1 : read.endLine;
  if (next <= read.startLine) {
    return `${head} Line ${read.startLine} alone is longer than the byte limit, so it cannot be returned whole.]`;
  }
  return `${head} To continue, call read_text with startLine ${next}.]`;
}
