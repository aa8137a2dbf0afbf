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
  { name: 'warden_fs_stat', server: 'fs', tool: 'stat', progressVerb: 'Inspecting' },
  { name: 'warden_fs_find', server: 'fs', tool: 'find', progressVerb: 'Finding files in' },
  { name: 'warden_fs_search', server: 'fs', tool: 'search', progressVerb: 'Searching' },
  { name: 'warden_sqlite_list_databases', server: 'sqlite', tool: 'list_databases', progressVerb: 'Listing databases in' },
  { name: 'warden_sqlite_list_tables', server: 'sqlite', tool: 'list_tables', progressVerb: 'Listing tables of' },
  { name: 'warden_sqlite_describe_table', server: 'sqlite', tool: 'describe_table', progressVerb: 'Describing a table of' },
  { name: 'warden_sqlite_query', server: 'sqlite', tool: 'query', progressVerb: 'Querying' },
  { name: 'warden_http_fetch', server: 'http', tool: 'fetch', progressVerb: 'Fetching' },
];
