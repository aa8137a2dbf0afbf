/**
 * Checks for what crosses the process boundary. Both sides validate: the host checks every
 * response a server sends, a server checks every request it receives. Nothing from another
 * process is cast to a type without passing through here.
 *
 * In the bundles each check is a function Ajv generated at build time (precompiledValidators.ts
 * is replaced there), so a process starts without loading or running Ajv's compiler. Elsewhere
 * (the tests) a check is compiled from the same schema on its first use.
 */
import type Ajv2020 from 'ajv/dist/2020';
import type { ErrorObject, ValidateFunction } from 'ajv/dist/2020';
import { PRECOMPILED } from './precompiledValidators';
import { PROTOCOL_SCHEMAS, type ProtocolSchemaName } from './protocolSchemas';
import type {
  CallToolParams,
  CallToolResult,
  CancelledParams,
  InitializeParams,
  InitializeResult,
  ListToolsParams,
  ListToolsResult,
  ProgressParams,
} from './types';

export interface SchemaCheck<T> {
  (value: unknown): value is T;
  /** The problems found by the last check that failed. */
  readonly errors: ErrorObject[] | null | undefined;
}

let shared: Ajv2020 | undefined;

function check<T>(name: ProtocolSchemaName): SchemaCheck<T> {
  const precompiled = PRECOMPILED?.[name];
  if (precompiled !== undefined) return precompiled as SchemaCheck<T>;
  let compiled: ValidateFunction<T> | undefined;
  const validate = (value: unknown): value is T => {
    if (compiled === undefined) {
      // Required here, not imported: a process that never compiles does not load the compiler.
      const { default: Ajv } = require('ajv/dist/2020') as typeof import('ajv/dist/2020');
      shared ??= new Ajv({ allErrors: false, strict: false, validateSchema: false });
      compiled = shared.compile<T>(PROTOCOL_SCHEMAS[name]);
    }
    return compiled(value);
  };
  return Object.defineProperty(validate, 'errors', { get: () => compiled?.errors }) as SchemaCheck<T>;
}

export const validateInitializeResult: SchemaCheck<InitializeResult> = check<InitializeResult>('initializeResult');
export const validateInitializeParams: SchemaCheck<InitializeParams> = check<InitializeParams>('initializeParams');
export const validateListToolsParams: SchemaCheck<ListToolsParams> = check<ListToolsParams>('listToolsParams');
export const validateListToolsResult: SchemaCheck<ListToolsResult> = check<ListToolsResult>('listToolsResult');
export const validateCallToolParams: SchemaCheck<CallToolParams> = check<CallToolParams>('callToolParams');
export const validateCallToolResult: SchemaCheck<CallToolResult> = check<CallToolResult>('callToolResult');
export const validateCancelledParams: SchemaCheck<CancelledParams> = check<CancelledParams>('cancelledParams');
export const validateProgressParams: SchemaCheck<ProgressParams> = check<ProgressParams>('progressParams');

/** A short, readable account of why a value failed its schema: "/tools/0/name must be string". */
export function describeSchemaErrors(errors: ErrorObject[] | null | undefined): string {
  if (!errors || errors.length === 0) return 'it does not match the expected shape';
  return errors
    .slice(0, 3)
    .map((e) => `${e.instancePath || '(root)'} ${e.message ?? 'is invalid'}`)
    .join('; ');
}
