// A saved `artillery run -o` results file: read and validated, and graded as the run graded it (the
// profile and the targets file found from the flags, the file's tags, the run's record or the evaluation
// beside it). The evaluate and report commands both grade through here.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { type ArtilleryResults, evaluate } from '../grading/evaluation.js';
import { withStop } from '../grading/run-stop.js';
import { forProfile } from '../grading/targets.js';
import { RUN_PROFILE } from '../lib/metrics.js';
import { targetsFileFromEnv } from '../lib/run-plan.js';
import {
  buildDocument,
  DocumentError,
  type EvaluationDocument,
  evaluationPath,
  isArtilleryResults,
  isEvaluationDocument,
  parseDocument,
  readJsonFile,
} from './evaluation-document.js';
import { recordedStop } from './partial-results.js';
import { loadTargets } from './targets-file.js';

interface ResultsMetadata {
  tags?: unknown;
  count?: unknown;
  artilleryVersion?: { core?: unknown };
}

export type Results = ArtilleryResults & { metadata?: ResultsMetadata };

/** An Artillery-style tag of a results file: run-fargate's `--tags name:value` and the rehearsal's. */
export function resultsTag(results: unknown, name: string): string | undefined {
  const tags = (results as { metadata?: ResultsMetadata } | null)?.metadata?.tags;
  if (!Array.isArray(tags)) return undefined;
  const value = (tags as Array<{ name?: unknown; value?: unknown } | null>).find(
    (t) => t?.name === name,
  )?.value;
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** The profile the plugin's worker half recorded in the counters (`run_profile.<name>`), when only one. */
export function recordedProfile(results: ArtilleryResults): string | undefined {
  const names = Object.keys(results.aggregate?.counters ?? {})
    .filter((k) => k.startsWith(RUN_PROFILE))
    .map((k) => k.slice(RUN_PROFILE.length));
  return names.length === 1 && names[0] !== '' ? names[0] : undefined;
}

/** The evaluation the plugin wrote beside a results file, if any and readable. */
function siblingDocument(file: string): EvaluationDocument | undefined {
  const beside = evaluationPath(file);
  if (beside === file || !existsSync(beside)) return undefined;
  try {
    return parseDocument(readJsonFile(beside), beside);
  } catch {
    return undefined;
  }
}

export interface Graded {
  document: EvaluationDocument;
  /** How the profile was found, for one line of output. */
  profileLine: string;
  /** How the targets file was found, when not the default one. */
  targetsLine: string | null;
}

export interface GradeOptions {
  /** --profile. */
  profile?: string | undefined;
  /** --targets. */
  targets?: string | undefined;
  /** The targets file when nothing else names one (config/targets.yml). */
  defaultTargets: string;
  /** The runner's profile names: a profile not among them is an error. */
  knownProfiles?: readonly string[] | undefined;
}

/**
 * Grades an `artillery run -o` results file as its run did. The profile: --profile; else the file's
 * `profile` tag (run-fargate --tags, the rehearsal); else the profile the plugin's worker half recorded in
 * the counters; else `meta.profile` of the evaluation written beside it. The targets file: --targets; else
 * BTCW_TARGETS_FILE (as the run reads it); else the one the run recorded (meta.targetsFile) while it
 * exists; else the default.
 */
export function gradeResults(file: string, results: Results, opts: GradeOptions): Graded {
  const beside = siblingDocument(file);
  const sources: Array<[string | undefined, string]> = [
    [opts.profile, '--profile'],
    [resultsTag(results, 'profile'), "the file's profile tag"],
    [recordedProfile(results), 'recorded by the run'],
    [beside?.meta.profile ?? undefined, `meta.profile of ${path.basename(evaluationPath(file))}`],
  ];
  const [profile, from] = sources.find(
    ([candidate]) => typeof candidate === 'string' && candidate !== '',
  ) ?? [undefined, ''];
  if (profile !== undefined && opts.knownProfiles && !opts.knownProfiles.includes(profile))
    throw new DocumentError(
      `unknown profile "${profile}" (${from}): use one of ${opts.knownProfiles.join(', ')}`,
    );

  const recorded = beside?.meta.targetsFile ?? undefined;
  const fromEnv = targetsFileFromEnv(process.env);
  let targetsFile = opts.defaultTargets;
  let targetsLine: string | null = null;
  if (opts.targets !== undefined) targetsFile = opts.targets;
  else if (fromEnv !== undefined) {
    targetsFile = fromEnv;
    targetsLine = `targets ${targetsFile} (BTCW_TARGETS_FILE)`;
  } else if (recorded && path.resolve(recorded) !== path.resolve(opts.defaultTargets)) {
    if (existsSync(recorded)) {
      targetsFile = recorded;
      targetsLine = `targets ${recorded} (the run's)`;
    } else targetsLine = `the run's targets file ${recorded} is gone: ${opts.defaultTargets} applies`;
  }

  const graded = evaluate(results, forProfile(loadTargets(targetsFile), profile));
  // A run that ended early (the pack wrote its file): regrading it says so, with the run's exit code.
  const stop = recordedStop(results);
  const evaluation = stop ? withStop(graded, stop) : graded;
  const md = results.metadata;
  const document = buildDocument(
    evaluation,
    {
      ...(beside?.meta ?? {}),
      source: path.basename(file),
      profile: profile ?? null,
      runTag: resultsTag(results, 'runTag') ?? beside?.meta.runTag ?? null,
      engine: resultsTag(results, 'engine') ?? beside?.meta.engine ?? null,
      targetsFile: path.resolve(targetsFile),
      containers: typeof md?.count === 'number' ? md.count : (beside?.meta.containers ?? null),
      artillery:
        typeof md?.artilleryVersion?.core === 'string'
          ? md.artilleryVersion.core
          : (beside?.meta.artillery ?? null),
      generatedAt: new Date().toISOString(),
      ...(stop ? { interrupted: true } : {}),
    },
    results.intermediate ?? [],
  );
  const profileLine =
    profile === undefined
      ? 'no profile given, tagged or recorded: the base targets apply (add --profile NAME)'
      : `profile ${profile} (${from})`;
  return { document, profileLine, targetsLine };
}

/** Reads an `artillery run -o` results file (one line on anything wrong with it). */
export function readResults(file: string): Results {
  const raw = readJsonFile(file);
  if (isArtilleryResults(raw)) return raw;
  if (isEvaluationDocument(raw))
    throw new DocumentError(
      `${file} is an evaluation, not Artillery results: grade the results file beside it, ` +
        'or render it with npm run report',
    );
  throw new DocumentError(`${file} has no "aggregate": pass the file written by "artillery run -o"`);
}
