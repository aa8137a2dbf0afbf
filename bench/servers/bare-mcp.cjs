// The least an MCP server can be: newline-delimited JSON-RPC on stdin and stdout, answering
// initialize, tools/list (one echo tool), tools/call and ping, with no framework and no checks.
// It is bare node's start time and the cheapest server a client can talk to.
const TOOL = {
  name: 'echo',
  description: 'Returns its text.',
  inputSchema: { type: 'object', properties: { text: { type: 'string' } }, required: ['text'], additionalProperties: false },
  annotations: { readOnlyHint: true, openWorldHint: false },
};

function answer(message) {
  switch (message.method) {
    case 'initialize':
      return { protocolVersion: message.params.protocolVersion, capabilities: { tools: {} }, serverInfo: { name: 'bare', version: '0' } };
    case 'tools/list':
      return { tools: [TOOL] };
    case 'tools/call':
      return { content: [{ type: 'text', text: message.params.arguments.text }] };
    default:
      return {};
  }
}

let partial = '';
process.stdin.setEncoding('utf8');
process.stdin.on('data', (chunk) => {
  const lines = (partial + chunk).split('\n');
  partial = lines.pop();
  let out = '';
  for (const line of lines) {
    if (line.length === 0) continue;
    const message = JSON.parse(line);
    if (message.id === undefined) continue;
    out += `${JSON.stringify({ jsonrpc: '2.0', id: message.id, result: answer(message) })}\n`;
  }
  if (out.length > 0) process.stdout.write(out);
});
