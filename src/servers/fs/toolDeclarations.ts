/**
 * The filesystem tools' declarations at the default limits, without running a server: the source
 * for package.json's language-model tool contributions, which must be static.
 */
import os from 'node:os';
import type { Tool } from '../../core/protocol/types';
import { createJail } from './jail';
import { DEFAULT_MAX_BYTES } from './options';
import { listDirTool } from './tools/listDir';
import { readTextTool } from './tools/readText';

export function fsToolDeclarations(): Tool[] {
  const jail = createJail([os.tmpdir()]);
  return [readTextTool(jail, { maxBytes: DEFAULT_MAX_BYTES }).tool, listDirTool(jail).tool];
}
