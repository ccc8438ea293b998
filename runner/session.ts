// One lifecycle for every command that runs load (run, capacity, rehearse): the embedded API when the
// target is local, the preflight, Artillery's processes with the signals forwarded to them (written once,
// here), and how each process ended: by itself, interrupted (a signal this process received, or the
// dashboard's Stop), or killed by a signal nobody here sent (the OOM killer's SIGKILL).
import { type ChildProcess, type SpawnOptions, spawn } from 'node:child_process';
import { artilleryKilled, interruption } from '../grading/run-stop.js';
import type { RunStop } from '../grading/types.js';
import { adminExpectation } from '../lib/credentials.js';
import { ensureLocalTarget, type LocalTarget } from './embedded-target.js';
import { preflight } from './preflight.js';
import type { RunOptions } from './run-options.js';

export type Log = (line: string) => void;

export interface ArtilleryEnd {
  /** The process's own exit code, or null when a signal ended it. */
  code: number | null;
  /** Set when the run ended early: interrupted, or Artillery killed. */
  stop: RunStop | null;
}

export class RunSession {
  private local: LocalTarget | null = null;
  private readonly children = new Set<ChildProcess>();
  private signal: NodeJS.Signals | null = null;
  private readonly onSignal = (signal: NodeJS.Signals) => this.interrupt(signal);

  constructor(readonly log: Log) {
    // From here on a signal ends the run through its children, with a verdict, not this process at once.
    process.on('SIGINT', this.onSignal);
    process.on('SIGTERM', this.onSignal);
  }

  /**
   * Starts the session: the embedded API for a local, silent target (`embedded: 'always'` for the
   * rehearsal, which runs against it only), then the preflight, with the admin login when credentials
   * for it were given. Closes itself when either fails.
   */
  static async open(
    run: RunOptions,
    log: Log,
    opts: { embedded?: 'if-local' | 'always' } = {},
  ): Promise<{ session: RunSession; loginMs: number }> {
    const session = new RunSession(log);
    try {
      if (opts.embedded === 'always' || (run.environment === 'local' && run.local))
        session.local = await ensureLocalTarget(run.target, log);
      const admin = adminExpectation(process.env, run.environment);
      const { loginMs } = await preflight(run.target, run.creds.user, admin.given ? run.creds.admin : null);
      return { session, loginMs };
    } catch (error) {
      await session.close();
      throw error;
    }
  }

  /** The signal that interrupted the run, if one did. */
  get interrupted(): NodeJS.Signals | null {
    return this.signal;
  }

  /** How the interruption ends the run, when there was one. */
  get interruption(): RunStop | null {
    return this.signal === null ? null : interruption(this.signal);
  }

  /** Ctrl-C, SIGTERM or the dashboard's Stop: every running Artillery gets the signal and grades so far. */
  interrupt(signal: NodeJS.Signals): void {
    this.signal ??= signal;
    for (const child of this.children) child.kill(signal);
  }

  /** The last resort for a process that outlived its interruption. */
  kill(): void {
    for (const child of this.children) child.kill('SIGKILL');
  }

  /** Starts one Artillery process (node <args>); `ended` says how it ended. */
  spawn(args: string[], opts: SpawnOptions): { child: ChildProcess; ended: Promise<ArtilleryEnd> } {
    const child = spawn(process.execPath, args, opts);
    this.children.add(child);
    const ended = new Promise<ArtilleryEnd>((resolve) =>
      child.once('exit', (code, signal) => {
        this.children.delete(child);
        if (this.signal !== null) resolve({ code, stop: interruption(this.signal) });
        else if (signal !== null) resolve({ code, stop: artilleryKilled(signal) });
        else resolve({ code, stop: null });
      }),
    );
    // A signal that came while it started still reaches it.
    if (this.signal !== null) child.kill(this.signal);
    return { child, ended };
  }

  /** Stops what the session started and gives the signals back. */
  async close(): Promise<void> {
    process.off('SIGINT', this.onSignal);
    process.off('SIGTERM', this.onSignal);
    const local = this.local;
    this.local = null;
    await local?.stop();
  }
}
