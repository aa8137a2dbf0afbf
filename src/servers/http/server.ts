/**
 * The built-in HTTP fetch server: one read-only tool, `fetch`, behind a host allow-list. Built
 * here, apart from the process entry, so tests can run it in memory.
 */
import { McpServer } from '../shared/mcpServer';
import { HOW_TO_ALLOW } from './fetchPolicy';
import type { HttpServerArgs } from './options';
import { systemResolver, type Resolver } from './resolveTarget';
import { fetchTool } from './tools/fetchTool';

export const HTTP_SERVER_NAME = 'warden-http';
export const HTTP_SERVER_VERSION = '0.1.0';

export interface HttpServerOptions extends HttpServerArgs {
  readonly log: (line: string) => void;
  /** The DNS resolver; the system's by default. */
  readonly resolve?: Resolver;
}

export function createHttpServer(options: HttpServerOptions): McpServer {
  return new McpServer(
    {
      info: { name: HTTP_SERVER_NAME, version: HTTP_SERVER_VERSION, title: 'Warden web fetch' },
      instructions: serverInstructions(options),
      log: options.log,
    },
    [
      fetchTool({
        policy: { patterns: options.patterns, allowPrivate: options.allowPrivate, extraPorts: options.extraPorts },
        resolve: options.resolve ?? systemResolver,
        timeoutMs: options.timeoutMs,
        downloadLimit: options.downloadLimit,
        maxBytes: options.maxBytes,
      }),
    ],
  );
}

function serverInstructions(options: HttpServerArgs): string {
  if (options.patterns.length === 0) {
    return `Fetches web pages as text, but no host is allowed yet, so every fetch is refused. ${HOW_TO_ALLOW}`;
  }
  const ports = options.extraPorts.length === 0 ? '' : ` Ports allowed besides 80 and 443: ${options.extraPorts.join(', ')}.`;
  return (
    `Fetches web pages and API responses as text from these hosts only: ${options.patterns.map((p) => p.text).join(', ')}.${ports} ` +
    'Use fetch with method HEAD to check a URL without downloading it, and offset to page through long texts.'
  );
}
