// Where a finished run's files go: the --out folder, and when a write there fails after the work is done
// (a full disk, a folder made read-only during the run), a temporary folder named in one line, so that the
// verdict and its exit code stand and nothing measured is lost.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Log } from './session.js';

const firstLine = (error: unknown) =>
  ((error as NodeJS.ErrnoException).code ?? (error as Error).message ?? String(error)).split('\n')[0];

export class SafeOutputs {
  private fallback: string | null = null;

  constructor(
    private readonly outDir: string,
    private readonly log: Log,
  ) {}

  /** The folder the files go to now: --out, or the temporary one after a failed write. */
  get dir(): string {
    return this.fallback ?? this.outDir;
  }

  /** The temporary folder, when a write to --out failed. */
  get movedTo(): string | null {
    return this.fallback;
  }

  /**
   * Writes `what` by `write(path in the folder)`; on a failure in --out, moves to a temporary folder (one
   * line, once) and writes there. Returns what `write` returned, or null when it failed there too.
   */
  write<T>(what: string, name: string, write: (file: string) => T): T | null {
    try {
      return write(path.join(this.dir, name));
    } catch (error) {
      if (this.fallback !== null) {
        this.log(`${what} not written: ${firstLine(error)}`);
        return null;
      }
      this.fallback = mkdtempSync(path.join(tmpdir(), 'btcw-results-'));
      this.log(
        `cannot write ${what} to ${this.outDir} (${firstLine(error)}): ` +
          `this run's files go to ${this.fallback} instead`,
      );
      return this.write(what, name, write);
    }
  }
}
