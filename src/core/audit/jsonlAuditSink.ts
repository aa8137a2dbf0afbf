/**
 * Appends audit records to a JSON Lines file, one write in flight at a time, records queued behind
 * it written together. Each append resolves only after its bytes reach the file.
 */
import { mkdirSync, promises as fsp } from 'node:fs';
import path from 'node:path';
import type { AuditRecord, AuditSink } from './auditRecord';

interface Pending {
  line: string;
  resolve: () => void;
  reject: (error: Error) => void;
}

export class JsonlAuditSink implements AuditSink {
  private queue: Pending[] = [];
  private writing: Promise<void> | undefined;
  private handle: Promise<fsp.FileHandle> | undefined;
  private disposed = false;

  constructor(readonly filePath: string) {}

  append(record: AuditRecord): Promise<void> {
    if (this.disposed) return Promise.reject(new Error('The audit log is closed; the record was not written.'));
    return new Promise<void>((resolve, reject) => {
      this.queue.push({ line: `${JSON.stringify(record)}\n`, resolve, reject });
      this.writing ??= this.drain();
    });
  }

  async dispose(): Promise<void> {
    this.disposed = true;
    await this.writing;
    const handle = this.handle;
    this.handle = undefined;
    if (handle) await (await handle).close();
  }

  private async drain(): Promise<void> {
    while (this.queue.length > 0) {
      const batch = this.queue;
      this.queue = [];
      try {
        const handle = await this.open();
        await handle.appendFile(batch.map((p) => p.line).join(''), 'utf8');
        for (const p of batch) p.resolve();
      } catch (error) {
        const failure = new Error(`Could not write the audit log at ${this.filePath}: ${error instanceof Error ? error.message : String(error)}`);
        for (const p of batch) p.reject(failure);
        this.handle = undefined;
      }
    }
    this.writing = undefined;
  }

  private open(): Promise<fsp.FileHandle> {
    this.handle ??= (async () => {
      mkdirSync(path.dirname(this.filePath), { recursive: true });
      return fsp.open(this.filePath, 'a');
    })();
    return this.handle;
  }
}
