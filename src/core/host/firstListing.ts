/**
 * The first tool list of a session just initialized. A server may announce a change while that
 * list is being read, and the change may not be in it; the caller reads the list again once the
 * session follows changes.
 */
import type { McpClient } from '../client/mcpClient';
import type { Tool } from '../protocol/types';

export interface FirstListing {
  readonly tools: readonly Tool[];
  /** The server announced a change before the list was answered. */
  readonly changedWhileListing: boolean;
}

export async function listFirstTools(client: McpClient, timeoutMs: number): Promise<FirstListing> {
  let changedWhileListing = false;
  const early = client.onDidChangeTools(() => (changedWhileListing = true));
  try {
    const tools = await client.listTools({ timeoutMs });
    return { tools, changedWhileListing };
  } finally {
    early.dispose();
  }
}
