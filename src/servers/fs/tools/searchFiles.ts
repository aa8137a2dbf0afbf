/**
 * The scanning half of search: reads the files a walk yields, within a byte and time budget, and
 * collects matching lines with their context. Each file is opened through the jail (so the
 * descriptor is proven to be the file the walk found) and read whole, as it is at most
 * `maxFileBytes`. The time budget is checked between files and every few thousand lines; a single
 * line cannot run long because the matcher is linear (see searchPattern.ts).
 */
import * as fs from 'node:fs';
import type { Glob } from '../glob';
import type { Jail } from '../jail';
import type { LineMatcher } from '../searchPattern';
import { readAt } from '../textRanges';
import type { WalkEntry, WalkLimits, WalkSummary } from '../walk';
import { stopNote } from './walkTools';

export interface SearchBudget {
  /** Larger files are skipped. */
  readonly maxFileBytes: number;
  /** The search stops once this many bytes were read. */
  readonly maxTotalBytes: number;
  readonly timeBudgetMs: number;
  /** Longer lines are cut in the answer (matching sees them whole). */
  readonly maxLineChars: number;
}

export interface SearchRequest {
  readonly matcher: LineMatcher;
  readonly include: Glob | undefined;
  readonly maxResults: number;
  readonly contextLines: number;
  readonly budget: SearchBudget;
  readonly limits: WalkLimits;
  readonly signal: AbortSignal;
  /** Milliseconds; tests may pass a clock. */
  readonly now?: () => number;
}

export interface SearchMatch {
  path: string;
  line: number;
  text: string;
  before: string[];
  after: string[];
}

export interface SearchOutcome {
  matches: SearchMatch[];
  truncated: boolean;
  filesSearched: number;
  bytesSearched: number;
  skipped: { binary: number; tooLarge: number; unreadable: number; secret: number };
  note?: string;
}

type Stop = 'results' | 'time' | 'bytes' | 'cancelled';

const SNIFF_BYTES = 8 * 1024;
const CLOCK_EVERY_LINES = 2048;
const YIELD_EVERY_FILES = 16;

export async function searchFiles(jail: Jail, files: AsyncIterable<WalkEntry>, summary: WalkSummary, request: SearchRequest): Promise<SearchOutcome> {
  const { budget } = request;
  const now = request.now ?? (() => performance.now());
  const started = now();
  const overTime = (): boolean => now() - started > budget.timeBudgetMs;
  const outcome: SearchOutcome = { matches: [], truncated: false, filesSearched: 0, bytesSearched: 0, skipped: { binary: 0, tooLarge: 0, unreadable: 0, secret: 0 } };
  let stop: Stop | undefined;
  let lastFile = '';
  for await (const entry of files) {
    if (entry.type !== 'file' || (request.include !== undefined && !request.include.matches(entry.relative))) continue;
    if (request.signal.aborted) stop = 'cancelled';
    else if (overTime()) stop = 'time';
    if (stop !== undefined) break;
    const content = readCandidate(jail, entry, budget, outcome);
    if (content === 'over-budget') {
      stop = 'bytes';
      break;
    }
    if (content === undefined) continue;
    lastFile = entry.relative;
    stop = scanLines(content.toString('utf8'), entry.relative, request, outcome, overTime);
    if (stop !== undefined) break;
    if (outcome.filesSearched % YIELD_EVERY_FILES === 0) await new Promise<void>((resolve) => setImmediate(resolve));
  }
  outcome.skipped.secret = summary.skippedSecret;
  outcome.truncated = stop !== undefined || summary.stoppedBy !== undefined;
  const note = stopReason(stop, request, lastFile) ?? stopNote(summary, request.limits);
  if (note !== undefined) outcome.note = note;
  return outcome;
}

/** The file's bytes, or undefined when it is skipped (counted), or 'over-budget'. */
function readCandidate(jail: Jail, entry: WalkEntry, budget: SearchBudget, outcome: SearchOutcome): Buffer | 'over-budget' | undefined {
  let opened;
  try {
    opened = jail.openFile(entry.real, entry.relative);
  } catch (error) {
    if (!(error instanceof Error)) throw error;
    outcome.skipped.unreadable += 1; // gone, not permitted, or changed under us
    return undefined;
  }
  try {
    const size = Number(opened.stat.size);
    if (!opened.stat.isFile()) {
      outcome.skipped.unreadable += 1;
      return undefined;
    }
    if (size > budget.maxFileBytes) {
      outcome.skipped.tooLarge += 1;
      return undefined;
    }
    if (outcome.bytesSearched + size > budget.maxTotalBytes) return 'over-budget';
    const content = readAt(opened.fd, size, 0);
    outcome.bytesSearched += content.length;
    if (content.subarray(0, SNIFF_BYTES).includes(0)) {
      outcome.skipped.binary += 1;
      return undefined;
    }
    outcome.filesSearched += 1;
    return content;
  } finally {
    fs.closeSync(opened.fd);
  }
}

function scanLines(text: string, relative: string, request: SearchRequest, outcome: SearchOutcome, overTime: () => boolean): Stop | undefined {
  const lines = text.split('\n').map((line) => (line.endsWith('\r') ? line.slice(0, -1) : line));
  if (lines.at(-1) === '') lines.pop(); // the newline that ends the file
  const n = request.contextLines;
  const clip = (line: string): string => clipLine(line, request.budget.maxLineChars);
  for (let i = 0; i < lines.length; i += 1) {
    if (i % CLOCK_EVERY_LINES === CLOCK_EVERY_LINES - 1 && overTime()) return 'time';
    const line = lines[i] ?? '';
    if (!request.matcher.matches(line)) continue;
    if (outcome.matches.length === request.maxResults) return 'results';
    outcome.matches.push({
      path: relative,
      line: i + 1,
      text: clip(line),
      before: lines.slice(Math.max(0, i - n), i).map(clip),
      after: lines.slice(i + 1, i + 1 + n).map(clip),
    });
  }
  return undefined;
}

function clipLine(line: string, max: number): string {
  if (line.length <= max) return line;
  const code = line.charCodeAt(max - 1);
  const cut = code >= 0xd800 && code <= 0xdbff ? max - 1 : max; // keep a surrogate pair whole
  return `${line.slice(0, cut)}…`;
}

function stopReason(stop: Stop | undefined, request: SearchRequest, lastFile: string): string | undefined {
  const narrow = 'Narrow path, include or query to search the rest.';
  switch (stop) {
    case undefined:
      return undefined;
    case 'results':
      return `Stopped at ${request.maxResults} matches; there are more. ${narrow} Or raise maxResults.`;
    case 'time':
      return `Stopped when the time budget of ${request.budget.timeBudgetMs / 1000} s ran out, in or after ${JSON.stringify(lastFile)}. ${narrow}`;
    case 'bytes':
      return `Stopped after reading ${request.budget.maxTotalBytes} bytes, the most one search reads. ${narrow}`;
    case 'cancelled':
      return 'Stopped because the call was cancelled.';
  }
}

/** The answer as grep-like text: `path:line: text` for a match, `path-line- text` for context. */
export function renderSearch(outcome: SearchOutcome): string {
  const out: string[] = [];
  for (const m of outcome.matches) {
    if (out.length > 0) out.push('--');
    m.before.forEach((text, k) => out.push(`${m.path}-${m.line - m.before.length + k}- ${text}`));
    out.push(`${m.path}:${m.line}: ${m.text}`);
    m.after.forEach((text, k) => out.push(`${m.path}-${m.line + 1 + k}- ${text}`));
  }
  if (outcome.matches.length === 0) out.push(`No matches (${outcome.filesSearched} files searched).`);
  if (outcome.note !== undefined) out.push(`[search: ${outcome.note}]`);
  return out.join('\n');
}
