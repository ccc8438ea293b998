// The run plan: what a run's settings resolved to, worked out once by the command that starts the run and
// written to one file that Artillery's process finds as BTCW_PLAN=<path>. The plugin, its guard, the
// processors and the worker-count preload read the targets file, the profile, the baselines folder, the run
// tag, the seed, the admin credentials' source, the guard switch and the worker count from it (through
// lib/run-settings.ts) instead of resolving them again. It holds no secret: only where the credentials
// came from.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';

export const PLAN_ENV = 'BTCW_PLAN';

/**
 * BTCW_TARGETS_FILE, the one environment reading of the targets file for a run, the plugin without a plan
 * and the grading of saved files: set and not empty, or nothing.
 */
export function targetsFileFromEnv(vars: NodeJS.ProcessEnv): string | undefined {
  return vars.BTCW_TARGETS_FILE || undefined;
}

export const ENGINES = ['http', 'btcw'] as const;
export type Engine = (typeof ENGINES)[number];

/** Each profile's engine when --engine is not given: the heavy profiles want the lighter client. */
const PROFILE_ENGINE: Readonly<Record<string, Engine>> = {
  load: 'btcw',
  stress: 'btcw',
  spike: 'btcw',
  capacity: 'btcw',
};

export const isEngine = (value: string): value is Engine => (ENGINES as readonly string[]).includes(value);

/** The one resolution of the engine: the flag, else the profile's default (smoke and the modules: http). */
export function resolveEngine(profile: string, requested?: Engine): Engine {
  return requested ?? PROFILE_ENGINE[profile] ?? 'http';
}

/**
 * What `--overrides` gives flows.yml for an engine: the weights of its two scenarios (btcw-user on
 * Artillery's HTTP engine, btcw-engine-user on the btcw engine), so every user runs on the chosen one.
 */
export function engineVariables(engine: Engine): { engineWeights: Record<Engine, number> } {
  return { engineWeights: { http: engine === 'http' ? 1 : 0, btcw: engine === 'btcw' ? 1 : 0 } };
}

const PlanSchema = z.object({
  version: z.literal(1),
  profile: z.string().min(1),
  runTag: z.string().min(1),
  /** The payloads' seed (--seed, BTCW_SEED), or null: each run draws its own. */
  seed: z
    .string()
    .regex(/^\d{1,10}$/)
    .nullable(),
  environment: z.string().min(1),
  targetsFile: z.string().min(1),
  baselinesDir: z.string().min(1),
  /** The baseline file this run is graded against, resolved, or null. */
  baseline: z.string().min(1).nullable(),
  /** Where the admin credentials came from: given in the environment, or the target's default. */
  adminCredentials: z.enum(['given', 'default']),
  /** Artillery worker threads; null = Artillery's own choice. */
  workers: z.number().int().positive().nullable(),
  /** The live error-rate guard; false: --no-guard for this run (targets.yml can still turn it off). */
  guard: z.boolean(),
  engine: z.enum(ENGINES),
});

export type RunPlan = z.infer<typeof PlanSchema>;

export class RunPlanError extends Error {}

/** Writes the plan beside the run's results; returns the file to hand to Artillery as BTCW_PLAN. */
export function writeRunPlan(plan: RunPlan, dir: string): string {
  const file = path.resolve(dir, `${plan.profile}-${plan.runTag}.plan.json`);
  writeFileSync(file, `${JSON.stringify(PlanSchema.parse(plan), null, 2)}\n`);
  return file;
}

/** The plan named by BTCW_PLAN, validated; null for a run started without one (a raw artillery run). */
export function readRunPlan(vars: NodeJS.ProcessEnv = process.env): RunPlan | null {
  const file = vars[PLAN_ENV];
  if (!file) return null;
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new RunPlanError(`cannot read the run plan ${file} (${PLAN_ENV}): ${(error as Error).message}`);
  }
  const parsed = PlanSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new RunPlanError(`the run plan ${file} is not valid: ${issue.path.join('.')}: ${issue.message}`);
  }
  return parsed.data;
}
