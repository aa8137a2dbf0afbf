/**
 * `${...}` variables in a server's configuration, resolved without I/O: `${workspaceFolder}`,
 * `${workspaceFolder:name}`, `${env:NAME}`, `${userHome}` and `${input:NAME}`. An unknown or
 * unresolvable variable is an error naming it, never an empty string.
 */
export interface InterpolationContext {
  /** Workspace folders in order; the first is `${workspaceFolder}`. */
  readonly folders: readonly { readonly name: string; readonly path: string }[];
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly userHome: string;
  /** Values of `${input:NAME}`; a missing name is an error unless `keepInputs` is set. */
  readonly inputs: Readonly<Record<string, string>>;
  /** Leave `${input:NAME}` as written: for showing and hashing a launch without its secrets. */
  readonly keepInputs?: boolean;
}

export type Interpolated = { readonly ok: true; readonly value: string } | { readonly ok: false; readonly error: string };

const VARIABLE = /\$\{([^}]*)\}/g;
const INPUT_NAME = /^[A-Za-z0-9_.-]+$/;

export function interpolate(text: string, context: InterpolationContext): Interpolated {
  let error: string | undefined;
  const value = text.replace(VARIABLE, (whole, body: string) => {
    const resolved = resolveVariable(body, context);
    if (resolved === undefined) return whole;
    if (typeof resolved === 'object') {
      error ??= resolved.error;
      return whole;
    }
    return resolved;
  });
  return error === undefined ? { ok: true, value } : { ok: false, error };
}

/** The `${input:NAME}` names used in these strings, each once, in order of appearance. */
export function inputNames(texts: readonly string[]): string[] {
  const names: string[] = [];
  for (const text of texts) {
    for (const match of text.matchAll(VARIABLE)) {
      const body = match[1] ?? '';
      if (body.startsWith('input:')) {
        const name = body.slice('input:'.length);
        if (INPUT_NAME.test(name) && !names.includes(name)) names.push(name);
      }
    }
  }
  return names;
}

/** A string, an error, or undefined to keep the variable as written. */
function resolveVariable(body: string, context: InterpolationContext): string | { error: string } | undefined {
  if (body === 'workspaceFolder') {
    const first = context.folders[0];
    return first ? first.path : { error: '${workspaceFolder} is used but no folder is open; open a folder or use an absolute path' };
  }
  if (body.startsWith('workspaceFolder:')) {
    const name = body.slice('workspaceFolder:'.length);
    const folder = context.folders.find((f) => f.name === name);
    return folder ? folder.path : { error: `\${workspaceFolder:${name}} names no open workspace folder` };
  }
  if (body === 'userHome') return context.userHome;
  if (body.startsWith('env:')) {
    const name = body.slice('env:'.length);
    const value = context.env[name];
    return value !== undefined ? value : { error: `\${env:${name}} is not set in VS Code's environment; set ${name} before starting VS Code or write the value instead` };
  }
  if (body.startsWith('input:')) {
    const name = body.slice('input:'.length);
    if (!INPUT_NAME.test(name)) return { error: `\${input:${name}} is not a valid input name (letters, digits, "_", "-", ".")` };
    if (context.keepInputs) return undefined;
    const value = context.inputs[name];
    return value !== undefined ? value : { error: `\${input:${name}} has no value yet` };
  }
  return { error: `\${${body}} is not a supported variable (use workspaceFolder, workspaceFolder:NAME, env:NAME, userHome or input:NAME)` };
}
