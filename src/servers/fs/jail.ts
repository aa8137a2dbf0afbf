/**
 * The filesystem jail: every path a tool receives passes through `Jail.resolve`, which answers
 * the canonical real path inside one of the workspace folders or throws a `PathError` that names
 * the input and says what to do instead.
 *
 * Paths: a relative path resolves against the FIRST folder; an absolute path must lie inside one
 * of the folders. Nothing is decoded or normalised beyond what the operating system does (`%2e`,
 * `~` and Unicode look-alikes of `.` and `/` are ordinary file-name characters).
 *
 * Order of checks, so that nothing outside the folders is revealed:
 * 1. shape (string, not empty, not too long, no NUL byte);
 * 2. lexical containment of the resolved path (before the file system is touched);
 * 3. real-path containment after every symbolic link is resolved;
 * 4. only then "not found" - and only when the part of the path that exists is itself inside.
 *
 * 5. the secret-file rules, on the real path relative to its folder AND on the path as written
 *    relative to its folder (so a link named `config` that leads to `.env` is denied, and so is a
 *    link named `.env` whatever it leads to).
 *
 * A dangling link inside a folder reports "not found" wherever it points: that tells whether the
 * link's fixed target exists, which a caller cannot steer, unlike a path it writes itself.
 *
 * Files are opened through `openFile`, which proves the descriptor is the file that was checked
 * (see verifiedOpen.ts).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ToolError } from '../shared/toolResult';
import { quote } from './quote';
import { SecretPolicy, secretDeniedMessage } from './secretFiles';
import { nodeOpenSystem, openVerified, type OpenSystem, type OpenedFile } from './verifiedOpen';

export { quote } from './quote';

export const MAX_PATH_CHARS = 4096;

/** What the jail needs from the file system; tests may pass their own. */
export interface PathSystem {
  /** Resolves every symbolic link; throws an error with `code` (ENOENT, ENOTDIR, ...) on failure. */
  realpath(p: string): string;
  /** Whether the (real) path is a directory. */
  isDirectory(p: string): boolean;
}

export const nodePathSystem: PathSystem = {
  realpath: (p) => fs.realpathSync.native(p),
  isDirectory: (p) => fs.statSync(p).isDirectory(),
};

export type PathErrorReason = 'invalid' | 'denied' | 'secret' | 'not-found';

/** A path the jail refused; a `ToolError`, so the model sees the message as an `isError` result. */
export class PathError extends ToolError {
  constructor(
    readonly reason: PathErrorReason,
    message: string,
  ) {
    super(message);
    this.name = 'PathError';
  }
}

/** A workspace folder: its canonical real path, and the spelling it was given (a lexical alias). */
export interface JailRoot {
  readonly real: string;
  readonly given: string;
}

export interface JailedPath {
  /** The input exactly as received. */
  readonly input: string;
  /** The canonical real path, inside `root`. */
  readonly real: string;
  /** The canonical folder that contains `real`. */
  readonly root: string;
  /** `real` relative to `root`, with `/` separators; '' for the folder itself. */
  readonly relative: string;
}

export interface JailOptions {
  /** The secret-file rules; the defaults when absent. */
  readonly secrets?: SecretPolicy;
  /** How files are opened; tests pass their own. */
  readonly open?: OpenSystem;
}

/** Thrown at start-up when a folder cannot serve as a root. */
export class JailSetupError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'JailSetupError';
  }
}

/** Canonicalises the folders (relative ones against `cwd`) and builds the jail. */
export function createJail(
  folders: readonly string[],
  system: PathSystem = nodePathSystem,
  cwd = process.cwd(),
  options: JailOptions = {},
): Jail {
  if (folders.length === 0) throw new JailSetupError('At least one workspace folder is required.');
  const roots: JailRoot[] = [];
  for (const folder of folders) {
    if (folder === '' || folder.includes('\0')) throw new JailSetupError(`Workspace folder ${quote(folder)} is not a valid path.`);
    const given = path.resolve(cwd, folder);
    let real: string;
    try {
      real = system.realpath(given);
    } catch (error) {
      throw new JailSetupError(`Workspace folder ${quote(folder)} does not exist or cannot be read (${errorCode(error)}).`);
    }
    if (!system.isDirectory(real)) throw new JailSetupError(`Workspace folder ${quote(folder)} is not a directory.`);
    if (!roots.some((r) => r.real === real)) roots.push({ real, given });
  }
  return new Jail(roots, system, options.secrets ?? SecretPolicy.defaults(), options.open ?? nodeOpenSystem);
}

export class Jail {
  constructor(
    readonly roots: readonly JailRoot[],
    private readonly system: PathSystem,
    readonly secrets: SecretPolicy = SecretPolicy.defaults(),
    private readonly openSystem: OpenSystem = nodeOpenSystem,
  ) {
    if (roots.length === 0) throw new JailSetupError('At least one workspace folder is required.');
  }

  /** The folders as the messages name them. */
  describeRoots(): string {
    return this.roots.map((r) => r.real).join(', ');
  }

  resolve(input: unknown): JailedPath {
    const text = checkShape(input);
    return this.resolveLexical(text, path.resolve(this.roots[0].real, text));
  }

  /** Resolves `lexical` (absolute), naming `text` in every message. */
  private resolveLexical(text: string, lexical: string): JailedPath {
    // A folder's given spelling counts too (a folder opened through a symbolic link); the real
    // path decides in the end either way.
    if (!this.isLexicallyInside(lexical)) throw this.denied(text, '');
    let real: string;
    try {
      real = this.system.realpath(lexical);
    } catch (error) {
      throw this.unresolved(text, lexical, error);
    }
    const root = this.rootOf(real);
    if (root === undefined) throw this.denied(text, ' through a symbolic link');
    const relative = toPosix(path.relative(root, real));
    const rule = this.secrets.ruleFor(relative, this.writtenRelative(lexical));
    if (rule !== undefined) throw new PathError('secret', secretDeniedMessage(rule, quote(text)));
    return { input: text, real, root, relative };
  }

  /**
   * The path as written, without following its last component: the real parent directory and the
   * name. For tools that describe a link rather than what it leads to.
   */
  resolveEntry(input: unknown): JailedPath {
    const text = checkShape(input);
    const lexical = path.resolve(this.roots[0].real, text);
    if (!this.isLexicallyInside(lexical)) throw this.denied(text, '');
    const asRoot = this.roots.find((r) => lexical === r.real || lexical === r.given);
    if (asRoot !== undefined) return { input: text, real: asRoot.real, root: asRoot.real, relative: '' };
    const parent = this.resolveLexical(text, path.dirname(lexical));
    const real = path.join(parent.real, path.basename(lexical));
    const relative = toPosix(path.relative(parent.root, real));
    const rule = this.secrets.ruleFor(relative, this.writtenRelative(lexical));
    if (rule !== undefined) throw new PathError('secret', secretDeniedMessage(rule, quote(text)));
    return { input: text, real, root: parent.root, relative };
  }

  /** The secret rule that denies a real path inside a folder (an entry being listed), if any. */
  secretRuleFor(real: string, written?: string): string | undefined {
    const root = this.rootOf(real);
    if (root === undefined) return undefined;
    return this.secrets.ruleFor(toPosix(path.relative(root, real)), written === undefined ? '' : this.writtenRelative(written));
  }

  /** Opens a file `resolve` returned, and proves the descriptor is that file. */
  openFile(real: string, shown: string): OpenedFile {
    return openVerified(real, shown, this.openSystem);
  }

  private isLexicallyInside(lexical: string): boolean {
    return this.roots.some((r) => isInside(lexical, r.real) || isInside(lexical, r.given));
  }

  /** The canonical folder that contains a canonical path, if any. */
  rootOf(real: string): string | undefined {
    return this.roots.find((r) => isInside(real, r.real))?.real;
  }

  /** A lexical path relative to the folder it lies in (by either spelling), `/`-separated. */
  private writtenRelative(lexical: string): string {
    for (const r of this.roots) {
      if (isInside(lexical, r.real)) return toPosix(path.relative(r.real, lexical));
      if (isInside(lexical, r.given)) return toPosix(path.relative(r.given, lexical));
    }
    return '';
  }

  private denied(input: string, how: string): PathError {
    return new PathError('denied', `Access denied: ${quote(input)} resolves outside the workspace folders (${this.describeRoots()})${how}.`);
  }

  /**
   * The path does not resolve. Explain why only when the deepest part that does resolve is inside
   * a folder; otherwise the answer would tell what exists behind a link that leads out.
   */
  private unresolved(input: string, lexical: string, error: unknown): PathError {
    const existing = this.deepestResolvable(lexical);
    if (existing === undefined || this.rootOf(existing) === undefined) return this.denied(input, ' through a symbolic link');
    const code = errorCode(error);
    switch (code) {
      case 'ENOENT':
      case 'ENOTDIR':
        return new PathError('not-found', `Not found: ${quote(input)} does not exist in the workspace folders (${this.describeRoots()}).`);
      case 'ELOOP':
        return new PathError('invalid', `Invalid path: ${quote(input)} has too many levels of symbolic links.`);
      case 'ENAMETOOLONG':
        return new PathError('invalid', `Invalid path: ${quote(input)} has a name too long for the file system.`);
      case 'EACCES':
      case 'EPERM':
        return new PathError('denied', `Access denied: the file system does not allow resolving ${quote(input)} (${code}).`);
      default:
        return new PathError('invalid', `Cannot resolve ${quote(input)} (${code}).`);
    }
  }

  private deepestResolvable(lexical: string): string | undefined {
    for (let p = path.dirname(lexical); ; p = path.dirname(p)) {
      try {
        return this.system.realpath(p);
      } catch {
        // Keep walking up whatever the reason; give up only at the top.
        if (path.dirname(p) === p) return undefined;
      }
    }
  }
}

function checkShape(input: unknown): string {
  if (typeof input !== 'string') {
    throw new PathError('invalid', `Invalid path: expected a string, got ${describeType(input)}.`);
  }
  if (input.length === 0) {
    throw new PathError('invalid', 'Invalid path: the path is empty. Use "." for the first workspace folder.');
  }
  if (input.length > MAX_PATH_CHARS) {
    throw new PathError('invalid', `Invalid path: ${quote(input)} is ${input.length} characters long; the limit is ${MAX_PATH_CHARS}.`);
  }
  if (input.includes('\0')) {
    throw new PathError('invalid', `Invalid path: ${quote(input)} contains a NUL byte.`);
  }
  return input;
}

/** `/`-separated, whatever the platform. */
export function toPosix(relative: string): string {
  return path.sep === '/' ? relative : relative.split(path.sep).join('/');
}

/** Separator-aware: `/ws-evil` is not inside `/ws`; `/ws` is inside itself. */
export function isInside(candidate: string, root: string): boolean {
  const relative = path.relative(root, candidate);
  if (relative === '') return true;
  if (path.isAbsolute(relative)) return false; // another drive on Windows
  return relative !== '..' && !relative.startsWith(`..${path.sep}`);
}


function describeType(value: unknown): string {
  if (value === null || value === undefined) return String(value);
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

function errorCode(error: unknown): string {
  if (error instanceof Error && 'code' in error && typeof error.code === 'string') return error.code;
  return error instanceof Error ? error.message : String(error);
}
