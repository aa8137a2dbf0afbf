/** What find and search share: where a walk starts, and how to explain where it stopped. */
import * as fs from 'node:fs';
import { ToolError } from '../../shared/toolResult';
import { GlobError, compileGlob, type Glob } from '../glob';
import { quote, type Jail, type JailedPath } from '../jail';
import type { WalkLimits, WalkSummary } from '../walk';

/** A directory to walk from, resolved by the jail. */
export function resolveDirectory(jail: Jail, shown: string, tool: string): JailedPath {
  const start = jail.resolve(shown);
  if (!fs.statSync(start.real).isDirectory()) {
    throw new ToolError(`${quote(shown)} is a file, not a directory; ${tool} needs a directory to start in (or leave path out for the first workspace folder).`);
  }
  return start;
}

/** Why a walk ended early, in words a model can act on; undefined when it saw the whole tree. */
export function stopNote(summary: WalkSummary, limits: WalkLimits): string | undefined {
  switch (summary.stoppedBy) {
    case undefined:
      return undefined;
    case 'directories':
      return `Stopped after visiting ${limits.maxDirectories} directories; results may be missing. Narrow path or exclude large directories.`;
    case 'entries':
      return `Stopped after seeing ${limits.maxEntries} entries; results may be missing. Narrow path or exclude large directories.`;
    case 'cancelled':
      return 'Stopped because the call was cancelled.';
  }
}

/** A glob from a tool argument; a bad one is the model's to fix, so the message names the field. */
export function compileToolGlob(pattern: string, field: string, anyDepth = false): Glob {
  try {
    return compileGlob(pattern, { anyDepth });
  } catch (error) {
    if (error instanceof GlobError) throw new ToolError(`Invalid ${field} ${quote(pattern)}: ${error.message}`);
    throw error;
  }
}
