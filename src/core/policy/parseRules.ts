/**
 * Turns rules from a setting or a workspace file into `Rule`s, checked against a schema. A bad
 * rule is left out with a message that names it; the others still apply. A workspace file may
 * only tighten, so its allow rules are left out too, and said to be.
 */
import Ajv2020 from 'ajv/dist/2020';
import type { LayerSource, Rule } from './types';

const stringOrList = { oneOf: [{ type: 'string', minLength: 1 }, { type: 'array', items: { type: 'string', minLength: 1 }, minItems: 1 }] };
const globs = { type: 'array', items: { type: 'string', minLength: 1 } };
const positive = { type: 'number', exclusiveMinimum: 0 };

export const RULE_SCHEMA = {
  type: 'object',
  required: ['effect'],
  additionalProperties: false,
  properties: {
    id: { type: 'string', minLength: 1 },
    description: { type: 'string' },
    server: stringOrList,
    tool: stringOrList,
    caller: stringOrList,
    effect: { enum: ['allow', 'confirm', 'deny'] },
    constraints: {
      type: 'object',
      additionalProperties: false,
      properties: { paths: globs, tables: globs, hosts: globs },
    },
    rateLimit: {
      type: 'object',
      required: ['perMinute'],
      additionalProperties: false,
      properties: { perMinute: positive, burst: { type: 'integer', minimum: 1 } },
    },
    dailyBudget: { type: 'integer', minimum: 0 },
    maxArgumentBytes: { type: 'integer', minimum: 1 },
    maxResultBytes: { type: 'integer', minimum: 1 },
    timeoutSeconds: positive,
  },
} as const;

const validateRule = new Ajv2020({ allErrors: false, strict: false }).compile<Rule>(RULE_SCHEMA);

export interface ParsedRules {
  readonly rules: Rule[];
  /** One line per rule left out, naming it and why. */
  readonly problems: string[];
}

export function parseRules(raw: unknown, source: LayerSource, where: string): ParsedRules {
  if (raw === undefined || raw === null) return { rules: [], problems: [] };
  if (!Array.isArray(raw)) return { rules: [], problems: [`${where} must be a list of rules; it was left out.`] };
  const rules: Rule[] = [];
  const problems: string[] = [];
  raw.forEach((candidate: unknown, index) => {
    const name = `${where} rule ${index + 1}${hasId(candidate) ? ` ("${candidate.id}")` : ''}`;
    if (!validateRule(candidate)) {
      const error = validateRule.errors?.[0];
      const detail = error ? `${error.instancePath || 'the rule'} ${error.message ?? 'is invalid'}` : 'it is invalid';
      problems.push(`${name} was left out: ${detail}.`);
      return;
    }
    if (source === 'workspace' && candidate.effect === 'allow') {
      problems.push(`${name} was left out: a workspace file can only tighten the policy (deny or confirm), never allow.`);
      return;
    }
    rules.push(candidate);
  });
  return { rules, problems };
}

function hasId(value: unknown): value is { id: string } {
  return typeof value === 'object' && value !== null && 'id' in value && typeof value.id === 'string';
}
