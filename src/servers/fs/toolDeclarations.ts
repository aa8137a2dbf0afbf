/**
 * The filesystem tools' declarations at the default limits, without running a server: the source
 * for package.json's language-model tool contributions, which must be static.
 */
import os from 'node:os';
import type { Tool } from '../../core/protocol/types';
import { createJail } from './jail';
import { DEFAULT_MAX_BYTES } from './options';
import { fsTools } from './server';

export function fsToolDeclarations(): Tool[] {
  return fsTools(createJail([os.tmpdir()]), DEFAULT_MAX_BYTES).map((t) => t.tool);
}
