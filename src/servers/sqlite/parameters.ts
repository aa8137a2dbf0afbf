/**
 * Matches the `params` of a query to the parameters its statement names, so that a value never
 * goes missing silently (SQLite would bind NULL) and a name that matches nothing is reported.
 * Values are always bound by SQLite, never written into the SQL text: a value holding SQL is data.
 *
 * Numbering follows SQLite: `?` takes the next number, `?NNN` takes NNN, and each distinct name
 * (`:id`, `@id`, `$id`) takes the next number the first time it appears.
 */
import { tokenize } from './sqlLexer';
import { ToolError } from '../shared/toolResult';

export type ParamValue = string | number | boolean | null;
export type QueryParams = ParamValue[] | { [name: string]: ParamValue };
export type Binding = ParamValue[] | { [name: string]: ParamValue };

export interface StatementParameters {
  /** How many values the statement takes (its highest parameter number). */
  readonly count: number;
  /** Named parameters with their prefix, in order of first appearance. */
  readonly names: readonly string[];
  /** Whether any parameter is `?` or `?NNN`. */
  readonly positional: boolean;
}

export const MAX_PARAMETER_NUMBER = 32766;

export function statementParameters(sql: string): StatementParameters {
  let count = 0;
  let positional = false;
  const names: string[] = [];
  for (const token of tokenize(sql)) {
    if (token.kind !== 'parameter') continue;
    if (token.text.startsWith('?')) {
      positional = true;
      count = token.text.length === 1 ? count + 1 : Math.max(count, Number(token.text.slice(1)));
    } else if (!names.includes(token.text)) {
      names.push(token.text);
      count += 1;
    }
  }
  return { count, names, positional };
}

/** The values to bind, checked against the statement; throws a `ToolError` that says what to fix. */
export function bindingFor(sql: string, params: QueryParams | undefined): Binding | undefined {
  const wanted = statementParameters(sql);
  if (wanted.count > MAX_PARAMETER_NUMBER) {
    throw new ToolError(`The statement uses parameter number ${wanted.count}; SQLite allows at most ${MAX_PARAMETER_NUMBER}.`);
  }
  if (params === undefined) {
    if (wanted.count === 0) return undefined;
    throw new ToolError(`The statement has ${describe(wanted)}; pass their values in params (${example(wanted)}).`);
  }
  if (Array.isArray(params)) {
    if (params.length !== wanted.count) {
      throw new ToolError(
        `The statement has ${describe(wanted)}, but params has ${params.length} value${params.length === 1 ? '' : 's'}. ` +
          `Pass exactly ${wanted.count} in order${wanted.count === 0 ? ', or leave params out' : ''}.`,
      );
    }
    return params;
  }
  return namedBinding(wanted, params);
}

function namedBinding(wanted: StatementParameters, params: { [name: string]: ParamValue }): Binding {
  if (wanted.positional) {
    throw new ToolError(`The statement uses positional parameters (?); pass params as an array of ${wanted.count} value${wanted.count === 1 ? '' : 's'}.`);
  }
  const binding: { [name: string]: ParamValue } = {};
  for (const [key, value] of Object.entries(params)) {
    const name = resolveName(key, wanted.names);
    if (name === undefined) {
      const known = wanted.names.length === 0 ? 'none' : wanted.names.join(', ');
      throw new ToolError(`params names ${JSON.stringify(key)}, which the statement does not use. Its parameters: ${known}.`);
    }
    binding[name] = value;
  }
  const missing = wanted.names.filter((name) => !(name in binding));
  if (missing.length > 0) throw new ToolError(`params has no value for ${missing.join(', ')}.`);
  return binding;
}

/** `:id` matches itself; a bare `id` matches `:id`, `@id` or `$id` when exactly one is used. */
function resolveName(key: string, names: readonly string[]): string | undefined {
  if (/^[:@$#]/.test(key)) return names.includes(key) ? key : undefined;
  const matches = names.filter((name) => name.slice(1) === key);
  return matches.length === 1 ? matches[0] : undefined;
}

function describe(wanted: StatementParameters): string {
  const listed = wanted.names.length > 0 ? `: ${wanted.names.join(', ')}` : '';
  return `${wanted.count} parameter${wanted.count === 1 ? '' : 's'}${listed}`;
}

function example(wanted: StatementParameters): string {
  if (wanted.positional || wanted.names.length === 0) return 'an array of values in order';
  return `an object such as ${JSON.stringify(Object.fromEntries(wanted.names.map((n) => [n.slice(1), '…'])))}`;
}
