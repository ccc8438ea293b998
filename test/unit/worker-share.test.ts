// The class split and the user count of a run, for every worker count from 1 to 16, with Artillery's own
// divideWork (the code that splits a phase between worker threads) rather than a model of it.
import assert from 'node:assert/strict';
import { registerHooks } from 'node:module';
import path from 'node:path';
import { describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import { peakConcurrentUsers, usersAlivePerPeriod } from '../../grading/concurrent-users.js';
import type { ArtilleryReport } from '../../grading/evaluation.js';
import {
  fillClosedModelArrivals,
  runUserIndex,
  SOLE_WORKER,
  type WorkerPhase,
  workerSlot,
} from '../../plugin/worker-share.js';
import { containerSalt, userSeed } from '../../processors/random.js';
import { loadProfile, profileNames, ROOT } from '../../runner/profiles.js';
import { scaleProfile } from '../../runner/scale.js';

type Script = { config: { phases: WorkerPhase[] } };
const ARTILLERY_LIB = path.join(ROOT, 'node_modules/artillery/dist/lib');
const DIST = pathToFileURL(path.join(ARTILLERY_LIB, 'dist.js')).href;
const IS_IDLE_PHASE = pathToFileURL(path.join(ARTILLERY_LIB, 'core/is-idle-phase.js')).href;
// dist.js takes one helper, isIdlePhase, from core/index.js, which loads every engine of Artillery (0.7
// CPU-s). It gets the helper from core/is-idle-phase.js instead, the file that core/index.js re-exports.
const hooks = registerHooks({
  resolve(specifier, context, next) {
    if (specifier !== './core/index.js' || context.parentURL !== DIST) return next(specifier, context);
    const source = `export { default as isIdlePhase } from ${JSON.stringify(IS_IDLE_PHASE)};`;
    return { url: `data:text/javascript,${encodeURIComponent(source)}`, shortCircuit: true };
  },
});
const divideWork = ((await import(DIST)) as { default: (script: Script, workers: number) => Script[] })
  .default;
hooks.deregister();

/** Arrivals of Artillery's uniform process (node_modules/arrivals): floor(duration / floor(tick)). */
function arrivals(ph: WorkerPhase): number {
  const tickUs = Math.floor((1000 / ph.arrivalRate!) * 1000);
  return Math.floor((ph.duration! * 1e6) / tickUs);
}

/** Run-wide indices of every user each worker starts: at most its maxVusers, as Artillery caps them. */
function userIndices(phase: WorkerPhase, workers: number, fill: boolean): number[] {
  const indices: number[] = [];
  for (const script of divideWork({ config: { phases: [{ ...phase }] } }, workers)) {
    const phases = script.config.phases;
    if (fill) fillClosedModelArrivals(phases);
    const slot = workerSlot(phases);
    const started = Math.min(phases[0]!.maxVusers!, arrivals(phases[0]!));
    for (let index = 0; index < started; index++) indices.push(runUserIndex(slot, index));
  }
  return indices.sort((a, b) => a - b);
}

const PHASES: WorkerPhase[] = [
  ...profileNames().flatMap((name) => {
    const profile = loadProfile(name);
    // as run, and compressed as the end-to-end tests run them
    return [
      profile,
      scaleProfile(profile, { duration: 0.05, users: 0.05 }),
      scaleProfile(profile, { duration: 0.15, users: 3 }),
    ]
      .map((x) => x.phases[0]!)
      .map(({ duration, arrivalRate, maxVusers }) => ({ duration, arrivalRate, maxVusers }));
  }),
  { duration: 10, arrivalRate: 10, maxVusers: 100 },
  { duration: 7, arrivalRate: 3, maxVusers: 19 },
  { duration: 1, arrivalRate: 1, maxVusers: 1 },
];

describe('worker share: exact class split on any number of worker threads', () => {
  it('every user index 0 … users−1 is started exactly once, for 1 to 16 workers', () => {
    for (const phase of PHASES) {
      for (let workers = 1; workers <= 16; workers++) {
        const expected = Array.from({ length: phase.maxVusers! }, (_, i) => i);
        assert.deepEqual(
          userIndices(phase, workers, true),
          expected,
          `${JSON.stringify(phase)} on ${workers} workers`,
        );
      }
    }
  });

  it('so each class of a mix gets users/n, ±1 where n does not divide the users', () => {
    const mix = ['A', 'B', 'C', 'D', 'E', 'F', 'G', 'H', 'I', 'J'];
    for (let workers = 1; workers <= 16; workers++) {
      const counts = new Map<string, number>();
      for (const userIndex of userIndices({ duration: 10, arrivalRate: 10, maxVusers: 95 }, workers, true)) {
        const cls = mix[userIndex % mix.length]!;
        counts.set(cls, (counts.get(cls) ?? 0) + 1);
      }
      assert.deepEqual(
        mix.map((c) => counts.get(c)),
        [10, 10, 10, 10, 10, 9, 9, 9, 9, 9],
        `${workers} workers`,
      );
    }
  });

  it("without the arrival fill, divideWork's split starts too few users (the bug it fixes)", () => {
    assert.equal(userIndices({ duration: 10, arrivalRate: 10, maxVusers: 100 }, 4, false).length, 90);
    assert.equal(userIndices({ duration: 10, arrivalRate: 10, maxVusers: 100 }, 4, true).length, 100);
  });

  it('a phase without worker numbers (a single process) is the sole worker', () => {
    assert.deepEqual(workerSlot([{ duration: 5, arrivalRate: 2, maxVusers: 10 }]), SOLE_WORKER);
    assert.deepEqual(workerSlot([{ worker: 3, totalWorkers: 2 }]), SOLE_WORKER);
    assert.deepEqual(workerSlot([{ worker: 2, totalWorkers: 3 }]), { index: 1, count: 3 });
  });

  it('ramps and phases without a user cap are left alone', () => {
    const ramp: WorkerPhase = { duration: 10, arrivalRate: 1, rampTo: 5, maxVusers: 100 };
    const open: WorkerPhase = { duration: 10, arrivalRate: 1 };
    assert.equal(fillClosedModelArrivals([ramp, open]), 0);
    assert.equal(ramp.arrivalRate, 1);
    assert.equal(open.arrivalRate, 1);
  });
});

describe('per-user random streams across workers and containers', () => {
  it('no two users of a 1000-user run share a seed, in one container or across three', () => {
    const seeds = new Set<number>();
    for (const container of ['', 'container-1', 'container-2']) {
      const base = (42 ^ containerSalt(container || undefined)) >>> 0;
      for (let userIndex = 0; userIndex < 1000; userIndex++) seeds.add(userSeed(base, userIndex));
    }
    assert.equal(seeds.size, 3000);
  });

  it('a single-process run has no container salt, so --seed reproduces it', () => {
    assert.equal(containerSalt(undefined), 0);
    assert.equal(containerSalt(''), 0);
    assert.notEqual(containerSalt('a'), containerSalt('b'));
  });
});

describe('concurrent users from counters', () => {
  const period = (periodStart: number, counters: Record<string, number>): ArtilleryReport => ({
    firstMetricAt: periodStart,
    lastMetricAt: periodStart + 9_000,
    counters,
  });

  it('adds up the periods: users started so far less those ended before the period', () => {
    const periods = [
      period(20_000, { 'btcw.users_ended': 30 }),
      period(0, { 'btcw.users_started.A': 12, 'btcw.users_started.B': 8 }),
      period(10_000, { 'btcw.users_started.A': 5, 'btcw.users_started.B': 5, 'btcw.users_ended': 2 }),
    ];
    assert.deepEqual(
      usersAlivePerPeriod(periods).map((p) => p.users),
      [20, 30, 28],
    );
    assert.equal(peakConcurrentUsers(periods), 30);
  });

  it('is unknown without periods', () => {
    assert.equal(peakConcurrentUsers([]), null);
  });
});
