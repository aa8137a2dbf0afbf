// Runs one command as the member of a process group that this script leads, and takes the whole
// group down (plus any descendant that left the group) as soon as its standard input closes: when
// the process that started it ends, however it ends (even SIGKILL), nothing is left behind.
// Usage (spawned detached with a stdin pipe): node processGroupGuard.mjs COMMAND [ARGS...]
// The command's exit is reported on stderr as `process group guard: command exited (...)`.
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

const GRACE_MS = 5000;
const [command, ...args] = process.argv.slice(2);
if (!command) {
  console.error('process group guard: no command given. Usage: node processGroupGuard.mjs COMMAND [ARGS...]');
  process.exit(2);
}

/** Pids of every live descendant of rootPid, read from /proc (Linux). */
function descendantsOf(rootPid) {
  const children = new Map();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let stat;
    try {
      stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
    } catch (err) {
      if (err.code === 'ENOENT' || err.code === 'ESRCH') continue; // ended while we looked
      throw err;
    }
    // Fields after the command name, which is in parentheses and may contain spaces.
    const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    const list = children.get(ppid) ?? [];
    list.push(Number(entry));
    children.set(ppid, list);
  }
  const found = [];
  const queue = [rootPid];
  while (queue.length > 0) {
    for (const child of children.get(queue.shift()) ?? []) {
      found.push(child);
      queue.push(child);
    }
  }
  return found;
}

function signal(pid, sig) {
  try {
    process.kill(pid, sig);
  } catch (err) {
    if (err.code !== 'ESRCH') console.error(`process group guard: could not send ${sig} to ${pid}: ${err.message}`);
  }
}

const child = spawn(command, args, { stdio: ['ignore', 'inherit', 'inherit'] });
let childExited = false;
const childExit = new Promise((resolve) => {
  child.on('exit', (code, sig) => {
    childExited = true;
    console.error(`process group guard: command exited (${sig ? `signal ${sig}` : `exit code ${code}`})`);
    resolve();
  });
});
child.on('error', (err) => {
  console.error(`process group guard: could not start ${command}: ${err.message}`);
  shutdown();
});

let stopping = false;
async function shutdown() {
  if (stopping) return;
  stopping = true;
  // Remember the tree now: once a parent ends, its children are re-parented and can't be found.
  const tree = descendantsOf(process.pid);
  signal(-process.pid, 'SIGTERM'); // this process ignores it (handler below)
  for (const pid of tree) signal(pid, 'SIGTERM');
  if (!childExited) {
    await Promise.race([childExit, new Promise((resolve) => setTimeout(resolve, GRACE_MS))]);
  }
  for (const pid of [...tree, ...descendantsOf(process.pid)]) signal(pid, 'SIGKILL');
  signal(-process.pid, 'SIGKILL'); // ends this process too
}

for (const sig of ['SIGTERM', 'SIGINT', 'SIGHUP']) process.on(sig, () => shutdown());
process.stdin.on('close', () => shutdown());
process.stdin.on('end', () => shutdown());
process.stdin.resume();
childExit.then(() => shutdown());
