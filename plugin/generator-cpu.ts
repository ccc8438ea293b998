// The load generator's own CPU: how busy Artillery's process was, so that a capacity step that the generator
// could not drive is not reported as the API's limit. Artillery's local workers are worker_threads of one
// process, so process.cpuUsage() in the main process covers the main thread and every worker. The embedded
// API is never in this process (the runner starts it as a child of its own; tests serve it in the test's).
//
// "Its cores": each worker thread runs JavaScript on one core at most, so the generator can use at most as
// many cores as it has worker threads, and never more than the machine has. A generator at 90 % of that
// is the limit of the run. BTCW_GENERATOR_CORES sets the budget by hand (the capacity finder's
// --generator-cores), e.g. for a generator that shares its machine.
import os from 'node:os';

export interface CpuSample {
  /** Wall clock, ms since the epoch. */
  t: number;
  /** User + system CPU of the process so far, µs. */
  cpuUs: number;
}

/** Cores the process used on average between t0 and t1, from the samples nearest those moments. */
export function cpuCoresBetween(samples: readonly CpuSample[], t0: number, t1: number): number | null {
  if (samples.length < 2 || !(t1 > t0)) return null;
  // The samples that enclose the window: the last at or before t0, the first at or after t1.
  const first = samples.filter((s) => s.t <= t0).at(-1) ?? samples[0]!;
  const last = samples.find((s) => s.t >= t1) ?? samples.at(-1)!;
  if (!(last.t > first.t)) return null;
  return (last.cpuUs - first.cpuUs) / 1000 / (last.t - first.t);
}

/** The generator's budget in cores: BTCW_GENERATOR_CORES, else its worker threads capped at the cores. */
export function generatorBudget(vars: NodeJS.ProcessEnv = process.env): number {
  const set = Number(vars.BTCW_GENERATOR_CORES);
  if (vars.BTCW_GENERATOR_CORES && Number.isFinite(set) && set > 0) return set;
  // Artillery starts max(1, os.cpus().length - 1) worker threads (the runner's --workers preload changes
  // what os.cpus() reports, so this follows it); os.availableParallelism() is the machine's real count.
  const workers = Math.max(1, os.cpus().length - 1);
  return Math.min(workers, os.availableParallelism());
}

/** Samples the process's CPU once a second until stopped. */
export class GeneratorCpu {
  readonly samples: CpuSample[] = [];
  private readonly timer: NodeJS.Timeout;

  constructor(private readonly intervalMs = 1000) {
    this.sample();
    this.timer = setInterval(() => this.sample(), this.intervalMs);
    this.timer.unref(); // never what keeps Artillery's process alive
  }

  sample(): void {
    const usage = process.cpuUsage();
    this.samples.push({ t: Date.now(), cpuUs: usage.user + usage.system });
  }

  stop(): void {
    clearInterval(this.timer);
    this.sample();
  }
}
