import { spawn, type ChildProcess } from 'node:child_process';

/**
 * Runs a server script with command-line arguments until it exits, for tests of argument
 * handling. `killAll` (for an after hook) stops any run a failed test left behind.
 */
export function commandLineRunner(script: string): {
  runToExit(args: string[]): Promise<{ code: number | null; stderr: string }>;
  killAll(): void;
} {
  const running = new Set<ChildProcess>();
  return {
    runToExit(args) {
      const child = spawn(process.execPath, [script, ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
      running.add(child);
      const chunks: Buffer[] = [];
      child.stderr.on('data', (chunk: Buffer) => chunks.push(chunk));
      return new Promise((resolve, reject) => {
        child.on('error', reject);
        child.on('close', (code) => {
          running.delete(child);
          resolve({ code, stderr: Buffer.concat(chunks).toString('utf8') });
        });
      });
    },
    killAll() {
      for (const child of running) child.kill('SIGKILL');
    },
  };
}
