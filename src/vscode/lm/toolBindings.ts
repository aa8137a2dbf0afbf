/**
 * Which hosted tool each language-model tool in package.json's `languageModelTools` calls. The
 * contributions must be static, so the list is too; a test checks that both agree, schemas included.
 */
export interface ToolBinding {
  /** The `languageModelTools[].name` in package.json. */
  readonly name: string;
  readonly server: string;
  readonly tool: string;
  /** Says what the call does, in the chat's progress line. */
  readonly progressVerb: string;
}

export const LANGUAGE_MODEL_TOOL_BINDINGS: readonly ToolBinding[] = [
  { name: 'warden_fs_read_text', server: 'fs', tool: 'read_text', progressVerb: 'Reading' },
  { name: 'warden_fs_list_dir', server: 'fs', tool: 'list_dir', progressVerb: 'Listing' },
];
