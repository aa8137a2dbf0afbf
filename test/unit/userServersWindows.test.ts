import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { COMMAND_LINE_VARIABLE, escapeCmdArgument, escapeCmdCommand, resolveOnPath, windowsLaunch, type WindowsLaunchOptions } from '../../src/vscode/userServers/windowsCommand';

const files = new Set([
  'C:\\Program Files\\nodejs\\npx.cmd',
  'C:\\Program Files\\nodejs\\node.exe',
  'C:\\Program Files\\nodejs\\node_modules\\npm\\bin\\npx-cli.js',
  'C:\\Program Files\\nodejs\\npm.cmd',
  'C:\\tools\\uvx.exe',
  'C:\\tools\\run server.bat',
  'C:\\other\\npx.cmd',
]);
const windows: WindowsLaunchOptions = {
  platform: 'win32',
  pathEnv: 'C:\\tools;;C:\\Program Files\\nodejs',
  pathExt: '.COM;.EXE;.BAT;.CMD',
  comSpec: 'C:\\Windows\\system32\\cmd.exe',
  isFile: (f) => files.has(f),
};

describe('launching batch files on Windows without a shell', () => {
  it('leaves every command alone on other platforms', () => {
    assert.deepEqual(windowsLaunch('npx', ['-y', 'x'], { ...windows, platform: 'linux' }), { command: 'npx', args: ['-y', 'x'], env: {} });
  });

  it('leaves executables alone', () => {
    assert.deepEqual(windowsLaunch('uvx', ['mcp-server'], windows), { command: 'uvx', args: ['mcp-server'], env: {} });
    assert.deepEqual(windowsLaunch('missing', [], windows), { command: 'missing', args: [], env: {} });
  });

  it('runs npx through the node.exe beside it with npx-cli.js', () => {
    const launch = windowsLaunch('npx', ['-y', '@scope/server', 'a & b'], windows);
    assert.equal(launch.command, 'C:\\Program Files\\nodejs\\node.exe');
    assert.deepEqual(launch.args, ['C:\\Program Files\\nodejs\\node_modules\\npm\\bin\\npx-cli.js', '-y', '@scope/server', 'a & b']);
    assert.deepEqual(launch.env, {});
    assert.match(launch.note ?? '', /npx runs as .*node\.exe .*npx-cli\.js/);
  });

  it('runs other batch files through cmd.exe with the line in an environment variable', () => {
    const launch = windowsLaunch('C:\\other\\npx.cmd', ['-y', 'pkg'], windows);
    assert.equal(launch.command, 'C:\\Windows\\system32\\cmd.exe');
    assert.deepEqual(launch.args, ['/d', '/s', '/c', `%${COMMAND_LINE_VARIABLE}%`]);
    assert.deepEqual(launch.env, { [COMMAND_LINE_VARIABLE]: 'C:\\other\\npx.cmd ^^^"-y^^^" ^^^"pkg^^^"' });
    const spaced = windowsLaunch('run server', ['x'], windows);
    assert.equal(spaced.env[COMMAND_LINE_VARIABLE], 'C:\\tools\\run^ server.bat ^^^"x^^^"');
  });

  it('escapes every cmd.exe metacharacter in arguments', () => {
    assert.equal(escapeCmdArgument('plain', false), '^"plain^"');
    assert.equal(escapeCmdArgument('a&b|c<d>e', false), '^"a^&b^|c^<d^>e^"');
    assert.equal(escapeCmdArgument('%PATH%!x!', false), '^"^%PATH^%^!x^!^"');
    assert.equal(escapeCmdArgument('(a)[b]^;,*?`', false), '^"^(a^)^[b^]^^^;^,^*^?^`^"');
    assert.equal(escapeCmdArgument('two words', false), '^"two^ words^"');
    assert.equal(escapeCmdArgument('', false), '^"^"');
  });

  it('quotes quotes and backslashes for the program\'s argv parser', () => {
    assert.equal(escapeCmdArgument('say "hi"', false), '^"say^ \\^"hi\\^"^"');
    assert.equal(escapeCmdArgument('C:\\dir\\', false), '^"C:\\dir\\\\^"');
    assert.equal(escapeCmdArgument('a\\"b', false), '^"a\\\\\\^"b^"');
    assert.equal(escapeCmdArgument('C:\\a\\b', false), '^"C:\\a\\b^"');
  });

  it('escapes twice for a batch file, which re-parses its arguments', () => {
    assert.equal(escapeCmdArgument('a&b', true), '^^^"a^^^&b^^^"');
  });

  it('escapes the command path', () => {
    assert.equal(escapeCmdCommand('C:\\My Tools (x86)\\run.cmd'), 'C:\\My^ Tools^ ^(x86^)\\run.cmd');
  });

  it('finds commands on PATH with PATHEXT', () => {
    assert.equal(resolveOnPath('npx', windows), 'C:\\Program Files\\nodejs\\npx.cmd');
    assert.equal(resolveOnPath('uvx', windows), 'C:\\tools\\uvx.exe');
    assert.equal(resolveOnPath('npx.cmd', windows), 'C:\\Program Files\\nodejs\\npx.cmd');
    assert.equal(resolveOnPath('C:\\other\\npx', windows), 'C:\\other\\npx.cmd');
    assert.equal(resolveOnPath('nothing', windows), undefined);
  });
});
