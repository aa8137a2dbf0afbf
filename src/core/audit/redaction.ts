/**
 * Takes secrets out of what the audit log stores: arguments, error messages and result previews.
 *
 * - A value under a key that names a secret (token, secret, password, passwd, pwd, passphrase,
 *   api key, authorization, auth, cookie, credential, private key, access key, jwt…, in any case
 *   and spelling: `apiKey`, `API_KEY`, `x-api-key`), at any depth, becomes "[redacted]" whole.
 *   `null`, booleans and empty strings are kept: they say a secret was absent, not what it is.
 * - Inside any string (and object key), text that looks like a secret is replaced where it stands:
 *   bearer/basic credentials, `sk-…`, GitHub `ghp_…`/`github_pat_…`, AWS `AKIA…`, JWTs, PEM
 *   blocks, Slack `xox…-`, Google `AIza…`, Stripe keys, passwords in URLs, and `name=value` pairs
 *   whose name says secret.
 * - Every occurrence of a configured secret value (e.g. the values in a server's environment) is
 *   replaced; values shorter than `MIN_SECRET_LENGTH` are ignored, as they would mask ordinary text.
 * Redaction runs before anything is shortened, so a secret cut in half is never stored.
 */
import { compareKeys } from './canonical';
import type { JsonValue } from './records';

export const REDACTED = '[redacted]';
export const MIN_SECRET_LENGTH = 4;

export interface RedactionLimits {
  /** Longest string kept, in characters; longer ones are cut and say how much was cut. */
  readonly maxStringChars: number;
  readonly maxItems: number;
  readonly maxDepth: number;
}

export const DEFAULT_LIMITS: RedactionLimits = { maxStringChars: 1000, maxItems: 100, maxDepth: 20 };

/** Joined-up key spellings (separators removed, lower case) that name a secret wherever they appear. */
const SECRET_KEY_PARTS = ['password', 'passwd', 'passphrase', 'secret', 'apikey', 'privatekey', 'accesskey', 'credential', 'authorization', 'cookie', 'sessionid'];
/** Words that name a secret when they are a whole word of the key (`auth`, but not `author`). */
const SECRET_KEY_WORDS = new Set(['token', 'pwd', 'auth', 'jwt', 'bearer', 'otp']);

const TEXT_PATTERNS: readonly { readonly pattern: RegExp; readonly keep?: number }[] = [
  { pattern: /-----BEGIN [A-Z0-9 ]{0,40}-----[\s\S]*?(?:-----END [A-Z0-9 ]{0,40}-----|$)/g },
  { pattern: /(\bbearer\s+)[A-Za-z0-9._~+/-]{8,}=*/gi, keep: 1 },
  { pattern: /(\bbasic\s+)(?=[A-Za-z0-9+/]*[0-9+/=])[A-Za-z0-9+/]{8,}=*/gi, keep: 1 },
  { pattern: /\bsk-[A-Za-z0-9_-]{16,}/g },
  { pattern: /\b(?:gh[pousr]_[A-Za-z0-9]{20,}|github_pat_[A-Za-z0-9_]{20,})/g },
  { pattern: /\b(?:AKIA|ASIA)[0-9A-Z]{16}\b/g },
  { pattern: /\beyJ[A-Za-z0-9_-]{2,}\.[A-Za-z0-9_-]{2,}\.[A-Za-z0-9_-]{2,}/g },
  { pattern: /\bxox[abprs]-[A-Za-z0-9-]{10,}/g },
  { pattern: /\bAIza[0-9A-Za-z_-]{35}/g },
  { pattern: /\b[rs]k_(?:live|test)_[0-9A-Za-z]{16,}/g },
  { pattern: /(\b[a-z][a-z0-9+.-]*:\/\/[^\s:@/]+:)[^\s@/]+(?=@)/gi, keep: 1 },
  {
    pattern: /(\b[\w.-]*(?:passw(?:or)?d|passphrase|secret|api[_-]?key|access[_-]?key|private[_-]?key|credential|auth(?:orization)?|token)["']?\s*[=:]\s*["']?)(?!bearer\s|basic\s|\[redacted\])[^\s"'&,;}]+/gi,
    keep: 1,
  },
];

/** One pass that rules out most text before the patterns run one by one (case-insensitive: a superset). */
const ANY_PATTERN = new RegExp(TEXT_PATTERNS.map((p) => `(?:${p.pattern.source})`).join('|'), 'i');

/** Keys repeat from call to call; their verdicts are remembered, up to a bound. */
const keyVerdicts = new Map<string, boolean>();
const MAX_REMEMBERED_KEYS = 4096;

export class Redactor {
  private readonly secrets: readonly string[];

  constructor(
    secretValues: readonly string[] = [],
    private readonly limits: RedactionLimits = DEFAULT_LIMITS,
  ) {
    // Longest first, so a secret that contains another is masked whole.
    this.secrets = [...new Set(secretValues.filter((s) => s.length >= MIN_SECRET_LENGTH))].sort((a, b) => b.length - a.length);
  }

  /** A redacted copy of a JSON value, keys in canonical order, containers and strings capped. */
  value(value: unknown, depth = 0): JsonValue {
    if (value === null || typeof value === 'boolean') return value;
    if (typeof value === 'number') return Number.isFinite(value) ? value : null;
    if (typeof value === 'string') return this.text(value, this.limits.maxStringChars);
    if (depth >= this.limits.maxDepth) return '[too deeply nested]';
    if (Array.isArray(value)) {
      const items = value.slice(0, this.limits.maxItems).map((item) => this.value(item, depth + 1));
      if (value.length > this.limits.maxItems) items.push(`[${value.length - this.limits.maxItems} more items]`);
      return items;
    }
    if (typeof value !== 'object') return null;
    const entries = Object.entries(value)
      .filter(([, v]) => v !== undefined)
      .sort((a, b) => compareKeys(a[0], b[0]));
    const out: { [key: string]: JsonValue } = {};
    for (const [key, item] of entries.slice(0, this.limits.maxItems)) {
      out[this.text(key, this.limits.maxStringChars)] = isSecretKey(key) && !isHarmless(item) ? REDACTED : this.value(item, depth + 1);
    }
    if (entries.length > this.limits.maxItems) out['[more]'] = `${entries.length - this.limits.maxItems} more keys`;
    return out;
  }

  /** Text with secrets replaced, then cut to `maxChars` (saying how much was cut). */
  text(text: string, maxChars: number): string {
    // Look at a window a few times longer than what is kept, so a long text costs little.
    const window = text.length > maxChars * 4 + 64 ? text.slice(0, maxChars * 4 + 64) : text;
    let out = window;
    for (const secret of this.secrets) if (out.includes(secret)) out = out.split(secret).join(REDACTED);
    if (ANY_PATTERN.test(out)) out = replacePatterns(out);
    return out.length > maxChars || text.length > window.length ? cut(out, maxChars, text.length - window.length) : out;
  }
}

function replacePatterns(text: string): string {
  let out = text;
  for (const { pattern, keep } of TEXT_PATTERNS) {
    out = out.replace(pattern, (...groups: unknown[]) => `${keep ? String(groups[keep] ?? '') : ''}${REDACTED}`);
  }
  return out;
}

/** True when a key names a secret: `apiKey`, `X-Api-Key`, `DB_PASSWORD`, `authToken`, `Cookie`… */
export function isSecretKey(key: string): boolean {
  let verdict = keyVerdicts.get(key);
  if (verdict === undefined) {
    if (keyVerdicts.size >= MAX_REMEMBERED_KEYS) keyVerdicts.clear();
    verdict = judgeKey(key);
    keyVerdicts.set(key, verdict);
  }
  return verdict;
}

function judgeKey(key: string): boolean {
  const joined = key.toLowerCase().replace(/[^a-z0-9]/g, '');
  if (SECRET_KEY_PARTS.some((part) => joined.includes(part))) return true;
  const words = key.match(/[A-Z]+(?![a-z])|[A-Z]?[a-z]+|\d+/g) ?? [];
  return words.some((word) => {
    const lower = word.toLowerCase();
    return SECRET_KEY_WORDS.has(lower) || (lower.endsWith('token') && lower !== 'tokens');
  });
}

function isHarmless(value: unknown): boolean {
  return value === null || typeof value === 'boolean' || value === '';
}

/** `text` cut to `maxChars`; `unseen` characters were already dropped before it was redacted. */
function cut(text: string, maxChars: number, unseen: number): string {
  let end = Math.min(maxChars, text.length);
  // Never leave half of a surrogate pair.
  const last = text.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end -= 1;
  const dropped = text.length - end + unseen;
  return dropped > 0 ? `${text.slice(0, end)}… [${dropped} more characters]` : text.slice(0, end);
}
