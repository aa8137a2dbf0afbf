import type { CallToolResult, JsonObject } from '../../../core/protocol/types';
import { defineTool, type RegisteredTool } from '../../shared/toolDefinition';
import { MAX_GLOB_CHARS } from '../glob';
import { MAX_PATH_CHARS, type Jail } from '../jail';
import { MAX_QUERY_CHARS, compileQuery } from '../searchPattern';
import { DEFAULT_EXCLUDES, DEFAULT_WALK_LIMITS, walk, type WalkLimits, type WalkSummary } from '../walk';
import { compileToolGlob, resolveDirectory } from './walkTools';
import { renderSearch, searchFiles, type SearchBudget, type SearchOutcome } from './searchFiles';

export interface SearchArgs {
  query: string;
  regex?: boolean;
  ignoreCase?: boolean;
  path?: string;
  include?: string;
  exclude?: string[];
  maxResults?: number;
  contextLines?: number;
}

export const DEFAULT_MAX_RESULTS = 100;
export const MAX_RESULTS = 1000;
export const DEFAULT_CONTEXT_LINES = 2;
export const MAX_CONTEXT_LINES = 10;

export const DEFAULT_SEARCH_BUDGET: SearchBudget = {
  maxFileBytes: 1024 * 1024,
  maxTotalBytes: 64 * 1024 * 1024,
  timeBudgetMs: 10_000,
  maxLineChars: 400,
};

export function searchTool(jail: Jail, budget: SearchBudget = DEFAULT_SEARCH_BUDGET, limits: WalkLimits = DEFAULT_WALK_LIMITS): RegisteredTool {
  return defineTool<SearchArgs>({
    tool: {
      name: 'search',
      title: 'Search file contents',
      description:
        'Searches the text of files in the workspace folders, line by line, and returns each matching line with its path, line number and context lines. ' +
        'query is plain text by default; with regex: true it is a JavaScript regular expression (no slashes or flags; backreferences and lookaround are refused because they can take exponential time). ' +
        'ignoreCase: true ignores case. ' +
        'path (default: the first workspace folder) chooses the directory to search under; include is a glob matched against paths relative to the workspace folder (for example **/*.ts or src/**/*.{js,jsx}). ' +
        `Excluded by default: ${DEFAULT_EXCLUDES.join(', ')} at any depth (pass exclude: [] to search them). ` +
        `Binary files (a NUL byte in the first 8 KiB), files over ${budget.maxFileBytes} bytes and files that may hold credentials are skipped; symbolic links are not followed. ` +
        `At most ${DEFAULT_MAX_RESULTS} matches by default (maxResults up to ${MAX_RESULTS}), ${DEFAULT_CONTEXT_LINES} context lines before and after each (contextLines up to ${MAX_CONTEXT_LINES}); lines are cut at ${budget.maxLineChars} characters. ` +
        `A search reads at most ${budget.maxTotalBytes} bytes and runs at most ${budget.timeBudgetMs / 1000} s; truncated: true and note say when it stopped early, so narrow path, include or query.`,
      inputSchema: {
        type: 'object',
        properties: {
          query: { type: 'string', minLength: 1, maxLength: MAX_QUERY_CHARS, description: 'Text to find, or a regular expression when regex is true.' },
          regex: { type: 'boolean', description: 'Treat query as a regular expression. Default: false.' },
          ignoreCase: { type: 'boolean', description: 'Ignore case. Default: false.' },
          path: { type: 'string', minLength: 1, maxLength: MAX_PATH_CHARS, description: 'Directory to search under. Default: the first workspace folder.' },
          include: { type: 'string', minLength: 1, maxLength: MAX_GLOB_CHARS, description: 'Only files whose path relative to the workspace folder matches this glob.' },
          exclude: {
            type: 'array',
            maxItems: 64,
            items: { type: 'string', minLength: 1, maxLength: MAX_GLOB_CHARS },
            description: `Globs of names or paths to skip, at any depth, with everything beneath them. Default: ${JSON.stringify(DEFAULT_EXCLUDES)}.`,
          },
          maxResults: { type: 'integer', minimum: 1, maximum: MAX_RESULTS, description: `Most matching lines to return. Default: ${DEFAULT_MAX_RESULTS}.` },
          contextLines: { type: 'integer', minimum: 0, maximum: MAX_CONTEXT_LINES, description: `Lines of context before and after each match. Default: ${DEFAULT_CONTEXT_LINES}.` },
        },
        required: ['query'],
        additionalProperties: false,
      },
      outputSchema: {
        type: 'object',
        properties: {
          root: { type: 'string', description: 'The workspace folder the paths are relative to.' },
          matches: {
            type: 'array',
            items: {
              type: 'object',
              properties: {
                path: { type: 'string' },
                line: { type: 'integer', description: '1-based.' },
                text: { type: 'string' },
                before: { type: 'array', items: { type: 'string' } },
                after: { type: 'array', items: { type: 'string' } },
              },
              required: ['path', 'line', 'text', 'before', 'after'],
              additionalProperties: false,
            },
          },
          truncated: { type: 'boolean', description: 'True when the search stopped early (a bound was reached): more matches may exist.' },
          filesSearched: { type: 'integer' },
          bytesSearched: { type: 'integer' },
          skipped: {
            type: 'object',
            properties: {
              binary: { type: 'integer' },
              tooLarge: { type: 'integer' },
              unreadable: { type: 'integer' },
              secret: { type: 'integer' },
            },
            required: ['binary', 'tooLarge', 'unreadable', 'secret'],
            additionalProperties: false,
          },
          engine: { type: 'string', enum: ['none', 'linear', 'backtracking'], description: 'The regular-expression engine used (none for plain text).' },
          note: { type: 'string' },
        },
        required: ['root', 'matches', 'truncated', 'filesSearched', 'bytesSearched', 'skipped', 'engine'],
        additionalProperties: false,
      },
      annotations: { title: 'Search file contents', readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
    },
    async run(args, context): Promise<CallToolResult> {
      const matcher = compileQuery(args.query, { regex: args.regex ?? false, ignoreCase: args.ignoreCase ?? false });
      const include = args.include === undefined ? undefined : compileToolGlob(args.include, 'include');
      const exclude = (args.exclude ?? DEFAULT_EXCLUDES).map((e) => compileToolGlob(e, 'exclude', true));
      const start = resolveDirectory(jail, args.path ?? '.', 'search');
      const summary: WalkSummary = { directoriesVisited: 0, entriesSeen: 0, skippedSecret: 0 };
      const files = walk({ jail, start, exclude, limits, signal: context.signal }, summary);
      const outcome: SearchOutcome = await searchFiles(jail, files, summary, {
        matcher,
        include,
        maxResults: args.maxResults ?? DEFAULT_MAX_RESULTS,
        contextLines: args.contextLines ?? DEFAULT_CONTEXT_LINES,
        budget,
        limits,
        signal: context.signal,
      });
      const result: JsonObject = { root: start.root, ...outcome, engine: matcher.engine };
      return { content: [{ type: 'text', text: renderSearch(outcome) }], structuredContent: result };
    },
  });
}
