/**
 * The fetch tool's declaration at the default limits, without running a server: the source for
 * package.json's language-model tool contributions, which must be static.
 */
import type { Tool } from '../../core/protocol/types';
import { DEFAULT_DOWNLOAD_LIMIT, DEFAULT_MAX_BYTES, DEFAULT_TIMEOUT_MS } from './options';
import { systemResolver } from './resolveTarget';
import { fetchTool } from './tools/fetchTool';

export function httpToolDeclarations(): Tool[] {
  const limits = {
    policy: { patterns: [], allowPrivate: false, extraPorts: [] },
    resolve: systemResolver,
    timeoutMs: DEFAULT_TIMEOUT_MS,
    downloadLimit: DEFAULT_DOWNLOAD_LIMIT,
    maxBytes: DEFAULT_MAX_BYTES,
  };
  return [fetchTool(limits).tool];
}
