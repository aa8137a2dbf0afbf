/**
 * Finds characters a person reading a tool's definition cannot see but a model reads: zero-width
 * characters, bidirectional controls that reorder text, Unicode tag characters (which can spell a
 * whole hidden sentence), variation selectors used to smuggle data, and control characters. Tool
 * poisoning hides instructions this way; a tool whose definition holds any needs a person's approval.
 */
import type { ToolSnapshot } from './toolFingerprint';

export interface HiddenCharacter {
  /** "U+200B" */
  readonly codePoint: string;
  readonly name: string;
  readonly count: number;
}

export interface HiddenCharacterFinding {
  /** Where in the definition: "description", "inputSchema/properties/path/description", a key's path. */
  readonly where: string;
  readonly characters: readonly HiddenCharacter[];
  /** Text spelled in Unicode tag characters (U+E0020..U+E007E mirror ASCII), when there is any. */
  readonly hiddenText?: string;
}

const RANGES: readonly (readonly [number, number, string])[] = [
  [0x0000, 0x0008, 'CONTROL CHARACTER'],
  [0x000b, 0x000c, 'CONTROL CHARACTER'],
  [0x000e, 0x001f, 'CONTROL CHARACTER'],
  [0x007f, 0x009f, 'CONTROL CHARACTER'],
  [0x00ad, 0x00ad, 'SOFT HYPHEN'],
  [0x034f, 0x034f, 'COMBINING GRAPHEME JOINER'],
  [0x061c, 0x061c, 'ARABIC LETTER MARK'],
  [0x115f, 0x1160, 'HANGUL FILLER'],
  [0x17b4, 0x17b5, 'KHMER INHERENT VOWEL'],
  [0x180b, 0x180f, 'MONGOLIAN FORMAT CHARACTER'],
  [0x200b, 0x200b, 'ZERO WIDTH SPACE'],
  [0x200c, 0x200c, 'ZERO WIDTH NON-JOINER'],
  [0x200d, 0x200d, 'ZERO WIDTH JOINER'],
  [0x200e, 0x200e, 'LEFT-TO-RIGHT MARK'],
  [0x200f, 0x200f, 'RIGHT-TO-LEFT MARK'],
  [0x202a, 0x202a, 'LEFT-TO-RIGHT EMBEDDING'],
  [0x202b, 0x202b, 'RIGHT-TO-LEFT EMBEDDING'],
  [0x202c, 0x202c, 'POP DIRECTIONAL FORMATTING'],
  [0x202d, 0x202d, 'LEFT-TO-RIGHT OVERRIDE'],
  [0x202e, 0x202e, 'RIGHT-TO-LEFT OVERRIDE'],
  [0x2060, 0x2060, 'WORD JOINER'],
  [0x2061, 0x2064, 'INVISIBLE OPERATOR'],
  [0x2066, 0x2066, 'LEFT-TO-RIGHT ISOLATE'],
  [0x2067, 0x2067, 'RIGHT-TO-LEFT ISOLATE'],
  [0x2068, 0x2068, 'FIRST STRONG ISOLATE'],
  [0x2069, 0x2069, 'POP DIRECTIONAL ISOLATE'],
  [0x206a, 0x206f, 'DEPRECATED FORMAT CHARACTER'],
  [0x3164, 0x3164, 'HANGUL FILLER'],
  // U+FE0F is left out: it follows most emoji.
  [0xfe00, 0xfe0e, 'VARIATION SELECTOR'],
  [0xfeff, 0xfeff, 'ZERO WIDTH NO-BREAK SPACE'],
  [0xffa0, 0xffa0, 'HALFWIDTH HANGUL FILLER'],
  [0xfff9, 0xfffb, 'INTERLINEAR ANNOTATION CHARACTER'],
  [0x1d173, 0x1d17a, 'MUSICAL FORMAT CHARACTER'],
  [0xe0000, 0xe007f, 'TAG CHARACTER'],
  [0xe0100, 0xe01ef, 'VARIATION SELECTOR SUPPLEMENT'],
];

/** Everything printable ASCII, tab and line breaks: nothing to look at. */
const PLAIN = /^[\x20-\x7e\t\n\r]*$/;

export function hiddenCharacterName(codePoint: number): string | undefined {
  for (const [first, last, name] of RANGES) {
    if (codePoint < first) return undefined;
    if (codePoint <= last) return name;
  }
  return undefined;
}

/** The hidden characters in one string, or undefined when it has none. */
export function scanText(text: string): Omit<HiddenCharacterFinding, 'where'> | undefined {
  if (PLAIN.test(text)) return undefined;
  const counts = new Map<number, number>();
  let hiddenText = '';
  for (const char of text) {
    const codePoint = char.codePointAt(0) ?? 0;
    if (hiddenCharacterName(codePoint) === undefined) continue;
    counts.set(codePoint, (counts.get(codePoint) ?? 0) + 1);
    if (codePoint >= 0xe0020 && codePoint <= 0xe007e) hiddenText += String.fromCodePoint(codePoint - 0xe0000);
  }
  if (counts.size === 0) return undefined;
  const characters = [...counts].map(([codePoint, count]) => ({
    codePoint: `U+${codePoint.toString(16).toUpperCase().padStart(4, '0')}`,
    name: hiddenCharacterName(codePoint) ?? 'UNKNOWN',
    count,
  }));
  return hiddenText.length > 0 ? { characters, hiddenText } : { characters };
}

/** Every string in the definition, keys included, checked; one finding per place with any. */
export function findHiddenCharacters(tool: ToolSnapshot): HiddenCharacterFinding[] {
  const findings: HiddenCharacterFinding[] = [];
  const visit = (value: unknown, where: string): void => {
    if (typeof value === 'string') {
      const found = scanText(value);
      if (found) findings.push({ where, ...found });
    } else if (Array.isArray(value)) {
      value.forEach((item, i) => visit(item, `${where}/${i}`));
    } else if (typeof value === 'object' && value !== null) {
      for (const [key, item] of Object.entries(value)) {
        const path = where === '' ? key : `${where}/${key}`;
        visit(key, `${path} (the name)`);
        visit(item, path);
      }
    }
  };
  for (const [field, value] of Object.entries(tool)) visit(value, field);
  return findings;
}

/** "description: 3 × U+200B ZERO WIDTH SPACE; inputSchema/properties/q/description: hidden text "run rm -rf"" */
export function describeFindings(findings: readonly HiddenCharacterFinding[]): string {
  return findings
    .map((f) => {
      const chars = f.characters.map((c) => `${c.count} × ${c.codePoint} ${c.name}`).join(', ');
      return `${f.where}: ${chars}${f.hiddenText !== undefined ? ` spelling hidden text ${JSON.stringify(f.hiddenText)}` : ''}`;
    })
    .join('; ');
}
