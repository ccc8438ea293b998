// What an Artillery process of this pack runs with: the run plan's settings when a command wrote one
// (BTCW_PLAN), else the environment's, for the forms that have no plan (a raw `artillery run`, and the
// containers of a distributed run, which get only variables). The processors, the plugin and its guard
// read their settings here, so a run with a plan resolves nothing again from the shell it inherited.
import { type AdminSource, adminSource } from './credentials.js';
import { type RunPlan, readRunPlan } from './run-plan.js';

export const RUN_TAG_ENV = 'BTCW_RUN_TAG';
export const SEED_ENV = 'BTCW_SEED';
/** `off` turns the live guard off for one run without a plan (the plan's `guard: false` otherwise). */
export const GUARD_ENV = 'BTCW_GUARD';

export interface RunSettings {
  /** The run's shared tag as its command made it; null: none given (a raw run makes its own). */
  runTag: string | null;
  /** The payloads' seed as given, or null. */
  seed: string | null;
  adminCredentials: AdminSource;
  guard: boolean;
  /** The plan these came from, or null. */
  plan: RunPlan | null;
}

const orNull = (value: string | undefined): string | null =>
  value === undefined || value === '' ? null : value;

/** Throws RunPlanError for a named plan that cannot be read (the plugin stops the run on it). */
export function runSettings(env: NodeJS.ProcessEnv = process.env): RunSettings {
  const plan = readRunPlan(env);
  if (plan !== null)
    return {
      runTag: plan.runTag,
      seed: plan.seed,
      adminCredentials: plan.adminCredentials,
      guard: plan.guard,
      plan,
    };
  return {
    runTag: orNull(env[RUN_TAG_ENV]),
    seed: orNull(env[SEED_ENV]),
    adminCredentials: adminSource(env),
    guard: env[GUARD_ENV] !== 'off',
    plan: null,
  };
}

/** The seed as the payloads' generators take it: a 32-bit number, drawn when none was given. */
export function seedNumber(seed: string | null): number {
  return seed === null ? Math.floor(Math.random() * 2 ** 32) : Number(seed) >>> 0;
}
