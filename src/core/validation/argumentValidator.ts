/**
 * Checks tool arguments against the tool's JSON Schema (2020-12 unless the schema says otherwise)
 * and words the first problems so that a person or a model can fix the call: which field, what
 * was expected.
 */
import Ajv2020, { type ErrorObject, type ValidateFunction } from 'ajv/dist/2020';

export type ArgumentCheck<T> = { ok: true; value: T } | { ok: false; message: string };
export type ArgumentValidator<T> = (args: unknown) => ArgumentCheck<T>;

const ajv = new Ajv2020({ allErrors: true, strict: false, validateFormats: false });

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
    validate = ajv.compile<T>(schema);
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
