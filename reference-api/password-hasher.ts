// bcrypt in a worker thread: the real backend hashes on its event loop and stalls every request for
// ~0.2 s per login; the reference API keeps the cost of a real hash without that stall.
import { Worker } from 'node:worker_threads';
import type { HashReply, HashRequest } from './password-worker.js';

type Pending = { resolve: (value: string | boolean) => void; reject: (error: Error) => void };
type Op = { op: 'hash'; password: string; cost: number } | { op: 'verify'; password: string; hash: string };

export class PasswordHasher {
  private readonly worker: Worker;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;

  constructor(readonly cost: number) {
    this.worker = new Worker(new URL('./password-worker.js', import.meta.url));
    this.worker.unref();
    this.worker.on('message', (reply: HashReply) => {
      const waiter = this.pending.get(reply.id);
      if (!waiter) return;
      this.pending.delete(reply.id);
      if ('error' in reply) waiter.reject(new Error(reply.error));
      else waiter.resolve(reply.result);
    });
    this.worker.on('error', (error) => {
      for (const waiter of this.pending.values()) waiter.reject(error);
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
