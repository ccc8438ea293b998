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

const Overrides = z.strictObject({
  statistic: z.enum(STATISTICS).optional(),
  responseTime: ResponseTime.partial().optional(),
  errorRate: ErrorRate.partial().optional(),
  throughput: z.record(z.string(), z.number().nonnegative()).optional(),
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

export class TargetsError extends Error {}

function describeIssue(issue: z.core.$ZodIssue): string {
  const where = issue.path.length > 0 ? issue.path.join('.') : '(top level)';
  if (issue.code === 'unrecognized_keys')
    return `unknown key "${[...(issue.path as PropertyKey[]), issue.keys[0]].join('.')}"`;
  return `"${where}": ${issue.message}`;
}

function checkOrder(
  t: { excellent: number; good: number; acceptable: number; poor: number },
  where: string,
): void {
  if (!(t.excellent < t.good && t.good < t.acceptable && t.acceptable < t.poor)) {
    throw new TargetsError(`${where} tiers must increase: excellent < good < acceptable < poor`);
  }
}

/** Validates parsed YAML; throws TargetsError with one line naming the key and the problem. */
export function validateTargets(raw: unknown, source = 'targets'): Targets {
  const r = TargetsSchema.safeParse(raw);
  if (!r.success) throw new TargetsError(`${source}: ${describeIssue(r.error.issues[0]!)}`);
  const t = r.data;
  checkOrder(t.responseTime, `${source}: responseTime`);
  const e = t.errorRate;
  if (!(e.acceptable <= e.warning && e.warning <= e.critical))
    throw new TargetsError(`${source}: errorRate levels must increase: acceptable <= warning <= critical`);
  for (const rule of t.classes) {
    if (rule.path !== undefined) {
      try {
        new RegExp(rule.path);
      } catch {
        throw new TargetsError(`${source}: classes: "${rule.path}" is not a valid regular expression`);
      }
    }
  }
  return t;
}

/** The response-time tiers in force for one request name: its override over the defaults. */
export function responseTimeFor(t: Targets, name: string): Targets['responseTime'] {
  return { ...t.responseTime, ...t.endpoints?.[name]?.responseTime };
}

/** The upper bounds (ms, exclusive) of a request name's tiers, excellent to poor. */
export function tierBoundsFor(t: Targets, name: string): number[] {
  const rt = responseTimeFor(t, name);
  return [rt.excellent, rt.good, rt.acceptable, rt.poor];
}

/** The targets in force for one profile: profile overrides merged over the defaults. */
export function forProfile(t: Targets, profile: string | undefined): Targets {
  const o = profile ? t.profiles?.[profile] : undefined;
  if (!o) return t;
  const merged: Targets = {
    ...t,
    statistic: o.statistic ?? t.statistic,
    responseTime: { ...t.responseTime, ...o.responseTime },
    errorRate: { ...t.errorRate, ...o.errorRate },
    throughput: { ...t.throughput, ...o.throughput },
  };
  checkOrder(merged.responseTime, `profiles.${profile}.responseTime`);
  return merged;
}
