/**
 * Turns HTML into readable text, streaming: each `write` returns the text its chunk completed.
 * htmlparser2 does the tokenising (raw-text elements, entities, implied end tags, malformed
 * markup); this file only lays out what it reports:
 * - script, style, noscript, template, svg, iframe, object, embed, canvas and select are dropped;
 * - headings become "# Title" lines, paragraphs and blocks are separated by a blank line;
 * - list items become "- item" or "1. item", indented by nesting;
 * - links become "text (absolute url)" (not for same-page #anchors or javascript:);
 * - images contribute their alt text; table cells are joined with " | ", one row a line;
 * - whitespace collapses to single spaces, except inside <pre>.
 */
import type { Parser } from 'htmlparser2';

const DROPPED = new Set(['script', 'style', 'noscript', 'template', 'svg', 'math', 'iframe', 'object', 'embed', 'canvas', 'select']);
const PARAGRAPHS = new Set([
  'p', 'blockquote', 'pre', 'table', 'dl', 'figure', 'form', 'fieldset', 'section', 'article', 'header', 'footer',
  'main', 'nav', 'aside', 'address', 'details', 'hgroup', 'hr', 'title', 'ul', 'ol',
]);
const LINES = new Set(['div', 'tr', 'li', 'dt', 'dd', 'summary', 'figcaption', 'caption', 'legend', 'option', 'body']);
const HEADINGS: Readonly<Record<string, number>> = { h1: 1, h2: 2, h3: 3, h4: 4, h5: 5, h6: 6 };
const MAX_LINK_TEXT = 500;

interface OpenList {
  readonly ordered: boolean;
  next: number;
}

interface OpenLink {
  readonly url: string | undefined;
  text: string;
}

export class HtmlToText {
  private readonly parser: Parser;
  private out = '';
  private started = false;
  /** How many line breaks the text written so far ends with. */
  private trailingBreaks = 0;
  private atLineStart = true;
  private pendingBreak = 0;
  private pendingSpace = false;
  private marker: string | undefined;
  private cellSeparator = false;
  /** A link's url was just written: a following word gets a space, following punctuation does not. */
  private afterUrl = false;
  private dropDepth = 0;
  private preDepth = 0;
  private preFresh = false;
  private baseUrl: string;
  private baseSet = false;
  private readonly lists: OpenList[] = [];
  private readonly links: OpenLink[] = [];

  constructor(baseUrl: string) {
    this.baseUrl = baseUrl;
    // Required on the first HTML page, not imported: the parser and its entity tables are most of
    // the server's bundle, and a server that fetches no HTML should not load them at start-up.
    const { Parser: HtmlParser } = require('htmlparser2') as typeof import('htmlparser2');
    this.parser = new HtmlParser(
      {
        onopentag: (name, attributes) => this.open(name, attributes),
        onclosetag: (name) => this.close(name),
        ontext: (text) => this.text(text),
      },
      { decodeEntities: true, lowerCaseTags: true, lowerCaseAttributeNames: true },
    );
  }

  write(html: string): string {
    this.parser.write(html);
    return this.take();
  }

  end(): string {
    this.parser.end();
    return this.take();
  }

  private take(): string {
    const text = this.out;
    this.out = '';
    return text;
  }

  private open(name: string, attributes: Record<string, string>): void {
    if (this.dropDepth > 0 || DROPPED.has(name)) {
      this.dropDepth += 1;
      return;
    }
    const level = HEADINGS[name];
    if (level !== undefined) {
      this.block(2);
      this.marker ??= `${'#'.repeat(level)} `;
    } else if (name === 'li') {
      this.block(1);
      const list = this.lists[this.lists.length - 1];
      const depth = Math.max(this.lists.length - 1, 0);
      this.marker = `${'  '.repeat(depth)}${list?.ordered === true ? `${list.next++}. ` : '- '}`;
    } else if (name === 'ul' || name === 'ol') {
      this.block(this.lists.length > 0 ? 1 : 2);
      const start = Number.parseInt(attributes['start'] ?? '1', 10);
      this.lists.push({ ordered: name === 'ol', next: Number.isFinite(start) ? start : 1 });
    } else if (PARAGRAPHS.has(name)) {
      this.block(2);
    } else if (LINES.has(name)) {
      this.block(1);
    }
    if (name === 'tr') this.cellSeparator = false;
    else if (name === 'td' || name === 'th') this.cell();
    else if (name === 'br') this.lineBreak();
    else if (name === 'pre') {
      this.preDepth += 1;
      this.preFresh = true;
    } else if (name === 'a') this.links.push({ url: this.linkUrl(attributes['href']), text: '' });
    else if (name === 'img' && attributes['alt'] !== undefined) this.text(` ${attributes['alt']} `);
    else if (name === 'base' && !this.baseSet && attributes['href'] !== undefined) {
      this.baseSet = true;
      this.baseUrl = absolute(attributes['href'], this.baseUrl) ?? this.baseUrl;
    }
  }

  private close(name: string): void {
    if (this.dropDepth > 0) {
      this.dropDepth -= 1;
      return;
    }
    if (name === 'a') {
      const link = this.links.pop();
      const text = link?.text.trim() ?? '';
      if (link?.url !== undefined && text !== '' && text !== link.url) {
        this.word(`(${link.url})`, true);
        this.afterUrl = true;
      }
    } else if (name === 'ul' || name === 'ol') {
      this.lists.pop();
      this.block(this.lists.length > 0 ? 1 : 2);
    } else if (name === 'pre') {
      this.preDepth = Math.max(this.preDepth - 1, 0);
      this.block(2);
    } else if (name === 'td' || name === 'th') {
      this.cellSeparator = true;
    } else if (HEADINGS[name] !== undefined || PARAGRAPHS.has(name)) {
      this.marker = undefined; // an empty heading leaves no marker behind
      this.block(2);
    } else if (LINES.has(name)) {
      if (name === 'li') this.marker = undefined;
      this.block(1);
    }
  }

  private text(raw: string): void {
    if (this.dropDepth > 0 || raw === '') return;
    if (this.preDepth > 0) {
      const text = this.preFresh && raw.startsWith('\n') ? raw.slice(1) : raw;
      this.preFresh = false;
      if (text !== '') this.preformatted(text);
      return;
    }
    this.preFresh = false;
    const words = raw.split(/[\s\u00a0]+/);
    if (words[0] === '') this.pendingSpace = true;
    words.forEach((w, i) => {
      if (w === '') return;
      if (i > 0) this.pendingSpace = true;
      this.word(w, false);
    });
    if (words.length > 1 && words[words.length - 1] === '') this.pendingSpace = true;
  }

  /** Asks for `count` line breaks before the next text (unless a list marker is still waiting). */
  private block(count: number): void {
    if (this.marker !== undefined) return;
    this.pendingBreak = Math.max(this.pendingBreak, count);
  }

  private lineBreak(): void {
    this.pendingBreak = Math.min(this.pendingBreak + 1, 2);
  }

  private cell(): void {
    if (this.cellSeparator) {
      this.flush(false);
      this.emit(' | ');
      this.pendingSpace = false;
    }
  }

  /** Writes the pending breaks, then a list or heading marker, then (if asked) a space. */
  private flush(spaceBefore: boolean): void {
    if (this.pendingBreak > this.trailingBreaks && this.started) {
      this.emit('\n'.repeat(this.pendingBreak - this.trailingBreaks));
      this.atLineStart = true;
    }
    this.pendingBreak = 0;
    if (this.atLineStart) {
      if (this.marker !== undefined) this.emit(this.marker);
      else if (this.lists.length > 0) this.emit('  '.repeat(this.lists.length));
      this.marker = undefined;
      this.atLineStart = false;
      this.cellSeparator = false;
    } else if (spaceBefore) {
      this.emit(' ');
    }
    this.pendingSpace = false;
  }

  private word(word: string, forceSpace: boolean): void {
    const spaceAfterUrl = this.afterUrl && /^[\p{L}\p{N}([{"'“‘]/u.test(word);
    this.afterUrl = false;
    this.flush(this.pendingSpace || forceSpace || spaceAfterUrl);
    this.emit(word);
    const link = this.links[this.links.length - 1];
    if (link !== undefined && !forceSpace && link.text.length < MAX_LINK_TEXT) link.text += (link.text === '' ? '' : ' ') + word;
  }

  /** Writes text as it is, holding back its final line breaks until more text follows. */
  private preformatted(text: string): void {
    const body = text.replace(/\n+$/, '');
    const breaks = text.length - body.length;
    this.afterUrl = false;
    if (body !== '') {
      this.flush(this.pendingSpace);
      this.emit(body);
    }
    this.pendingBreak += breaks;
  }

  private emit(text: string): void {
    this.out += text;
    this.started = true;
    const trailing = /\n*$/.exec(text)?.[0].length ?? 0;
    this.trailingBreaks = trailing === text.length ? this.trailingBreaks + trailing : trailing;
  }

  private linkUrl(href: string | undefined): string | undefined {
    const trimmed = href?.trim();
    if (trimmed === undefined || trimmed === '' || trimmed.startsWith('#')) return undefined;
    const url = absolute(trimmed, this.baseUrl);
    if (url === undefined) return trimmed;
    return /^(javascript|data|vbscript):/i.test(url) ? undefined : url;
  }
}

function absolute(href: string, base: string): string | undefined {
  try {
    return new URL(href, base).href;
  } catch {
    return undefined;
  }
}

/** Converts a whole document at once. */
export function htmlToText(html: string, baseUrl: string): string {
  const converter = new HtmlToText(baseUrl);
  return converter.write(html) + converter.end();
}
