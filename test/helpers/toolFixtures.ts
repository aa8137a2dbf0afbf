import { defineTool, type RegisteredTool } from '../../src/servers/shared/toolDefinition';
import { textResult } from '../../src/servers/shared/toolResult';

/** Small tools for protocol tests: they do exactly what their names say. */
export const echoTool: RegisteredTool = defineTool<{ text: string }>({
  tool: {
    name: 'echo',
    description: 'Returns its text.',
    inputSchema: { type: 'object', properties: { text: { type: 'string' } }, required: ['text'], additionalProperties: false },
    annotations: { readOnlyHint: true },
  },
  run: (args) => textResult(args.text),
});

/** Waits until cancelled, then reports the abort it saw through `onAbort`. */
export function waitForCancelTool(onAbort: (reason: unknown) => void): RegisteredTool {
  return defineTool<Record<string, never>>({
    tool: { name: 'wait', description: 'Waits until cancelled.', inputSchema: { type: 'object', additionalProperties: false } },
    run: (_args, context) =>
      new Promise((_resolve, reject) => {
        context.signal.addEventListener('abort', () => {
          onAbort(context.signal.reason);
          reject(new Error('cancelled'));
        });
      }),
  });
}

export const progressTool: RegisteredTool = defineTool<{ steps: number }>({
  tool: {
    name: 'count',
    description: 'Reports progress for each step.',
    inputSchema: { type: 'object', properties: { steps: { type: 'integer', minimum: 1 } }, required: ['steps'] },
  },
  run: (args, context) => {
    for (let i = 1; i <= args.steps; i++) context.progress(i, args.steps, `step ${i}`);
    return textResult(`counted ${args.steps}`);
  },
});

export function manyTools(count: number): RegisteredTool[] {
  return Array.from({ length: count }, (_, i) =>
    defineTool<Record<string, never>>({
      tool: { name: `tool_${String(i).padStart(3, '0')}`, inputSchema: { type: 'object' } },
      run: () => textResult(String(i)),
    }),
  );
}
