/**
 * Windows cannot spawn a `.cmd`/`.bat` file without a shell (Node refuses since CVE-2024-27980).
 * `npx`/`npm` are rewritten to the Node that ships beside them running `npx-cli.js`/`npm-cli.js`,
 * so no shell sees the arguments. Other batch files run as `cmd.exe /d /s /c %WARDEN_COMMAND_LINE%`:
 * the command line travels in an environment variable, because Node re-quotes argv for
 * CreateProcess (turning `"` into `\"`, which cmd.exe does not understand), and cmd.exe expands
 * the variable before it parses `^` escapes, so the escaped line reaches it intact.
 *
 * Escaping rules (cmd.exe, then the program's own argv parser):
 * 1. Each argument is quoted for CommandLineToArgvW: wrapped in `"`, a `"` inside becomes `\"`,
 *    and backslashes before a `"` (or the closing quote) are doubled.
 * 2. Every cmd.exe metacharacter `( ) [ ] % ! ^ " \` < > & | ; , space * ?` is prefixed with `^`,
 *    so cmd.exe treats none of them as syntax; it drops the carets and hands the line on.
 * 3. A batch file re-parses its arguments when it forwards them (`%*`), so for batch files the
 *    carets of arguments are applied twice.
 */
import * as path from 'node:path';

export interface WindowsLaunchOptions {
  readonly platform: NodeJS.Platform;
  /** PATH and PATHEXT from the environment the child gets. */
  readonly pathEnv: string;
  readonly pathExt?: string;
  readonly comSpec?: string;
  readonly isFile: (file: string) => boolean;
}

export interface WindowsLaunch {
  readonly command: string;
  readonly args: readonly string[];
  readonly env: Readonly<Record<string, string>>;
  /** How the command was rewritten, for the server's log. */
  readonly note?: string;
}

export const COMMAND_LINE_VARIABLE = 'WARDEN_COMMAND_LINE';
const META = /([()\][%!^"`<>&|;, *?])/g;
const CLI_SCRIPTS: Readonly<Record<string, string>> = { npx: 'npx-cli.js', npm: 'npm-cli.js' };

export function windowsLaunch(command: string, args: readonly string[], options: WindowsLaunchOptions): WindowsLaunch {
  if (options.platform !== 'win32') return { command, args, env: {} };
  const resolved = resolveOnPath(command, options);
  if (!resolved || !/\.(cmd|bat)$/i.test(resolved)) return { command, args, env: {} };
  const dir = path.win32.dirname(resolved);
  const base = path.win32.basename(resolved).replace(/\.(cmd|bat)$/i, '').toLowerCase();
  const cli = CLI_SCRIPTS[base];
  if (cli) {
    const node = path.win32.join(dir, 'node.exe');
    const script = path.win32.join(dir, 'node_modules', 'npm', 'bin', cli);
    if (options.isFile(node) && options.isFile(script)) {
      return { command: node, args: [script, ...args], env: {}, note: `${command} runs as ${node} ${script}` };
    }
  }
  const line = [escapeCmdCommand(resolved), ...args.map((a) => escapeCmdArgument(a, true))].join(' ');
  const comSpec = options.comSpec ?? 'cmd.exe';
  return {
    command: comSpec,
    args: ['/d', '/s', '/c', `%${COMMAND_LINE_VARIABLE}%`],
    env: { [COMMAND_LINE_VARIABLE]: line },
    note: `${resolved} is a batch file; it runs through ${comSpec} with every argument escaped`,
  };
}

/** The command's path with cmd.exe's metacharacters escaped. */
export function escapeCmdCommand(command: string): string {
  return command.replace(META, '^$1');
}

/** One argument quoted for the program's argv parser, then escaped for cmd.exe (twice for a batch file). */
export function escapeCmdArgument(arg: string, batchFile: boolean): string {
  let quoted = arg.replace(/(\\*)"/g, '$1$1\\"');
  quoted = quoted.replace(/(\\*)$/, '$1$1');
  let escaped = `"${quoted}"`.replace(META, '^$1');
  if (batchFile) escaped = escaped.replace(META, '^$1');
  return escaped;
}

/** The file `command` names: as given when it has a folder, else found on PATH with PATHEXT. */
export function resolveOnPath(command: string, options: WindowsLaunchOptions): string | undefined {
  const extensions = (options.pathExt ?? '.COM;.EXE;.BAT;.CMD').split(';').filter((e) => e !== '');
  const hasExtension = path.win32.extname(command) !== '';
  const candidates = (base: string): string[] => (hasExtension ? [base] : extensions.map((e) => base + e.toLowerCase()));
  if (/[\\/]/.test(command) || path.win32.isAbsolute(command)) return candidates(command).find(options.isFile);
  for (const dir of options.pathEnv.split(';').filter((d) => d !== '')) {
    const found = candidates(path.win32.join(dir, command)).find(options.isFile);
    if (found) return found;
  }
  return undefined;
}
