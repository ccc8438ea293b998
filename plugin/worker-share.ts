// A worker thread's share of a closed-model run. Artillery's local mode splits each phase between its
// worker threads (dist.js divideWork): arrival rates and maxVusers are divided separately, each worker
// numbered `worker` of `totalWorkers`, and the larger shares go to the first workers. Module state in a
// processor is per worker, so the pack's class round-robin needs each worker's place in the run.

/** A phase as Artillery hands it to one worker. */
export interface WorkerPhase {
  duration?: number;
  arrivalRate?: number;
  rampTo?: number;
  maxVusers?: number;
  /** 1-based; set by divideWork, absent in a plain single-process run. */
  worker?: number;
  totalWorkers?: number;
}

/** This worker's place among the run's workers: 0-based index, and how many there are. */
export interface WorkerSlot {
  index: number;
  count: number;
}

/** The variable through which the plugin's worker half tells the processors this worker's slot. */
export const WORKER_SLOT_VAR = 'btcwWorkerSlot';

export const SOLE_WORKER: WorkerSlot = Object.freeze({ index: 0, count: 1 });

export function workerSlot(phases: readonly WorkerPhase[]): WorkerSlot {
  const phase = phases.find((ph) => Number.isInteger(ph.worker) && Number.isInteger(ph.totalWorkers));
  if (!phase || phase.totalWorkers! < 1 || phase.worker! < 1 || phase.worker! > phase.totalWorkers!)
    return SOLE_WORKER;
  return { index: phase.worker! - 1, count: phase.totalWorkers! };
}

/**
 * The run-wide index of this worker's `nth` user (0-based). Workers take turns: user j of worker w is
 * j × count + w. Because divideWork gives the larger maxVusers shares to the first workers, the indices
 * of all workers together are exactly 0 … users − 1, so `mix[index mod n]` splits classes as Locust does.
 */
export function runUserIndex(slot: WorkerSlot, nth: number): number {
  return nth * slot.count + slot.index;
}

/**
 * Makes every worker's arrivals reach its maxVusers share. divideWork splits the arrival rate and the
 * user cap separately, so a worker can get a rate too low for its cap: 10 users/s over 10 s for 100 users
 * on 4 workers gives rates 3, 3, 2, 2 and caps 25 each, and the last two workers would start only 20.
 * Such a worker's rate is raised to cap ÷ duration (fractional rates are fine for a uniform process).
 * Ramps are left alone. Returns the phases changed, for a debug line.
 */
export function fillClosedModelArrivals(phases: WorkerPhase[]): number {
  let changed = 0;
  for (const ph of phases) {
    const { duration, arrivalRate, maxVusers } = ph;
    if (ph.rampTo !== undefined || !duration || !arrivalRate || !maxVusers) continue;
    if (arrivalRate * duration < maxVusers) {
      ph.arrivalRate = maxVusers / duration;
      changed++;
    }
  }
  return changed;
}
