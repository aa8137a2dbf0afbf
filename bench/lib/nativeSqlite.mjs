// The native sqlite3 CLI as a long-lived process driven over its stdin, in JSON output mode: each
// statement is followed by a marker SELECT, and a query is done when the marker's line arrives.
import { spawn } from 'node:child_process';
import { childEnv, exited } from './common.mjs';

export class NativeSqlite {
  constructor(file) {
    this.child = spawn('sqlite3', ['-readonly', '-batch', file], { env: childEnv(), stdio: ['pipe', 'pipe', 'pipe'] });
    this.child.stdout.setEncoding('utf8');
    this.child.stderr.setEncoding('utf8');
    this.output = '';
    this.waiting = undefined;
    this.errors = '';
    this.next = 1;
    this.child.stdout.on('data', (chunk) => {
      this.output += chunk;
      if (this.waiting && this.output.includes(this.waiting.marker)) {
        const { resolve, marker } = this.waiting;
        const text = this.output.slice(0, this.output.lastIndexOf('[{', this.output.indexOf(marker)));
        this.output = '';
        this.waiting = undefined;
        resolve(text);
      }
    });
    this.child.stderr.on('data', (chunk) => {
      this.errors += chunk;
    });
    this.child.on('exit', () => this.waiting?.reject(new Error(`sqlite3 exited: ${this.errors}`)));
    this.child.stdin.write('.mode json\n');
  }

  get pid() {
    return this.child.pid;
  }

  /** Runs one statement; resolves with its JSON output (empty for no rows). */
  query(sql) {
    if (this.waiting) return Promise.reject(new Error('One query at a time.'));
    const marker = `__end_${this.next++}__`;
    return new Promise((resolve, reject) => {
      this.waiting = { resolve, reject, marker };
      this.child.stdin.write(`${sql};\nSELECT '${marker}';\n`);
    });
  }

  async close() {
    this.child.stdin.end();
    await exited(this.child);
  }
}
