/**
 * Child processes get an allow-listed environment, not the host's: a tool server has no business
 * seeing the editor's tokens and secrets. Users add what a server needs explicitly.
 */
const INHERITED_POSIX = ['HOME', 'LOGNAME', 'PATH', 'SHELL', 'TERM', 'USER', 'LANG', 'LC_ALL', 'LC_CTYPE', 'TMPDIR', 'TZ'];
const INHERITED_WINDOWS = [
  'APPDATA', 'HOMEDRIVE', 'HOMEPATH', 'LOCALAPPDATA', 'PATH', 'PATHEXT', 'PROCESSOR_ARCHITECTURE',
  'SYSTEMDRIVE', 'SYSTEMROOT', 'TEMP', 'TMP', 'USERNAME', 'USERPROFILE', 'PROGRAMFILES', 'COMSPEC',
];

export function allowListedEnvironment(
  source: NodeJS.ProcessEnv = process.env,
  platform: NodeJS.Platform = process.platform,
): Record<string, string> {
  const names = platform === 'win32' ? INHERITED_WINDOWS : INHERITED_POSIX;
  const env: Record<string, string> = {};
  for (const name of names) {
    const value = source[name];
    // Values that look like shell functions are a known injection vector; leave them out.
    if (value !== undefined && !value.startsWith('()')) env[name] = value;
  }
  return env;
}
