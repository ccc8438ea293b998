// The evaluation document (`<run>.evaluation.json`): the verdict, the run's metadata and its 10 s periods.
// One owner for its type, its version and its reading: the plugin writes it at the end of a run, `npm run
// evaluate -- --write` for merged runs, the report reads it, and the tests build it the same way.
//
// Version 2: failures per request name by status and error code (`endpoints[].failures`,
// `overall.failures`), reasons with a `kind` and `subject`, `meta.targetsFile`. Version 1 files are still
// read: their failures keep the codes Locust's rule gives when that rule explains them; otherwise the part
// that the network errors do not explain is shown as "status not recorded".
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import type { CapacityResult, CapacityStepResult } from '../grading/capacity-grading.js';
import type {
  ArtilleryReport,
  ArtilleryResults,
  EndpointResult,
  Evaluation,
  FailureCounts,
  Reason,
  ReasonKind,
} from '../grading/evaluation.js';
import { UNRECORDED } from '../grading/evaluation.js';

export const DOCUMENT_KIND = 'btcw-evaluation';
export const DOCUMENT_VERSION = 2;

/** What is known about the run that was graded. Never credentials or tokens. */
export interface RunMeta {
  /** The results file graded, for documents made by `npm run evaluate` or `npm run report`. */
  source?: string | null;
  environment?: string | null;
  profile?: string | null;
  userMix?: string | null;
  /** The engine the users ran on: btcw or http (Artillery's). Absent in documents saved before it. */
  engine?: string | null;
  /** scheme://host:port only. */
  target?: string | null;
  runTag?: string | null;
  seed?: string | null;
  /** The targets file the run was graded with. */
  targetsFile?: string | null;
  adminLogin?: { status: number; reason: string; given?: boolean } | null;
  interrupted?: boolean;
  /** Containers of a distributed run. */
  containers?: number | null;
  artillery?: string | null;
  node?: string | null;
  generatedAt?: string | null;
}

export interface EvaluationDocument {
  kind: typeof DOCUMENT_KIND;
  version: typeof DOCUMENT_VERSION;
  meta: RunMeta;
  evaluation: Evaluation;
  /** The 10 s periods: counters and summaries (no sketches). */
  intermediate: ArtilleryReport[];
  /** One step of the capacity finder, graded after its settle time (plugin/capacity-step.ts). */
  capacityStep?: CapacityStepResult;
  /** The capacity finder's answer and steps (grading/capacity-grading.ts), in its result document only. */
  capacity?: CapacityResult;
}

export class DocumentError extends Error {}

export function buildDocument(
  evaluation: Evaluation,
  meta: RunMeta,
  intermediate: readonly ArtilleryReport[] = [],
): EvaluationDocument {
  return {
    kind: DOCUMENT_KIND,
    version: DOCUMENT_VERSION,
    meta,
    evaluation,
    intermediate: [...intermediate],
  };
}

/** Where the evaluation JSON goes: next to `-o results.json` as `results.evaluation.json`. */
export function evaluationPath(output: string): string {
  return `${output.replace(/\.json$/i, '')}.evaluation.json`;
}

// ---- validation -------------------------------------------------------------------------------------------
// Loose objects: what the report and the CLI read is checked, anything added later passes through.

const count = z.number().nonnegative();
const counts = z.record(z.string(), z.number());
const nullableNumber = z.number().nullable();
const failures = z.looseObject({ codes: counts, errors: counts });
const latency = z
  .looseObject({ p50: z.number(), p95: z.number(), p99: z.number(), mean: z.number() })
  .nullable();

const EndpointSchema = z.looseObject({
  name: z.string(),
  class: z.string(),
  requests: count,
  failed: count,
  errorRate: z.number(),
  throughput: nullableNumber,
  latency,
  value: nullableNumber,
  tier: z.string().nullable(),
  targetTier: z.string(),
  meetsTarget: z.boolean(),
  codes: counts,
  errors: counts,
  failures: failures.optional(),
});

const EvaluationSchema = z.looseObject({
  verdict: z.enum(['PASS', 'WARN', 'FAIL']),
  exitCode: z.number(),
  reasons: z.array(
    z.looseObject({ verdict: z.enum(['WARN', 'FAIL']), message: z.string(), kind: z.string().optional() }),
  ),
  statistic: z.string(),
  durationSeconds: nullableNumber,
  overall: z.looseObject({
    requests: count,
    failed: count,
    errorRate: z.number(),
    errorLevel: z.string(),
    throughput: nullableNumber,
    value: nullableNumber,
    tier: z.string().nullable(),
    failures: failures.optional(),
  }),
  classes: z.array(
    z.looseObject({
      class: z.string(),
      requests: count,
      failed: count,
      errorRate: z.number(),
      throughput: nullableNumber,
      throughputTarget: nullableNumber,
      throughputStatus: z.string(),
      value: nullableNumber,
      tier: z.string().nullable(),
    }),
  ),
  endpoints: z.array(EndpointSchema),
  pack: z.looseObject({
    logins: z.number(),
    relogins: z.number(),
    usersStarted: counts,
    usersStopped: counts,
    skipped: counts,
  }),
});

const DocumentSchema = z.looseObject({
  kind: z.literal(DOCUMENT_KIND).optional(),
  version: z.number().int().positive().optional(),
  meta: z.looseObject({}).optional(),
  evaluation: EvaluationSchema,
  intermediate: z.array(z.looseObject({ counters: counts.optional() })).optional(),
});

function where(issue: z.core.$ZodIssue): string {
  return issue.path.length > 0 ? `"${issue.path.join('.')}"` : 'the top level';
}

const CapacitySchema = z.looseObject({
  answer: z.looseObject({ line: z.string() }),
  steps: z.array(
    z.looseObject({
      users: z.number(),
      limits: z.array(z.looseObject({ subject: z.string(), message: z.string() })),
      classes: z.array(z.looseObject({ class: z.string() })),
      generator: z.looseObject({ budget: z.number() }),
    }),
  ),
});

/** Looks like an evaluation document (rather than Artillery's own results). */
export function isEvaluationDocument(raw: unknown): boolean {
  return typeof raw === 'object' && raw !== null && 'evaluation' in raw;
}

/**
 * Checks a parsed evaluation document and brings a version 1 document up to this version. Throws a
 * DocumentError with one line naming the file, the place and the problem.
 */
export function parseDocument(raw: unknown, source: string): EvaluationDocument {
  const parsed = DocumentSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new DocumentError(`${source} is not a readable evaluation: ${where(issue)}: ${issue.message}`);
  }
  const version = parsed.data.version ?? 1;
  if (version > DOCUMENT_VERSION)
    throw new DocumentError(
      `${source} is an evaluation of version ${version}, written by a newer pack: this one reads up to ` +
        `version ${DOCUMENT_VERSION}`,
    );
  const doc = raw as Partial<EvaluationDocument> & { evaluation: Evaluation };
  const evaluation = version < 2 ? upgradeEvaluation(doc.evaluation) : doc.evaluation;
  const built = buildDocument(evaluation, (doc.meta ?? {}) as RunMeta, doc.intermediate ?? []);
  // The capacity finder's answer and steps (commands/capacity.ts) travel with the document to the report.
  if (doc.capacity !== undefined) {
    const capacity = CapacitySchema.safeParse(doc.capacity);
    if (!capacity.success) {
      const issue = capacity.error.issues[0]!;
      throw new DocumentError(
        `${source} is not a readable evaluation: "capacity.${issue.path.join('.')}": ${issue.message}`,
      );
    }
    built.capacity = doc.capacity;
  }
  // One capacity step's grade (plugin/capacity-step.ts), which the finder reads back for each step.
  if (doc.capacityStep !== undefined) {
    if (typeof doc.capacityStep !== 'object' || doc.capacityStep === null)
      throw new DocumentError(`${source} is not a readable evaluation: "capacityStep" is not an object`);
    built.capacityStep = doc.capacityStep;
  }
  return built;
}

const sum = (o: Record<string, number>) => Object.values(o).reduce((a, b) => a + b, 0);

/** Version 1 endpoints had a failure total only: its breakdown as well as it can be told. */
function v1Failures(endpoint: EndpointResult): FailureCounts {
  const byRule = Object.fromEntries(Object.entries(endpoint.codes).filter(([code]) => Number(code) >= 400));
  // Locust's rule (no expectations known) explains the total exactly: take its codes.
  if (sum(byRule) + sum(endpoint.errors) === endpoint.failed)
    return { codes: byRule, errors: { ...endpoint.errors } };
  const out: FailureCounts = { codes: {}, errors: {} };
  let left = endpoint.failed;
  for (const [code, count] of Object.entries(endpoint.errors)) {
    const take = Math.min(count, left);
    if (take > 0) out.errors[code] = take;
    left -= take;
  }
  if (left > 0) out.errors[UNRECORDED] = left;
  return out;
}

const V1_KINDS: Array<[RegExp, ReasonKind]> = [
  [/^no requests were made/, 'no-requests'],
  [/^error rate /, 'error-rate'],
  [/ throughput .* is below its target .* saturated/, 'saturated'],
  [/ failed \d+ of \d+ requests/, 'broken'],
  [/ ms is \w+, below its target tier /, 'slow'],
];

function v1Reason(reason: Reason, endpoints: readonly EndpointResult[]): Reason {
  const kind = V1_KINDS.find(([re]) => re.test(reason.message))?.[1] ?? 'slow';
  const subject =
    kind === 'saturated'
      ? reason.message.split(' ')[0]
      : kind === 'broken' || kind === 'slow'
        ? endpoints.find((e) => reason.message.startsWith(`${e.name} `))?.name
        : undefined;
  return { ...reason, kind, ...(subject === undefined ? {} : { subject }) };
}

function upgradeEvaluation(evaluation: Evaluation): Evaluation {
  const endpoints = evaluation.endpoints.map((x) => ({ ...x, failures: x.failures ?? v1Failures(x) }));
  const overall: FailureCounts = { codes: {}, errors: {} };
  for (const endpoint of endpoints) {
    for (const [key, count] of Object.entries(endpoint.failures.codes))
      overall.codes[key] = (overall.codes[key] ?? 0) + count;
    for (const [key, count] of Object.entries(endpoint.failures.errors))
      overall.errors[key] = (overall.errors[key] ?? 0) + count;
  }
  return {
    ...evaluation,
    reasons: evaluation.reasons.map((r) => (r.kind ? r : v1Reason(r, endpoints))),
    overall: { ...evaluation.overall, failures: evaluation.overall.failures ?? overall },
    endpoints,
    pack: { ...evaluation.pack, loginRetries: evaluation.pack.loginRetries ?? 0 },
  };
}

// ---- files ------------------------------------------------------------------------------------------------

export function readJsonFile(file: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as { code?: string }).code;
    throw new DocumentError(`cannot read ${file}: ${code === 'ENOENT' ? 'no such file' : code}`);
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new DocumentError(`cannot read ${file} as JSON: ${(error as Error).message.split('\n')[0]}`);
  }
}

/** Artillery's `-o` results: an object with an `aggregate` report. */
export function isArtilleryResults(raw: unknown): raw is ArtilleryResults {
  return (
    typeof raw === 'object' &&
    raw !== null &&
    typeof (raw as { aggregate?: unknown }).aggregate === 'object' &&
    (raw as { aggregate?: unknown }).aggregate !== null
  );
}

/** Reads an evaluation document from a file (one line on anything wrong with it). */
export function loadEvaluationDocument(file: string): EvaluationDocument {
  const raw = readJsonFile(file);
  if (!isEvaluationDocument(raw))
    throw new DocumentError(`${file} is not an evaluation (*.evaluation.json): it has no "evaluation"`);
  return parseDocument(raw, file);
}
