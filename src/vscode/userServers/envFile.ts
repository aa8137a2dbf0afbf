/**
 * Parses a dotenv-style file: `KEY=VALUE` lines, `#` comments, optional `export `, single quotes
 * (literal), double quotes (with \n, \t, \", \\ escapes) and unquoted values with trailing
 * `# comments`. A malformed line is reported by number and skipped.
 */
export interface ParsedEnvFile {
  readonly vars: Record<string, string>;
  readonly errors: string[];
}

const KEY = /^[A-Za-z_][A-Za-z0-9_.-]*$/;

export function parseEnvFile(text: string): ParsedEnvFile {
  const vars: Record<string, string> = {};
  const errors: string[] = [];
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  lines.forEach((raw, index) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const body = line.startsWith('export ') ? line.slice('export '.length).trimStart() : line;
    const eq = body.indexOf('=');
    if (eq <= 0) {
      errors.push(`line ${index + 1}: expected KEY=VALUE`);
      return;
    }
    const key = body.slice(0, eq).trim();
    if (!KEY.test(key)) {
      errors.push(`line ${index + 1}: "${key}" is not a valid variable name`);
      return;
    }
    const value = parseValue(body.slice(eq + 1).trim());
    if (value === undefined) {
      errors.push(`line ${index + 1}: the value of ${key} has an unclosed quote`);
      return;
    }
    vars[key] = value;
  });
  return { vars, errors };
}

function parseValue(text: string): string | undefined {
  const quote = text[0];
  if (quote === "'" || quote === '"') {
    const end = closingQuote(text, quote);
    if (end < 0) return undefined;
    const inner = text.slice(1, end);
    return quote === "'" ? inner : unescapeDouble(inner);
  }
  const comment = text.search(/\s#/);
  return (comment >= 0 ? text.slice(0, comment) : text).trim();
}

function closingQuote(text: string, quote: string): number {
  for (let i = 1; i < text.length; i++) {
    if (quote === '"' && text[i] === '\\') i++;
    else if (text[i] === quote) return i;
  }
  return -1;
}

function unescapeDouble(text: string): string {
  return text.replace(/\\([nrt"\\])/g, (_m, c: string) => ({ n: '\n', r: '\r', t: '\t', '"': '"', '\\': '\\' })[c] ?? c);
}
