/** The line test/fixtures/loadedModules.ts writes to stderr as a process exits. */
export const LOADED_MODULES_MARKER = 'loaded-modules: ';

export interface LoadedModules {
  /** The Node built-in modules loaded (`process.moduleLoadList`), or null where Node has no such list. */
  readonly builtins: readonly string[] | null;
  /** The files required (`require.cache`). */
  readonly files: readonly string[];
}
