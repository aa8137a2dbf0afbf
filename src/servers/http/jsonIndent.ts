/**
 * Pretty-prints JSON as it streams in, two spaces per level, without parsing it into values: the
 * body never has to be held whole, and strings and numbers come out exactly as the server wrote
 * them (no re-escaping, no loss of precision in large numbers). A body that does not start like
 * JSON, or whose brackets stop balancing, is passed through unchanged from that point on.
 */
const INDENT = '  ';

export class JsonIndenter {
  private mode: 'start' | 'json' | 'raw' = 'start';
  private depth = 0;
  private inString = false;
  private escaped = false;
  /** An opening bracket whose line break waits until we know the container is not empty. */
  private openPending = false;
  private out = '';

  write(chunk: string): string {
    for (let i = 0; i < chunk.length; i += 1) {
      if (this.mode === 'raw') {
        this.out += chunk.slice(i);
        break;
      }
      this.step(chunk.charAt(i));
    }
    const text = this.out;
    this.out = '';
    return text;
  }

  end(): string {
    return '';
  }

  private step(c: string): void {
    if (this.inString) {
      this.out += c;
      if (this.escaped) this.escaped = false;
      else if (c === '\\') this.escaped = true;
      else if (c === '"') this.inString = false;
      return;
    }
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') return;
    if (this.mode === 'start') {
      if (!/[[{"\-0-9tfn]/.test(c)) {
        this.mode = 'raw';
        this.out += c;
        return;
      }
      this.mode = 'json';
    }
    if (this.openPending) {
      this.openPending = false;
      if (c === '}' || c === ']') {
        this.depth -= 1;
        this.out += c;
        return;
      }
      this.newline();
    }
    switch (c) {
      case '{':
      case '[':
        this.out += c;
        this.depth += 1;
        this.openPending = true;
        return;
      case '}':
      case ']':
        if (this.depth === 0) {
          this.mode = 'raw';
          this.out += c;
          return;
        }
        this.depth -= 1;
        this.newline();
        this.out += c;
        return;
      case ',':
        this.out += ',';
        this.newline();
        return;
      case ':':
        this.out += ': ';
        return;
      case '"':
        this.inString = true;
        this.out += c;
        return;
      default:
        this.out += c;
    }
  }

  private newline(): void {
    this.out += `\n${INDENT.repeat(this.depth)}`;
  }
}

/** Re-indents a whole document at once. */
export function indentJson(json: string): string {
  const indenter = new JsonIndenter();
  return indenter.write(json) + indenter.end();
}
