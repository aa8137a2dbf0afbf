// The official SDK's way to write a server: McpServer with one echo tool over StdioServerTransport.
// --drop-schema-dialect removes the "$schema" member the SDK puts in every input schema from the
// tools/list answer (nothing else changes): a client that cannot compile draft-07 schemas can
// then still call the tool.
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { z } from 'zod';

const server = new McpServer({ name: 'sdk-echo', version: '1.0.0' });
server.registerTool(
  'echo',
  {
    title: 'Echo',
    description: 'Returns its text.',
    inputSchema: { text: z.string() },
    annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
  },
  async ({ text }) => ({ content: [{ type: 'text', text }] }),
);
const transport = new StdioServerTransport();
if (process.argv.includes('--drop-schema-dialect')) {
  const send = transport.send.bind(transport);
  transport.send = (message, options) => {
    for (const tool of message.result?.tools ?? []) delete tool.inputSchema?.$schema;
    return send(message, options);
  };
}
await server.connect(transport);
