// bcrypt in a worker thread: the real backend hashes on its event loop and stalls every request for
// ~0.2 s per login; the reference API keeps the cost of a real hash without that stall.
import { Worker } from 'node:worker_threads';
import type { HashReply, HashRequest } from './password-worker.js';

type Pending = { resolve: (v: string | boolean) => void; reject: (e: Error) => void };
type Op = { op: 'hash'; password: string; cost: number } | { op: 'verify'; password: string; hash: string };

export class PasswordHasher {
  private readonly worker: Worker;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;

  constructor(readonly cost: number) {
    this.worker = new Worker(new URL('./password-worker.js', import.meta.url));
    this.worker.unref();
    this.worker.on('message', (m: HashReply) => {
      const p = this.pending.get(m.id);
      if (!p) return;
      this.pending.delete(m.id);
      if ('error' in m) p.reject(new Error(m.error));
      else p.resolve(m.result);
    });
    this.worker.on('error', (e) => {
      for (const p of this.pending.values()) p.reject(e);
      this.pending.clear();
    });
  }

  private call(op: Op): Promise<string | boolean> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage({ ...op, id } satisfies HashRequest);
    });
  }

  hash(password: string): Promise<string> {
    return this.call({ op: 'hash', password, cost: this.cost }) as Promise<string>;
  }

  verify(password: string, hash: string): Promise<boolean> {
    return this.call({ op: 'verify', password, hash }) as Promise<boolean>;
  }

  async close(): Promise<void> {
    await this.worker.terminate();
  }
}
