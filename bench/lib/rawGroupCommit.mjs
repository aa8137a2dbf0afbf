// The floor for the audit log: the same group commit any append-only log needs (one write in
// flight, lines queued meanwhile go out together), with no JSON, hashing or records: just bytes,
// optionally followed by fdatasync before the batch is acknowledged.
import { promises as fsp } from 'node:fs';

export class RawGroupCommit {
  constructor(handle, sync) {
    this.handle = handle;
    this.sync = sync;
    this.queue = [];
    this.writing = false;
  }

  static async open(file, sync) {
    return new RawGroupCommit(await fsp.open(file, 'a'), sync);
  }

  append(line) {
    return new Promise((resolve, reject) => {
      this.queue.push({ line, resolve, reject });
      if (!this.writing) void this.drain();
    });
  }

  async drain() {
    this.writing = true;
    while (this.queue.length > 0) {
      const batch = this.queue;
      this.queue = [];
      try {
        await this.handle.write(batch.map((p) => p.line).join(''));
        if (this.sync) await this.handle.datasync();
        for (const p of batch) p.resolve();
      } catch (error) {
        for (const p of batch) p.reject(error);
      }
    }
    this.writing = false;
  }

  close() {
    return this.handle.close();
  }
}
