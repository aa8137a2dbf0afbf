/**
 * Checks tool arguments against the tool's JSON Schema (2020-12 unless the schema says otherwise)
 * and words the first problems so that a person or a model can fix the call: which field, what
 * was expected.
 */
import type Ajv2020 from 'ajv/dist/2020';
import type { ErrorObject, ValidateFunction } from 'ajv/dist/2020';
import type AjvDraft07 from 'ajv';

export type ArgumentCheck<T> = { ok: true; value: T } | { ok: false; message: string };
export type ArgumentValidator<T> = (args: unknown) => ArgumentCheck<T>;

const options = { allErrors: true, strict: false, validateFormats: false } as const;
// Made on first use: each one compiles its dialect's meta-schema, which a process that never sees
// that dialect should not pay for at start-up.
let ajv2020: Ajv2020 | undefined;
let ajvDraft07: AjvDraft07 | undefined;
// Required when first needed, not imported: a server loads the compiler only once a tool is called.
const dialect2020 = (): Ajv2020 => (ajv2020 ??= new (require('ajv/dist/2020') as typeof import('ajv/dist/2020')).default(options));
const dialectDraft07 = (): AjvDraft07 => (ajvDraft07 ??= new (require('ajv') as typeof import('ajv')).default(options));

/**
 * MCP schemas are 2020-12 unless they say otherwise, and many servers (the official SDK's among
 * them) say draft-07. A schema is compiled in the dialect it declares; one declaring a dialect
 * neither instance knows (2019-09, draft-06, draft-04) is checked in the nearest one without its
 * declaration, rather than refused.
 */
function compile<T>(schema: object): ValidateFunction<T> {
  const declared = '$schema' in schema && typeof schema.$schema === 'string' ? schema.$schema : undefined;
  if (declared === undefined || declared.includes('2020-12')) return dialect2020().compile<T>(schema);
  if (declared.includes('draft-07')) return dialectDraft07().compile<T>(schema);
  const withoutDeclaration = Object.fromEntries(Object.entries(schema).filter(([key]) => key !== '$schema'));
  return declared.includes('2019-09') ? dialect2020().compile<T>(withoutDeclaration) : dialectDraft07().compile<T>(withoutDeclaration);
}

/** Compiles a validator; a schema that cannot be compiled yields a validator that says so. */
export function compileArgumentValidator<T>(schema: object, toolName: string): ArgumentValidator<T> {
  return compileSchemaValidator<T>(schema, `Invalid arguments for tool "${toolName}"`, `The input schema of tool "${toolName}"`);
}

/**
 * The same for any value checked against a JSON Schema: failures read `<label>: <problems>`,
 * and a schema that does not compile reads `<schemaName> is not valid JSON Schema: <why>`.
 */
export function compileSchemaValidator<T>(schema: object, label: string, schemaName: string): ArgumentValidator<T> {
  let validate: ValidateFunction<T>;
  try {
    validate = compile<T>(schema);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return () => ({ ok: false, message: `${schemaName} is not valid JSON Schema: ${reason}` });
  }
  return (value: unknown) => {
    if (validate(value)) return { ok: true, value };
    return { ok: false, message: `${label}: ${describeArgumentErrors(validate.errors)}` };
  };
}

export function describeArgumentErrors(errors: ErrorObject[] | null | undefined): string {
  if (!errors || errors.length === 0) return 'they do not match the input schema.';
  const parts = errors.slice(0, 3).map(describeOne);
  const more = errors.length > 3 ? ` (and ${errors.length - 3} more)` : '';
  return `${parts.join('; ')}${more}.`;
}

function describeOne(error: ErrorObject): string {
  const field = fieldName(error.instancePath);
  switch (error.keyword) {
    case 'required':
      return `missing required field "${joinField(error.instancePath, String(error.params.missingProperty))}"`;
    case 'additionalProperties':
      return `unknown field "${joinField(error.instancePath, String(error.params.additionalProperty))}"`;
    case 'type':
      return `${field} must be ${String(error.params.type)}`;
    case 'enum':
      return `${field} must be one of ${JSON.stringify(error.params.allowedValues)}`;
    default:
      return `${field} ${error.message ?? 'is invalid'}`;
  }
}

function fieldName(instancePath: string): string {
  return instancePath ? `field "${instancePath.slice(1).replace(/\//g, '.')}"` : 'the arguments';
}

function joinField(instancePath: string, name: string): string {
  return instancePath ? `${instancePath.slice(1).replace(/\//g, '.')}.${name}` : name;
}
