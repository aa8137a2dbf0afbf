// Builds every entry point: one esbuild bundle each for the extension and each built-in server,
// then compiles the tests (and the sources they import) with tsc into out/.
// Usage: node scripts/build.mjs [--production] [--bundles-only] [--clean]
// Outputs are overwritten in place; --clean empties dist/ and out/ first (npm test does), so a
// build never pulls files out from under a test run that is reading them.
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { protocolValidatorsPlugin } from './build/protocolValidators.mjs';
import { lazyBuiltinsPlugin } from './build/lazyBuiltins.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const production = process.argv.includes('--production');
const bundlesOnly = process.argv.includes('--bundles-only');
const clean = process.argv.includes('--clean');

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: !production,
  minify: production,
  logLevel: 'warning',
  absWorkingDir: root,
  // jsonc-parser's "main" is a UMD build whose require('./impl/…') calls esbuild cannot follow (it
  // bundles them unresolved, without a warning, and they fail at run time); its ES module build can be.
  alias: { 'jsonc-parser': 'jsonc-parser/lib/esm/main.js' },
};

/** In a server bundle, Ajv's compiler is required from the bundles beside it, when first needed. */
const compilerBesideServers = {
  name: 'warden-compiler-beside-servers',
  setup(b) {
    b.onResolve({ filter: /^ajv(\/dist\/2020)?$/ }, (args) =>
      args.kind === 'require-call' ? { path: args.path === 'ajv' ? './ajv-draft07.js' : './ajv-2020.js', external: true } : undefined,
    );
  },
};

export const entries = [
  { in: 'src/vscode/extension.ts', out: 'dist/extension.js', external: ['vscode'] },
  { in: 'src/servers/fs/main.ts', out: 'dist/servers/fs.js', external: [] },
  { in: 'src/servers/sqlite/main.ts', out: 'dist/servers/sqlite.js', external: [] },
  { in: 'src/servers/sqlite/worker.ts', out: 'dist/servers/sqlite-worker.js', external: [] },
  { in: 'src/servers/http/main.ts', out: 'dist/servers/http.js', external: [] },
  // Ajv's compiler, which the servers load when a tool is first called (src/servers/shared/compilerBundles.ts).
  { in: 'node_modules/ajv/dist/2020.js', out: 'dist/servers/ajv-2020.js', external: [] },
  { in: 'node_modules/ajv/dist/ajv.js', out: 'dist/servers/ajv-draft07.js', external: [] },
  { in: 'src/gateway/main.ts', out: 'dist/gateway.js', external: [] },
];

if (clean) rmSync(path.join(root, 'dist'), { recursive: true, force: true });
const protocolValidators = await protocolValidatorsPlugin(root);
const lazyBuiltins = lazyBuiltinsPlugin(['crypto', 'http', 'https', 'dns', 'zlib', 'tls']);
await Promise.all(
  entries.map((e) => {
    const plugins = e.out.startsWith('dist/servers/') ? [protocolValidators, compilerBesideServers, lazyBuiltins] : [protocolValidators];
    return build({ ...common, entryPoints: [e.in], outfile: e.out, external: e.external, plugins });
  }),
);
// sql.js's JavaScript is bundled; its WebAssembly module is loaded at run time from beside the bundle.
mkdirSync(path.join(root, 'dist/servers'), { recursive: true });
copyFileSync(path.join(root, 'node_modules/sql.js/dist/sql-wasm.wasm'), path.join(root, 'dist/servers/sql-wasm.wasm'));

if (!bundlesOnly) {
  if (clean) rmSync(path.join(root, 'out'), { recursive: true, force: true });
  const tsc = spawnSync(process.execPath, [path.join(root, 'node_modules/typescript/bin/tsc'), '-p', root], {
    stdio: 'inherit',
  });
  if (tsc.status !== 0) {
    console.error('build: the TypeScript compiler reported errors (above).');
    process.exit(tsc.status ?? 1);
  }
}
