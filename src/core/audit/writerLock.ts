/**
 * One writer per log directory: two writers would fork the chain. The lock is a file created
 * exclusively, holding the writer's pid; a lock whose process is gone (a crash) is taken over.
 * A pid reused by an unrelated process keeps the lock held; the error says which file to delete.
 */
import { promises as fsp } from 'node:fs';
import path from 'node:path';
import { isNotFound, LOCK_FILE } from './segments';

/** Another running process holds the log's lock: the error a front end may act on (another folder). */
export class AuditLogInUseError extends Error {
  constructor(
    readonly dir: string,
    readonly holderPid: number,
    message: string,
  ) {
    super(message);
    this.name = 'AuditLogInUseError';
  }
}

export class WriterLock {
  private constructor(private readonly file: string) {}

  static async acquire(dir: string): Promise<WriterLock> {
    const file = path.join(dir, LOCK_FILE);
    for (let attempt = 0; attempt < 3; attempt++) {
      try {
        await fsp.writeFile(file, `${process.pid}\n`, { flag: 'wx' });
        return new WriterLock(file);
      } catch (error) {
        if (!(error instanceof Error && 'code' in error && error.code === 'EEXIST')) throw error;
      }
      const holder = await readHolder(file);
      if (holder !== undefined && isRunning(holder)) {
        const who = holder === process.pid ? 'this process already has it open' : `process ${holder} is writing it`;
        throw new AuditLogInUseError(
          dir,
          holder,
          `The audit log in ${dir} is in use: ${who}. Only one Warden window may write a workspace's log; close the other one, or delete ${file} if no other Warden is running.`,
        );
      }
      // The holder is gone (or the file is unreadable): take the lock over.
      await fsp.rm(file, { force: true });
    }
    throw new Error(`Could not lock the audit log in ${dir}: ${file} keeps reappearing. Close other Warden windows and try again.`);
  }

  async release(): Promise<void> {
    await fsp.rm(this.file, { force: true });
  }
}

async function readHolder(file: string): Promise<number | undefined> {
  try {
    const pid = Number.parseInt(await fsp.readFile(file, 'utf8'), 10);
    return Number.isSafeInteger(pid) && pid > 0 ? pid : undefined;
  } catch (error) {
    if (isNotFound(error)) return undefined;
    throw error;
  }
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return error instanceof Error && 'code' in error && error.code === 'EPERM';
  }
}
