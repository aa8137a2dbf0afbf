/**
 * decide(call, policy, context) -> Decision: a pure function. It reads the rules, the call, and
 * snapshots of usage and approvals; it changes nothing. Surfaces only format its answer.
 *
 * - The base decision comes from the user's rules when any of them selects the call (by server,
 *   tool and caller), otherwise from the defaults. A rule applies when its constraints hold too;
 *   among the applying rules the most restrictive effect wins (deny, then confirm, then allow).
 *   No applying rule: deny.
 * - The workspace's rules can only tighten: their deny and confirm apply on top, their allow never
 *   does. In an untrusted workspace only the defaults count.
 * - An allowed call from a language model becomes a confirmation when the tool is not read-only
 *   or reaches outside the machine, judged by annotations only where they are trusted; a
 *   remembered approval turns it back into allow.
 * - Limits (rate, daily budget, sizes, time) are the strictest of all applying rules.
 */
import { checkConstraints } from './constraints';
import { matchesAny } from './glob';
import type { PolicySources } from './sources';
import type {
  ApprovalView,
  Caller,
  Decision,
  Effect,
  Limits,
  Policy,
  PolicyCall,
  PolicyLayer,
  Rule,
  RuleRef,
  UsageView,
} from './types';

export interface DecideContext {
  readonly usage: UsageView;
  readonly approvals: ApprovalView;
  readonly now: number;
  readonly workspaceFolders: readonly string[];
  /** Where the front end keeps the policy, for messages that say how to change a decision. */
  readonly sources: PolicySources;
}

interface Applying {
  readonly rule: Rule;
  readonly ref: RuleRef;
}

const SEVERITY: Record<Effect, number> = { allow: 0, confirm: 1, deny: 2 };

export function decide(call: PolicyCall, policy: Policy, context: DecideContext): Decision {
  const layers = policy.workspaceTrusted ? policy.layers : policy.layers.filter((l) => l.source === 'default');
  const nearMisses: string[] = [];
  const collect = (source: PolicyLayer['source']): Applying[] =>
    layers.filter((l) => l.source === source).flatMap((layer) => applyingRules(layer, call, context, nearMisses));

  // The user's rules replace the defaults for every call they select, even when their
  // constraints then leave the call out: a rule limiting a tool to src/** must not fall back to
  // a default that allows the whole workspace.
  const userSelects = layers.some((l) => l.source === 'user' && l.rules.some((rule) => selectsCall(rule, call)));
  const base = userSelects ? collect('user') : collect('default');
  const workspace = collect('workspace').filter((a) => a.rule.effect !== 'allow');
  const applying = [...base, ...workspace];
  if (base.length === 0) return noRule(call, nearMisses, context.sources);

  const strictest = applying.reduce((worst, a) => (SEVERITY[a.rule.effect] > SEVERITY[worst.rule.effect] ? a : worst));
  if (strictest.rule.effect === 'deny') {
    return {
      effect: 'deny',
      rule: strictest.ref,
      reason: 'rule',
      message: `Denied by rule "${strictest.ref.id}"${describe(strictest.rule)}. ${howToChange(strictest.ref, context.sources)}`,
    };
  }

  const limits = strictestLimits(applying, call);
  const overLimit = checkLimits(call, applying, limits, context);
  if (overLimit) return overLimit;

  const approvalKey = `${call.server}/${call.tool}`;
  const cause = strictest.rule.effect === 'confirm' ? 'rule' : 'risk';
  const why = cause === 'rule' ? `rule "${strictest.ref.id}" asks for confirmation` : riskOf(call);
  if (why !== undefined && !context.approvals.has(approvalKey)) {
    return { effect: 'confirm', rule: strictest.ref, limits, why, approvalKey, cause };
  }
  return { effect: 'allow', rule: strictest.ref, limits };
}

function applyingRules(layer: PolicyLayer, call: PolicyCall, context: DecideContext, nearMisses: string[]): Applying[] {
  const found: Applying[] = [];
  layer.rules.forEach((rule, index) => {
    if (!selectsCall(rule, call)) return;
    const ref: RuleRef = { id: rule.id ?? `${layer.source}#${index + 1}`, source: layer.source };
    if (rule.constraints) {
      const check = checkConstraints(rule.constraints, call.args, context.workspaceFolders);
      if (!check.ok) {
        nearMisses.push(`rule "${ref.id}" covers this tool, but ${check.why}`);
        return;
      }
    }
    found.push({ rule, ref });
  });
  return found;
}

function selectsCall(rule: Rule, call: PolicyCall): boolean {
  return selects(rule.server, call.server) && selects(rule.tool, call.tool) && selects(rule.caller, call.caller);
}

function selects(selector: string | readonly string[] | undefined, value: string): boolean {
  if (selector === undefined) return true;
  return matchesAny(value, typeof selector === 'string' ? [selector] : selector);
}

function noRule(call: PolicyCall, nearMisses: readonly string[], sources: PolicySources): Decision {
  const example = JSON.stringify({ server: call.server, tool: call.tool, caller: call.caller, effect: 'allow' });
  const near = nearMisses.length > 0 ? ` (${nearMisses.join('; ')})` : '';
  return {
    effect: 'deny',
    rule: { id: 'deny-by-default', source: 'built-in' },
    reason: 'no-rule',
    message: `No policy rule allows ${call.caller} to call ${call.server}.${call.tool}${near}. Warden denies by default. To allow it, add a rule to ${sources.userRules}, for example ${example}.`,
  };
}

function describe(rule: Rule): string {
  return rule.description ? ` (${rule.description})` : '';
}

function howToChange(ref: RuleRef, sources: PolicySources): string {
  switch (ref.source) {
    case 'user':
      return `Change or remove it in ${sources.userRules}.`;
    case 'workspace':
      return `It comes from ${sources.workspaceRules ?? "the workspace's rules"}, which can only tighten what you allow.`;
    case 'default':
    case 'built-in':
      return `Add a rule to ${sources.userRules} to decide otherwise.`;
  }
}

/** Why a model's call to this tool needs a person's yes, or undefined when it does not. */
function riskOf(call: PolicyCall): string | undefined {
  if (!isModelCaller(call.caller)) return undefined;
  const { annotations, annotationsTrusted } = call.facts;
  if (!annotationsTrusted) return `${call.server}.${call.tool} comes from a server whose tool annotations are not trusted`;
  if (annotations?.readOnlyHint !== true) return `${call.server}.${call.tool} may change things: it is not marked read-only`;
  if (annotations.openWorldHint !== false) return `${call.server}.${call.tool} reaches outside this machine`;
  return undefined;
}

function isModelCaller(caller: Caller): boolean {
  return caller === 'copilot' || caller === 'participant' || caller.startsWith('gateway:');
}

function strictestLimits(applying: readonly Applying[], call: PolicyCall): Limits {
  const key = `${call.caller}|${call.server}|${call.tool}`;
  let rate: { perMinute: number; burst: number } | undefined;
  let budget: number | undefined;
  let maxResultBytes: number | undefined;
  let timeoutMs: number | undefined;
  for (const { rule } of applying) {
    if (rule.rateLimit && (!rate || rule.rateLimit.perMinute < rate.perMinute)) {
      rate = { perMinute: rule.rateLimit.perMinute, burst: rule.rateLimit.burst ?? rule.rateLimit.perMinute };
    }
    budget = min(budget, rule.dailyBudget);
    maxResultBytes = min(maxResultBytes, rule.maxResultBytes);
    timeoutMs = min(timeoutMs, rule.timeoutSeconds === undefined ? undefined : rule.timeoutSeconds * 1000);
  }
  return {
    ...(rate && { rateLimit: { key, ...rate } }),
    ...(budget !== undefined && { dailyBudget: { key, max: budget } }),
    ...(maxResultBytes !== undefined && { maxResultBytes }),
    ...(timeoutMs !== undefined && { timeoutMs }),
  };
}

function checkLimits(call: PolicyCall, applying: readonly Applying[], limits: Limits, context: DecideContext): Decision | undefined {
  const maxArgs = applying.reduce<{ max: number; ref: RuleRef } | undefined>((best, a) => {
    const max = a.rule.maxArgumentBytes;
    return max !== undefined && (!best || max < best.max) ? { max, ref: a.ref } : best;
  }, undefined);
  if (maxArgs && call.argumentBytes > maxArgs.max) {
    return {
      effect: 'deny',
      rule: maxArgs.ref,
      reason: 'too-large',
      message: `The arguments take ${call.argumentBytes} bytes; rule "${maxArgs.ref.id}" allows at most ${maxArgs.max}. Send less, or raise maxArgumentBytes in that rule.`,
    };
  }
  const rate = limits.rateLimit;
  if (rate) {
    const tokens = context.usage.tokens(rate.key, rate.perMinute, rate.burst, context.now);
    if (tokens < 1) {
      const waitSeconds = Math.ceil(((1 - tokens) * 60) / rate.perMinute);
      return {
        effect: 'deny',
        rule: refWith(applying, (r) => r.rateLimit?.perMinute === rate.perMinute),
        reason: 'rate-limited',
        message: `Rate limit reached: ${call.caller} may call ${call.server}.${call.tool} ${rate.perMinute} times a minute (bursts of ${rate.burst}). Try again in ${waitSeconds} s, or raise rateLimit in the rule.`,
      };
    }
  }
  const budget = limits.dailyBudget;
  if (budget && context.usage.usedToday(budget.key, context.now) >= budget.max) {
    return {
      effect: 'deny',
      rule: refWith(applying, (r) => r.dailyBudget === budget.max),
      reason: 'budget-exhausted',
      message: `Daily budget used up: ${call.caller} may call ${call.server}.${call.tool} ${budget.max} times a day (UTC). It resets at midnight UTC, or raise dailyBudget in the rule.`,
    };
  }
  return undefined;
}

function refWith(applying: readonly Applying[], test: (rule: Rule) => boolean): RuleRef {
  return (applying.find((a) => test(a.rule)) ?? applying[0]!).ref;
}

function min(a: number | undefined, b: number | undefined): number | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return Math.min(a, b);
}
