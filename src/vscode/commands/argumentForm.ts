/**
 * Asks for a tool's arguments one field at a time, driven by its input schema: a pick for enums
 * and booleans, an input box for strings and numbers, JSON for nested objects and arrays. Each
 * field is checked against its own schema as it is typed (ajv's words), and the whole against the
 * tool's schema at the end. Optional fields can be left empty. Undefined when the person cancels.
 */
import * as vscode from 'vscode';
import type { JsonObject, Tool } from '../../core/protocol/types';
import { compileSchemaValidator } from '../../core/validation/argumentValidator';

type FieldSchema = JsonObject;

export async function askArguments(tool: Tool): Promise<JsonObject | undefined> {
  const properties = isObject(tool.inputSchema.properties) ? tool.inputSchema.properties : {};
  const required = new Set(Array.isArray(tool.inputSchema.required) ? tool.inputSchema.required.filter((r): r is string => typeof r === 'string') : []);
  const names = Object.keys(properties).sort((a, b) => Number(required.has(b)) - Number(required.has(a)));
  const args: JsonObject = {};
  for (const [index, name] of names.entries()) {
    const schema = properties[name];
    const field: FieldSchema = isObject(schema) ? schema : {};
    const title = `${tool.name}: ${name}${required.has(name) ? '' : ' (optional)'} (${index + 1}/${names.length})`;
    const answer = await askField(name, field, required.has(name), title, tool.name);
    if (answer.kind === 'cancelled') return undefined;
    if (answer.kind === 'value') args[name] = answer.value;
  }
  const whole = compileSchemaValidator<JsonObject>(tool.inputSchema, `These arguments do not fit ${tool.name}`, `The input schema of ${tool.name}`)(args);
  if (!whole.ok) {
    void vscode.window.showErrorMessage(whole.message);
    return undefined;
  }
  return args;
}

type Answer = { kind: 'value'; value: unknown } | { kind: 'skipped' } | { kind: 'cancelled' };

async function askField(name: string, schema: FieldSchema, required: boolean, title: string, toolName: string): Promise<Answer> {
  const description = typeof schema.description === 'string' ? schema.description : undefined;
  if (Array.isArray(schema.enum)) {
    return pick(title, description, schema.enum.map((value) => ({ label: String(value), value })), required);
  }
  if (schema.type === 'boolean') {
    return pick(title, description, [{ label: 'Yes', value: true }, { label: 'No', value: false }], required);
  }
  const check = compileSchemaValidator<unknown>(schema, `"${name}"`, `The schema of ${toolName}.${name}`);
  const kind = schemaKind(schema);
  const text = await vscode.window.showInputBox({
    title,
    prompt: [description, kind === 'json' ? 'Enter JSON.' : undefined, required ? undefined : 'Leave empty to omit.'].filter(Boolean).join(' '),
    value: typeof schema.default === 'string' ? schema.default : schema.default !== undefined ? JSON.stringify(schema.default) : '',
    ignoreFocusOut: true,
    validateInput: (input) => {
      if (input === '' && !required) return undefined;
      const parsed = parse(input, kind);
      if (!parsed.ok) return parsed.message;
      const checked = check(parsed.value);
      return checked.ok ? undefined : checked.message;
    },
  });
  if (text === undefined) return { kind: 'cancelled' };
  if (text === '' && !required) return { kind: 'skipped' };
  const parsed = parse(text, kind);
  return parsed.ok ? { kind: 'value', value: parsed.value } : { kind: 'cancelled' };
}

async function pick(title: string, description: string | undefined, options: { label: string; value: unknown }[], required: boolean): Promise<Answer> {
  type Item = vscode.QuickPickItem & { answer: Answer };
  const items: Item[] = options.map((o) => ({ label: o.label, answer: { kind: 'value', value: o.value } }));
  if (!required) items.push({ label: '(leave out)', answer: { kind: 'skipped' } });
  const picked = await vscode.window.showQuickPick(items, { title, ...(description !== undefined && { placeHolder: description }), ignoreFocusOut: true });
  return picked?.answer ?? { kind: 'cancelled' };
}

type Kind = 'string' | 'number' | 'json';

function schemaKind(schema: FieldSchema): Kind {
  if (schema.type === 'string') return 'string';
  if (schema.type === 'integer' || schema.type === 'number') return 'number';
  return 'json';
}

function parse(input: string, kind: Kind): { ok: true; value: unknown } | { ok: false; message: string } {
  if (kind === 'string') return { ok: true, value: input };
  if (kind === 'number') {
    const value = Number(input.trim());
    return input.trim() !== '' && Number.isFinite(value) ? { ok: true, value } : { ok: false, message: 'Enter a number.' };
  }
  try {
    return { ok: true, value: JSON.parse(input) };
  } catch (error) {
    return { ok: false, message: `Not valid JSON: ${error instanceof Error ? error.message : String(error)}` };
  }
}

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
