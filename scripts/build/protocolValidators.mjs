// Compiles the protocol schemas (src/core/protocol/protocolSchemas.ts) ahead of time with Ajv's
// standalone code generation, and gives esbuild a plugin that puts the result in place of
// src/core/protocol/precompiledValidators.ts in a bundle. A bundled process then checks messages
// without loading Ajv's compiler at start-up; the options match schemas.ts's run-time compiler.
import { build } from 'esbuild';
import { createRequire } from 'node:module';
import path from 'node:path';

export async function protocolValidatorsPlugin(root) {
  const require = createRequire(path.join(root, 'package.json'));
  const loaded = await build({
    entryPoints: [path.join(root, 'src/core/protocol/protocolSchemas.ts')],
    bundle: true,
    write: false,
    format: 'cjs',
    platform: 'node',
    logLevel: 'warning',
  });
  const module = { exports: {} };
  new Function('module', 'exports', loaded.outputFiles[0].text)(module, module.exports);
  const schemas = module.exports.PROTOCOL_SCHEMAS;
  if (!schemas || Object.keys(schemas).length === 0) throw new Error('protocolSchemas.ts exports no PROTOCOL_SCHEMAS.');

  const { default: Ajv2020 } = require('ajv/dist/2020');
  const { default: standaloneCode } = require('ajv/dist/standalone');
  const ajv = new Ajv2020({ allErrors: false, strict: false, validateSchema: false, code: { source: true } });
  const names = Object.keys(schemas);
  for (const name of names) ajv.addSchema(schemas[name], name);
  const code = standaloneCode(ajv, Object.fromEntries(names.map((name) => [name, name])));
  const contents = `${code}\nexports.PRECOMPILED = { ${names.map((name) => `${name}: exports.${name}`).join(', ')} };\n`;

  return {
    name: 'warden-protocol-validators',
    setup(b) {
      b.onResolve({ filter: /[\\/]precompiledValidators$/ }, () => ({ path: 'protocol-validators', namespace: 'warden-generated' }));
      b.onLoad({ filter: /.*/, namespace: 'warden-generated' }, () => ({ contents, loader: 'js', resolveDir: root }));
    },
  };
}
