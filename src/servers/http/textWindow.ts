/**
 * The part of a text stream one call returns: skip `offset` bytes (UTF-8), keep at most
 * `maxBytes`, and notice when more follows. Only the kept bytes are held. A cut never splits a
 * character: an offset inside a character starts at the next one, and the end is cut back to the
 * last whole character.
 */
export interface WindowResult {
  readonly text: string;
  /** Where the returned text starts, in bytes of the whole text. */
  readonly start: number;
  readonly bytes: number;
  /** More text follows the returned part. */
  readonly truncated: boolean;
  /** Bytes of text seen in all (the whole text's length when nothing was cut). */
  readonly seenBytes: number;
}

export class TextWindow {
  private skipLeft: number;
  private aligning: boolean;
  private start: number;
  private readonly kept: Buffer[] = [];
  private keptBytes = 0;
  private seen = 0;
  private full = false;

  constructor(
    offset: number,
    private readonly maxBytes: number,
  ) {
    this.skipLeft = offset;
    this.start = offset;
    this.aligning = offset > 0;
  }

  /** Adds text; answers true once the window is full and more text exists (stop reading). */
  push(text: string): boolean {
    if (this.full || text === '') return this.full;
    const bytes = Buffer.from(text, 'utf8');
    this.seen += bytes.length;
    let from = Math.min(this.skipLeft, bytes.length);
    this.skipLeft -= from;
    if (this.skipLeft > 0) return false;
    if (this.aligning) {
      while (from < bytes.length && isContinuation(bytes[from])) {
        from += 1;
        this.start += 1;
      }
      if (from === bytes.length) return false;
      this.aligning = false;
    }
    const room = this.maxBytes - this.keptBytes;
    const rest = bytes.length - from;
    if (rest <= room) {
      this.keep(bytes.subarray(from));
      return false;
    }
    this.keep(bytes.subarray(from, from + wholeCharacters(bytes, from, room)));
    this.full = true;
    return true;
  }

  result(): WindowResult {
    const content = Buffer.concat(this.kept);
    return { text: content.toString('utf8'), start: this.start, bytes: this.keptBytes, truncated: this.full, seenBytes: this.seen };
  }

  private keep(bytes: Buffer): void {
    if (bytes.length === 0) return;
    this.kept.push(Buffer.from(bytes));
    this.keptBytes += bytes.length;
  }
}

function isContinuation(byte: number | undefined): boolean {
  return byte !== undefined && (byte & 0xc0) === 0x80;
}

/** The most bytes from `from`, at most `room`, that end on a character boundary. */
function wholeCharacters(bytes: Buffer, from: number, room: number): number {
  let length = room;
  while (length > 0 && isContinuation(bytes[from + length])) length -= 1;
  return length;
}
