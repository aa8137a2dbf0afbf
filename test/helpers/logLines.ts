/** Collects log lines and lets a test wait for the first line that matches. */
export class LogLines {
  readonly lines: string[] = [];
  private readonly waiters: { test: (line: string) => boolean; resolve: (line: string) => void }[] = [];

  readonly push = (line: string): void => {
    this.lines.push(line);
    for (const waiter of [...this.waiters]) {
      if (waiter.test(line)) {
        this.waiters.splice(this.waiters.indexOf(waiter), 1);
        waiter.resolve(line);
      }
    }
  };

  waitFor(pattern: RegExp): Promise<string> {
    const seen = this.lines.find((line) => pattern.test(line));
    if (seen !== undefined) return Promise.resolve(seen);
    return new Promise((resolve) => this.waiters.push({ test: (line) => pattern.test(line), resolve }));
  }

  some(pattern: RegExp): boolean {
    return this.lines.some((line) => pattern.test(line));
  }
}
