// An esbuild plugin for the server bundles: the Node built-in modules named here are loaded when
// one of their exports is first used, not when the bundle starts. Each import of them becomes a
// module of getters (one per export, the names read from this Node at build time) that requires
// the real module on first access. Loading `crypto` alone takes ~9 ms of a server's start here
// (OpenSSL's set-up), and the fetch server's `https` pulls in `tls` and `crypto` as well; a server
// answering `initialize` needs none of them. test/process/serverStartup.test.ts holds the servers
// to that.
import { builtinModules, createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/**
 * @param {string[]} names built-in module names without the `node:` prefix
 * @returns {import('esbuild').Plugin}
 */
export function lazyBuiltinsPlugin(names) {
  for (const name of names) {
    if (!builtinModules.includes(name)) throw new Error(`lazyBuiltins: "${name}" is not a Node built-in module.`);
  }
  const filter = new RegExp(`^(?:node:)?(?:${names.map((n) => n.replace(/[/]/g, '\\/')).join('|')})$`);
  return {
    name: 'warden-lazy-builtins',
    setup(b) {
      b.onResolve({ filter }, (args) =>
        // The getters' own require is of the real module.
        args.namespace === 'lazy-builtin' ? { path: args.path, external: true } : { path: args.path.replace(/^node:/, ''), namespace: 'lazy-builtin' },
      );
      b.onLoad({ filter: /.*/, namespace: 'lazy-builtin' }, (args) => ({ contents: lazyModuleSource(args.path), loader: 'js' }));
    },
  };
}

function lazyModuleSource(name) {
  const exports = Object.keys(require(name)).filter((key) => key !== 'default' && /^[A-Za-z_$][\w$]*$/.test(key));
  const getters = exports.map((key) => `  ${key}: { enumerable: true, get: () => load().${key} },`).join('\n');
  return [
    `let loaded;`,
    `const load = () => (loaded ??= require(${JSON.stringify(`node:${name}`)}));`,
    `Object.defineProperties(module.exports, {`,
    getters,
    `});`,
  ].join('\n');
}
