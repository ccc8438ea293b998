// The baseline file (`baselines/<profile>/<NAME>.json`): a run's snapshot (grading/metric-snapshot.ts) with
// what says where it came from: small and committable, never credentials (the snapshot has counts and
// latencies only; the target is scheme://host:port). Kind `btcw-baseline`, version 1, written by this pack
// only; reading one checks kind, pack, version, profile and engine, with one line on anything wrong.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { type Snapshot, snapshotOf } from '../grading/metric-snapshot.js';
import { STATISTICS } from '../grading/targets.js';
import { DOCUMENT_VERSION, type EvaluationDocument, readJsonFile } from './evaluation-document.js';

export const BASELINE_KIND = 'btcw-baseline';
export const BASELINE_VERSION = 1;
/** The pack that writes and reads baselines (package.json `name`). */
export const PACK_NAME = 'btc-watcher-load-pack';
/** Where baselines live: BTCW_BASELINES_DIR, else baselines/ in `root` (the pack, or a raw run's folder). */
export function baselinesDir(root: string, vars: NodeJS.ProcessEnv = process.env): string {
  return path.resolve(root, vars.BTCW_BASELINES_DIR || 'baselines');
}

export interface BaselineFile {
  kind: typeof BASELINE_KIND;
  version: typeof BASELINE_VERSION;
  pack: typeof PACK_NAME;
  name: string;
  profile: string;
  savedAt: string;
  /** The graded run it was saved from. */
  run: {
    runTag: string | null;
    generatedAt: string | null;
    environment: string | null;
    target: string | null;
    userMix: string | null;
    /** btcw or http; absent in baselines saved before it (they are taken as comparable). */
    engine?: string | null;
    seed: string | null;
    verdict: string;
    evaluationVersion: number;
  };
  snapshot: Snapshot;
}

export class BaselineError extends Error {}

const NAME_RE = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

/** A baseline name is a file name: letters, digits, `.`, `_`, `-`. */
export function checkBaselineName(name: string): string {
  if (!NAME_RE.test(name) || name.endsWith('.json'))
    throw new BaselineError(
      `baseline name "${name}" is not usable: use up to 64 letters, digits, ".", "_" or "-" (e.g. main)`,
    );
  return name;
}

/** `<dir>/<profile>/<NAME>.json`, with `dir` from baselinesDir(). */
export function baselinePath(dir: string, profile: string, name: string): string {
  return path.join(dir, profile, `${checkBaselineName(name)}.json`);
}

/** Whether `NAME|FILE` names a file (it has a `/` or ends in .json) rather than a saved baseline. */
export const isBaselineFile = (arg: string) =>
  arg.includes('/') || arg.includes(path.sep) || arg.endsWith('.json');

/** `--baseline NAME|FILE`: a path as given, else <dir>/<profile>/<NAME>.json. */
export function resolveBaseline(arg: string, profile: string, dir: string): string {
  if (isBaselineFile(arg)) return path.resolve(arg);
  return baselinePath(dir, profile, arg);
}

export function baselineFromDocument(doc: EvaluationDocument, name: string, savedAt: string): BaselineFile {
  const meta = doc.meta;
  if (!meta.profile) throw new BaselineError('the run has no profile: a baseline belongs to one profile');
  return {
    kind: BASELINE_KIND,
    version: BASELINE_VERSION,
    pack: PACK_NAME,
    name: checkBaselineName(name),
    profile: meta.profile,
    savedAt,
    run: {
      runTag: meta.runTag ?? null,
      generatedAt: meta.generatedAt ?? null,
      environment: meta.environment ?? null,
      target: meta.target ?? null,
      userMix: meta.userMix ?? null,
      engine: meta.engine ?? null,
      seed: meta.seed ?? null,
      verdict: doc.evaluation.verdict,
      evaluationVersion: DOCUMENT_VERSION,
    },
    snapshot: snapshotOf(doc.evaluation, doc.intermediate),
  };
}

export function writeBaseline(file: string, baseline: BaselineFile): void {
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify(baseline, null, 1)}\n`);
}

// ---- reading ----------------------------------------------------------------------------------------------

const nn = z.number().nonnegative();
const Stats = z.looseObject(Object.fromEntries(STATISTICS.map((s) => [s, z.number()]))).nullable();
const Period = z.looseObject({
  s: z.number(),
  requests: nn,
  failed: nn,
  stats: Stats,
  serverStats: Stats.optional(),
});
const Subject = {
  requests: nn,
  failed: nn,
  errorRate: z.number().min(0).max(1),
  stats: Stats,
  serverStats: Stats.optional(),
  periods: z.array(Period),
};
const SnapshotSchema = z.looseObject({
  statistic: z.enum(STATISTICS),
  durationSeconds: z.number().nullable(),
  overall: z.looseObject(Subject),
  classes: z.array(z.looseObject({ class: z.string(), ...Subject })),
  endpoints: z.array(z.looseObject({ name: z.string(), class: z.string(), ...Subject })),
});
const BaselineSchema = z.looseObject({
  name: z.string(),
  profile: z.string(),
  savedAt: z.string(),
  run: z.looseObject({ verdict: z.string() }),
  snapshot: SnapshotSchema,
});

/**
 * Checks a parsed baseline: its kind, pack, version, its shape, and, when given, its profile and engine.
 * Throws a BaselineError with one line naming the file, the problem and the fix.
 */
export function parseBaseline(
  raw: unknown,
  file: string,
  profile?: string,
  engine?: string | null,
): BaselineFile {
  const fields = (typeof raw === 'object' && raw !== null ? raw : {}) as Record<string, unknown>;
  const again = 'save a new one with --save-baseline NAME';
  if (fields.kind !== BASELINE_KIND) {
    const what =
      'evaluation' in fields
        ? 'an evaluation'
        : 'aggregate' in fields
          ? "Artillery's results"
          : 'not a baseline';
    throw new BaselineError(
      `${file} is ${what === 'not a baseline' ? what : `${what}, not a baseline`} ` +
        `(kind ${BASELINE_KIND}): ${again} (npm run compare takes evaluation files as they are)`,
    );
  }
  if (fields.pack !== PACK_NAME)
    throw new BaselineError(`${file} is a baseline of another pack (${String(fields.pack)}): ${again}`);
  if (fields.version !== BASELINE_VERSION)
    throw new BaselineError(
      `${file} is a baseline of version ${String(fields.version)}; ` +
        `this pack reads version ${BASELINE_VERSION}: ${again}`,
    );
  const parsed = BaselineSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const where = issue.path.length > 0 ? `"${issue.path.join('.')}"` : 'the top level';
    throw new BaselineError(`${file} is not a readable baseline: ${where}: ${issue.message}: ${again}`);
  }
  const baseline = raw as BaselineFile;
  if (profile !== undefined && baseline.profile !== profile)
    throw new BaselineError(
      `${file} is a baseline of profile ${baseline.profile}, this run is ${profile}: ` +
        `use a baseline of ${profile} (baselines/${profile}/) or ${again}`,
    );
  // Each engine's client adds its own time to every request: latencies of one against the other's would
  // read as a regression or an improvement of the API.
  const saved = baseline.run.engine;
  if (engine && saved && saved !== engine)
    throw new BaselineError(
      `${file} was saved from a run on the ${saved} engine, this run is on ${engine}: ` +
        `run with --engine ${saved}, or ${again} from a run on ${engine}`,
    );
  return baseline;
}

/** Reads and checks a baseline file (one line on anything wrong with it). */
export function readBaseline(file: string, profile?: string, engine?: string | null): BaselineFile {
  let raw: unknown;
  try {
    raw = readJsonFile(file);
  } catch (error) {
    throw new BaselineError(`baseline: ${(error as Error).message}: save one with --save-baseline NAME`);
  }
  return parseBaseline(raw, file, profile, engine);
}
