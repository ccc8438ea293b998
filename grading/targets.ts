// The performance targets: schema, defaults, loading and per-profile / per-endpoint resolution.
import { z } from 'zod';

export const TIERS = ['excellent', 'good', 'acceptable', 'poor', 'unacceptable'] as const;
export type Tier = (typeof TIERS)[number];
export const STATISTICS = ['mean', 'p50', 'p95', 'p99'] as const;
export type Statistic = (typeof STATISTICS)[number];
export const VERDICTS = ['PASS', 'WARN', 'FAIL'] as const;
export type Verdict = (typeof VERDICTS)[number];
/** What `failOn` may list: the verdicts that fail, and REGRESSION (a baseline comparison found one). */
export const FAIL_ON = ['WARN', 'FAIL', 'REGRESSION'] as const;

const rate = z.number().min(0).max(1);
const ms = z.number().positive();

const ResponseTime = z.strictObject({
  excellent: ms,
  good: ms,
  acceptable: ms,
  poor: ms,
  target: z.enum(['excellent', 'good', 'acceptable', 'poor']),
});
const ErrorRate = z.strictObject({ acceptable: rate, warning: rate, critical: rate, brokenEndpoint: rate });
const ClassRule = z.strictObject({
  class: z.string().min(1),
  method: z.array(z.string().min(1)).optional(),
  path: z.string().min(1).optional(),
  name: z.string().min(1).optional(),
});

/** What the live guard does at a level: nothing, one warning line when the level is reached, or stop. */
export const GUARD_ACTIONS = ['none', 'warn', 'stop'] as const;
const GuardAction = z.enum(GUARD_ACTIONS);
/** The live error-rate guard (grading/error-rate-guard.ts); every key optional, defaults there. */
const Guard = z.strictObject({
  enabled: z.boolean().optional(),
  windowSeconds: z.number().int().min(10).max(3600).optional(),
  settleSeconds: z.number().int().min(0).max(3600).optional(),
  minRequests: z.number().int().nonnegative().optional(),
  errorRate: ErrorRate.omit({ brokenEndpoint: true }).partial().optional(),
  actions: z
    .strictObject({ warning: GuardAction, high: GuardAction, critical: GuardAction })
    .partial()
    .optional(),
  latency: z
    .strictObject({
      past: z.enum(['excellent', 'good', 'acceptable', 'poor']),
      action: GuardAction.optional(),
    })
    .optional(),
});

const Overrides = z.strictObject({
  statistic: z.enum(STATISTICS).optional(),
  responseTime: ResponseTime.partial().optional(),
  errorRate: ErrorRate.partial().optional(),
  throughput: z.record(z.string(), z.number().nonnegative()).optional(),
  guard: Guard.optional(),
});

/** Allowed worsening against a baseline: relative for the statistic, absolute points for the error rate. */
const RegressionAllowance = z.strictObject({
  latency: z.number().nonnegative().optional(),
  errorRate: rate.optional(),
});
const Regression = z.strictObject({
  statistic: z.enum(STATISTICS).optional(),
  latency: z.number().nonnegative().optional(),
  errorRate: rate.optional(),
  minRequests: z.number().int().positive().optional(),
  minChangeMs: z.number().nonnegative().optional(),
  runShift: z.number().nonnegative().optional(),
  classes: z.record(z.string(), RegressionAllowance).optional(),
  endpoints: z.record(z.string(), RegressionAllowance).optional(),
});

/** How much a latency sample must show before it fails a run (grading/evidence.ts). */
const Evidence = z.strictObject({
  minSamples: z.number().int().positive().optional(),
  confidence: z.number().min(0.5).max(0.999).optional(),
});

export const TargetsSchema = z.strictObject({
  statistic: z.enum(STATISTICS),
  responseTime: ResponseTime,
  errorRate: ErrorRate,
  throughput: z.record(z.string(), z.number().nonnegative()),
  classes: z.array(ClassRule).min(1),
  failOn: z.array(z.enum(FAIL_ON)),
  evidence: Evidence.optional(),
  regression: Regression.optional(),
  guard: Guard.optional(),
  profiles: z.record(z.string(), Overrides).optional(),
  endpoints: z
    .record(
      z.string(),
      z.strictObject({
        statistic: z.enum(STATISTICS).optional(),
        responseTime: ResponseTime.partial().optional(),
      }),
    )
    .optional(),
});

export type Targets = z.infer<typeof TargetsSchema>;
export type ClassRuleSpec = z.infer<typeof ClassRule>;
export type RegressionSpec = z.infer<typeof Regression>;
export type GuardSpec = z.infer<typeof Guard>;
export type GuardAction = (typeof GUARD_ACTIONS)[number];

export class TargetsError extends Error {}

function describeIssue(issue: z.core.$ZodIssue): string {
  const where = issue.path.length > 0 ? issue.path.join('.') : '(top level)';
  if (issue.code === 'unrecognized_keys')
    return `unknown key "${[...(issue.path as PropertyKey[]), issue.keys[0]].join('.')}"`;
  return `"${where}": ${issue.message}`;
}

function checkOrder(
  tiers: { excellent: number; good: number; acceptable: number; poor: number },
  where: string,
): void {
  if (!(tiers.excellent < tiers.good && tiers.good < tiers.acceptable && tiers.acceptable < tiers.poor)) {
    throw new TargetsError(`${where} tiers must increase: excellent < good < acceptable < poor`);
  }
}

/** Validates parsed YAML; throws TargetsError with one line naming the key and the problem. */
export function validateTargets(raw: unknown, source = 'targets'): Targets {
  const parsed = TargetsSchema.safeParse(raw);
  if (!parsed.success) throw new TargetsError(`${source}: ${describeIssue(parsed.error.issues[0]!)}`);
  const targets = parsed.data;
  checkOrder(targets.responseTime, `${source}: responseTime`);
  const errorRate = targets.errorRate;
  if (!(errorRate.acceptable <= errorRate.warning && errorRate.warning <= errorRate.critical))
    throw new TargetsError(`${source}: errorRate levels must increase: acceptable <= warning <= critical`);
  // The guard's levels, as each profile resolves them (its own, else the errorRate ones).
  for (const profile of [undefined, ...Object.keys(targets.profiles ?? {})]) {
    const resolved = forProfile(targets, profile);
    const levels = { ...resolved.errorRate, ...resolved.guard?.errorRate };
    if (!(levels.acceptable <= levels.warning && levels.warning <= levels.critical))
      throw new TargetsError(
        `${source}: ${profile ? `profiles.${profile}.` : ''}guard.errorRate levels must increase: ` +
          'acceptable <= warning <= critical',
      );
  }
  for (const rule of targets.classes) {
    if (rule.path !== undefined) {
      try {
        new RegExp(rule.path);
      } catch {
        throw new TargetsError(`${source}: classes: "${rule.path}" is not a valid regular expression`);
      }
    }
  }
  return targets;
}

/** The response-time tiers in force for one request name: its override over the defaults. */
export function responseTimeFor(targets: Targets, name: string): Targets['responseTime'] {
  return { ...targets.responseTime, ...targets.endpoints?.[name]?.responseTime };
}

/** The upper bounds (ms, exclusive) of a request name's tiers, excellent to poor. */
export function tierBoundsFor(targets: Targets, name: string): number[] {
  const rt = responseTimeFor(targets, name);
  return [rt.excellent, rt.good, rt.acceptable, rt.poor];
}

/** The targets in force for one profile: profile overrides merged over the defaults. */
export function forProfile(targets: Targets, profile: string | undefined): Targets {
  const override = profile ? targets.profiles?.[profile] : undefined;
  if (!override) return targets;
  const merged: Targets = {
    ...targets,
    statistic: override.statistic ?? targets.statistic,
    responseTime: { ...targets.responseTime, ...override.responseTime },
    errorRate: { ...targets.errorRate, ...override.errorRate },
    throughput: { ...targets.throughput, ...override.throughput },
  };
  if (targets.guard || override.guard)
    merged.guard = {
      ...targets.guard,
      ...override.guard,
      errorRate: { ...targets.guard?.errorRate, ...override.guard?.errorRate },
      actions: { ...targets.guard?.actions, ...override.guard?.actions },
    };
  checkOrder(merged.responseTime, `profiles.${profile}.responseTime`);
  return merged;
}
