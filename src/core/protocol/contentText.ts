import type { CallToolResult, ContentBlock } from './types';

/** A tool result as plain text, for a model or a document: text blocks verbatim, others described. */
export function resultText(result: CallToolResult): string {
  return result.content.map(blockText).join('\n');
}

function blockText(block: ContentBlock): string {
  switch (block.type) {
    case 'text':
      return block.text;
    case 'image':
    case 'audio':
      return `[${block.type}: ${block.mimeType}, ${Math.floor((block.data.length * 3) / 4)} bytes]`;
    case 'resource_link':
      return `[resource: ${block.name} <${block.uri}>]`;
    case 'resource':
      return block.resource.text ?? `[binary resource <${block.resource.uri}>]`;
  }
}
