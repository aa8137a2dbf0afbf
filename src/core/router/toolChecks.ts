/**
 * Checks around a call that do not depend on who asks: the arguments against the tool's input
 * schema before the call, and the result against its output schema and the size cap after it.
 * Compiled validators are cached per schema object, which a tool list replaces when it changes.
 */
import type { CallToolResult, Tool } from '../protocol/types';
import { compileArgumentValidator, compileSchemaValidator, type ArgumentValidator } from '../validation/argumentValidator';
import { WardenError } from '../util/errors';

const inputValidators = new WeakMap<object, ArgumentValidator<unknown>>();
const outputValidators = new WeakMap<object, ArgumentValidator<unknown>>();

export function checkArguments(server: string, tool: Tool, args: unknown): void {
  let validate = inputValidators.get(tool.inputSchema);
  if (!validate) {
    validate = compileArgumentValidator<unknown>(tool.inputSchema, tool.name);
    inputValidators.set(tool.inputSchema, validate);
  }
  const checked = validate(args);
  if (!checked.ok) throw new WardenError('INVALID_ARGUMENTS', `${checked.message} See the input schema of ${server}.${tool.name}.`);
}

export function checkResult(server: string, tool: Tool, result: CallToolResult, maxResultBytes: number | undefined): void {
  if (maxResultBytes !== undefined) {
    const bytes = Buffer.byteLength(JSON.stringify(result), 'utf8');
    if (bytes > maxResultBytes) {
      throw new WardenError(
        'RESULT_TOO_LARGE',
        `${server}.${tool.name} returned ${bytes} bytes; the policy allows at most ${maxResultBytes}. Ask for less (a narrower path, range or query), or raise maxResultBytes in the rule.`,
      );
    }
  }
  if (!tool.outputSchema || result.isError === true) return;
  if (result.structuredContent === undefined) {
    throw new WardenError('INVALID_RESULT', `${server}.${tool.name} declares an output schema but returned no structuredContent.`);
  }
  let validate = outputValidators.get(tool.outputSchema);
  if (!validate) {
    validate = compileSchemaValidator<unknown>(
      tool.outputSchema,
      `${server}.${tool.name} returned structuredContent that does not match its output schema`,
      `The output schema of ${server}.${tool.name}`,
    );
    outputValidators.set(tool.outputSchema, validate);
  }
  const checked = validate(result.structuredContent);
  if (!checked.ok) throw new WardenError('INVALID_RESULT', checked.message);
}
