// Places extensions into a code-server profile's extensions folder before code-server starts, as
// an install leaves them: when it sets up a new profile, code-server registers every extension it
// finds there. This is how a second extension joins the one in development: the web workbench
// reads its URL payload into a Map, so a second extensionDevelopmentPath entry replaces the first.
import { cpSync, mkdirSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';

/**
 * Assembles one extension in extensionsDir from its manifest (a package.json whose `main` is a
 * file in `code`) and the .js files of the folder `code`. The code is copied, not linked: the
 * extension host finds the extension behind a require('vscode') by the real path of the file
 * that calls it. Returns the extension's folder.
 */
export function placeExtension(extensionsDir, { manifest, code }) {
  const { publisher, name, version } = JSON.parse(readFileSync(manifest, 'utf8'));
  const folder = path.join(extensionsDir, `${publisher}.${name}-${version}`);
  mkdirSync(folder, { recursive: true });
  cpSync(manifest, path.join(folder, 'package.json'));
  for (const file of readdirSync(code)) {
    if (file.endsWith('.js')) cpSync(path.join(code, file), path.join(folder, file));
  }
  return folder;
}
