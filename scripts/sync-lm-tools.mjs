// Writes package.json's `languageModelTools` from the built-in servers' own tool declarations, so
// the schema a language model sees is exactly the one the server checks. Run after a build:
//   npm run build && npm run sync:lm-tools
// test/unit/lmToolContributions.test.ts fails when the two drift apart.
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const { LANGUAGE_MODEL_TOOL_BINDINGS } = require(path.join(root, 'out/src/vscode/lm/toolBindings.js'));
const { fsToolDeclarations } = require(path.join(root, 'out/src/servers/fs/toolDeclarations.js'));
const { sqliteToolDeclarations } = require(path.join(root, 'out/src/servers/sqlite/toolDeclarations.js'));
const { httpToolDeclarations } = require(path.join(root, 'out/src/servers/http/toolDeclarations.js'));

const declarations = { fs: fsToolDeclarations(), sqlite: sqliteToolDeclarations(), http: httpToolDeclarations() };
const presentation = {
  warden_fs_read_text: { referenceName: 'wardenReadText', icon: '$(file-text)', tags: ['files', 'read-only'] },
  warden_fs_list_dir: { referenceName: 'wardenListDir', icon: '$(folder-opened)', tags: ['files', 'read-only'] },
  warden_fs_stat: { referenceName: 'wardenStat', icon: '$(info)', tags: ['files', 'read-only'] },
  warden_fs_find: { referenceName: 'wardenFind', icon: '$(search)', tags: ['files', 'read-only'] },
  warden_fs_search: { referenceName: 'wardenSearch', icon: '$(search-fuzzy)', tags: ['files', 'read-only'] },
  warden_sqlite_list_databases: { referenceName: 'wardenSqlListDatabases', icon: '$(database)', tags: ['sqlite', 'database', 'read-only'] },
  warden_sqlite_list_tables: { referenceName: 'wardenSqlListTables', icon: '$(list-flat)', tags: ['sqlite', 'database', 'read-only'] },
  warden_sqlite_describe_table: { referenceName: 'wardenSqlDescribeTable', icon: '$(symbol-structure)', tags: ['sqlite', 'database', 'read-only'] },
  warden_sqlite_query: { referenceName: 'wardenSqlQuery', icon: '$(database)', tags: ['sqlite', 'database', 'read-only'] },
  warden_http_fetch: { referenceName: 'wardenFetch', icon: '$(globe)', tags: ['web', 'read-only'] },
};

const contributions = LANGUAGE_MODEL_TOOL_BINDINGS.map((binding) => {
  const tool = declarations[binding.server]?.find((t) => t.name === binding.tool);
  if (!tool) throw new Error(`No declaration for ${binding.server}.${binding.tool}, bound to ${binding.name}.`);
  const shown = presentation[binding.name];
  if (!shown) throw new Error(`Add how ${binding.name} is presented to scripts/sync-lm-tools.mjs.`);
  return {
    name: binding.name,
    displayName: `${tool.title ?? tool.name} (Warden)`,
    toolReferenceName: shown.referenceName,
    canBeReferencedInPrompt: true,
    icon: shown.icon,
    userDescription: tool.description.split('. ')[0] + '.',
    modelDescription: tool.description,
    inputSchema: tool.inputSchema,
    tags: ['warden', ...shown.tags],
  };
});

const { GENERIC_TOOLS } = require(path.join(root, 'out/src/vscode/lm/genericToolDeclarations.js'));
contributions.push(
  ...GENERIC_TOOLS.map((tool) => ({
    name: tool.name,
    displayName: `${tool.title} (Warden)`,
    toolReferenceName: tool.name === 'warden_list_tools' ? 'wardenTools' : 'wardenCall',
    canBeReferencedInPrompt: true,
    icon: tool.name === 'warden_list_tools' ? '$(tools)' : '$(play)',
    userDescription: tool.description.split('. ')[0] + '.',
    modelDescription: tool.description,
    inputSchema: tool.inputSchema,
    tags: ['warden'],
  })),
);

const manifestPath = path.join(root, 'package.json');
const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
manifest.contributes.languageModelTools = contributions;
writeFileSync(manifestPath, `${JSON.stringify(manifest, null, 2)}\n`);
console.log(`package.json: ${contributions.length} language-model tools written.`);
