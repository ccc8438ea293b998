// bcrypt in a worker thread: the real backend hashes on its event loop and stalls every request for
// ~0.2 s per login; the reference API keeps the cost of a real hash without that stall.
// One thread serves every API of the process, started with the first: a test or a bench that starts
// several APIs would otherwise pay a thread's start-up (about 0.1 CPU-s) for each. It holds the process
// open only while a hash is pending, and it outlives the APIs: the next one would only start it again.
import { Worker } from 'node:worker_threads';
import type { HashReply, HashRequest } from './password-worker.js';

type Pending = { resolve: (value: string | boolean) => void; reject: (error: Error) => void };
type Op = { op: 'hash'; password: string; cost: number } | { op: 'verify'; password: string; hash: string };

/** The process's hashing thread, with its callers' pending replies. */
class HashingThread {
  private readonly worker = new Worker(new URL('./password-worker.js', import.meta.url));
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;

  constructor() {
    this.worker.on('message', (reply: HashReply) => {
      const waiter = this.pending.get(reply.id);
      if (!waiter) return;
      this.pending.delete(reply.id);
      if (this.pending.size === 0) this.worker.unref();
      if ('error' in reply) waiter.reject(new Error(reply.error));
      else waiter.resolve(reply.result);
    });
    this.worker.on('error', (error) => {
      for (const waiter of this.pending.values()) waiter.reject(error);
      this.pending.clear();
      if (thread === this) thread = undefined; // the next call starts a new one
    });
    // Held only while a hash is pending, so an idle thread never keeps the process up. After the
    // listeners: adding a 'message' listener refs the worker again (a standalone API hung after SIGTERM).
    this.worker.unref();
  }

  call(op: Op): Promise<string | boolean> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      if (this.pending.size === 0) this.worker.ref();
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage({ ...op, id } satisfies HashRequest);
    });
  }
}

let thread: HashingThread | undefined;

export class PasswordHasher {
  private closed = false;

  constructor(readonly cost: number) {}

  private call(op: Op): Promise<string | boolean> {
    if (this.closed) return Promise.reject(new Error('the password hasher is closed'));
    thread ??= new HashingThread();
    return thread.call(op);
  }

  hash(password: string): Promise<string> {
    return this.call({ op: 'hash', password, cost: this.cost }) as Promise<string>;
  }

  verify(password: string, hash: string): Promise<boolean> {
    return this.call({ op: 'verify', password, hash }) as Promise<boolean>;
  }

  /** This API hashes no more; the thread stays for the process's other APIs. */
  async close(): Promise<void> {
    this.closed = true;
  }
}
