// Builds the URL that opens the VS Code workbench served by code-server on a folder, with the
// options `code --extensionDevelopmentPath ... --extensionTestsPath ...` would take. code-server
// honours them only when started with `--vscode-option enable-smoke-test-driver`.

/** A vscode-remote URI naming a path on the machine code-server runs on. */
function remoteUri(origin, absPath) {
  const { host } = new URL(origin);
  return `vscode-remote://${host}${encodeURI(absPath)}`;
}

/**
 * origin: http://127.0.0.1:PORT; folder: the workspace folder to open;
 * extensionDevelopmentPath / extensionTestsPath: absolute paths (tests optional);
 * env: variables for the extension host (extensionEnvironment).
 */
export function workbenchUrl(origin, { folder, extensionDevelopmentPath, extensionTestsPath, env }) {
  const payload = [];
  if (extensionDevelopmentPath) payload.push(['extensionDevelopmentPath', remoteUri(origin, extensionDevelopmentPath)]);
  if (extensionTestsPath) payload.push(['extensionTestsPath', remoteUri(origin, extensionTestsPath)]);
  if (env) payload.push(['extensionEnvironment', JSON.stringify(env)]);
  const query = [`folder=${encodeURIComponent(folder)}`];
  if (payload.length > 0) query.push(`payload=${encodeURIComponent(JSON.stringify(payload))}`);
  return `${origin}/?${query.join('&')}`;
}
