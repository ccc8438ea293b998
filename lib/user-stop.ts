// Tells the btcw engine's users, in Artillery's worker threads, that the run is stopping, and waits until
// every one has ended. Artillery's graceful shutdown (SIGINT, SIGTERM, the guard's stop) runs the `after`
// hook while the workers still run and only then kills them, and its runner never tells an engine: users
// would go on creating strategies during and after the clean-up. A BroadcastChannel reaches every thread
// of the process without Artillery's worker protocol.
import { BroadcastChannel } from 'node:worker_threads';

const CHANNEL = 'btcw-user-stop';

type Message = { kind: 'stop' } | { kind: 'active'; engine: string; users: number };

/** Worker side: one per engine instance. `stopping` is set once the main thread asks the users to end. */
export class UserStopSignal {
  private readonly channel = new BroadcastChannel(CHANNEL);
  private readonly controller = new AbortController();
  private readonly id = `${process.pid}-${Math.random().toString(36).slice(2)}`;
  private users = 0;
  /**
   * Users waiting on a think time, woken when the run stops. A set, not a race against one long-pending
   * promise: each race would leave a reaction on that promise for the rest of the run (one per task).
   */
  private readonly waiting = new Set<() => void>();

  constructor() {
    this.channel.unref();
    this.channel.onmessage = (event) => {
      if ((event as { data: Message }).data.kind !== 'stop') return;
      this.controller.abort();
      for (const wake of this.waiting) wake();
      this.waiting.clear();
      this.report();
    };
    this.report(); // so that the main thread knows to wait for this engine
  }

  /** Aborted when the run stops: pauses listen to it. */
  get signal(): AbortSignal {
    return this.controller.signal;
  }

  get stopping(): boolean {
    return this.controller.signal.aborted;
  }

  /** `wake` is called if the run stops before `unwait(wake)`. */
  wait(wake: () => void): void {
    this.waiting.add(wake);
  }

  unwait(wake: () => void): void {
    this.waiting.delete(wake);
  }

  userStarted(): void {
    this.users++;
  }

  userEnded(): void {
    this.users--;
    if (this.stopping && this.users === 0) this.report();
  }

  private report(): void {
    this.channel.postMessage({ kind: 'active', engine: this.id, users: this.users } satisfies Message);
  }
}

/** Main side: listens from the start, so that it knows every engine when the stop comes. */
export class UserStopper {
  private readonly channel = new BroadcastChannel(CHANNEL);
  private readonly active = new Map<string, number>();
  private changed: (() => void) | null = null;

  constructor() {
    this.channel.unref();
    this.channel.onmessage = (event) => {
      const data = (event as { data: Message }).data;
      if (data.kind !== 'active') return;
      this.active.set(data.engine, data.users);
      this.changed?.();
    };
  }

  /**
   * Asks every user to end after its request in flight, and resolves once all have ended or after
   * `waitMs`. Without a btcw engine (the HTTP engine's profiles) nothing answers: a short grace only.
   */
  async stopAll(waitMs: number, graceMs = 300): Promise<{ ended: boolean }> {
    // A count from before the stop is stale: wait for each engine's answer to this one.
    for (const engine of this.active.keys()) this.active.set(engine, -1);
    this.channel.postMessage({ kind: 'stop' } satisfies Message);
    const started = Date.now();
    const idle = () => [...this.active.values()].every((users) => users === 0);
    await new Promise<void>((resolve) => setTimeout(resolve, graceMs));
    while (!idle() && Date.now() - started < waitMs) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, 100);
        this.changed = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.changed = null;
    }
    return { ended: idle() };
  }

  close(): void {
    this.channel.close();
  }
}
