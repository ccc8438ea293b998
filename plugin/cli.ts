// `npm run evaluate -- results.json`: the same evaluate() on a saved `artillery run -o` JSON, for runs whose
// collector never loaded the plugin (run-fargate, the rehearsal's merged file) and for re-grading old runs
// with new targets.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { formatSummary } from './console-summary.js';
import { type ArtilleryResults, evaluate } from './evaluate.js';
import { evaluationPath } from './index.js';
import { forProfile, loadTargets } from './targets.js';

export const EVALUATE_USAGE =
  'Usage: npm run evaluate -- <results.json> [--targets config/targets.yml] [--profile NAME] [--write]';

interface ResultsMetadata {
  tags?: unknown;
  count?: unknown;
  artilleryVersion?: { core?: unknown };
}

/** An Artillery-style tag of a results file: run-fargate's `--tags name:value` and the rehearsal's. */
export function resultsTag(results: unknown, name: string): string | undefined {
  const tags = (results as { metadata?: ResultsMetadata } | null)?.metadata?.tags;
  if (!Array.isArray(tags)) return undefined;
  const value = (tags as Array<{ name?: unknown; value?: unknown } | null>).find(
    (t) => t?.name === name,
  )?.value;
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/**
 * Grades a results file. The profile (per-profile target overrides) is --profile, else the file's
 * `profile` tag; `knownProfiles` (the runner's profile names) turns a mistyped one into an error.
 */
export function evaluateCommand(
  argv: string[],
  defaultTargets: string,
  knownProfiles?: readonly string[],
): number {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    strict: true,
    options: { targets: { type: 'string' }, profile: { type: 'string' }, write: { type: 'boolean' } },
  });
  if (positionals.length !== 1) throw new Error(EVALUATE_USAGE);
  const file = positionals[0]!;
  let results: ArtilleryResults & { metadata?: ResultsMetadata };
  try {
    results = JSON.parse(readFileSync(file, 'utf8')) as ArtilleryResults;
  } catch (e) {
    throw new Error(`cannot read ${file} as Artillery results JSON: ${(e as Error).message.split('\n')[0]}`);
  }
  if (typeof results !== 'object' || results === null || typeof results.aggregate !== 'object') {
    throw new Error(`${file} has no "aggregate": pass the file written by "artillery run -o"`);
  }
  const tagged = resultsTag(results, 'profile');
  const profile = values.profile ?? tagged;
  const from = values.profile === undefined ? "the file's profile tag" : '--profile';
  if (profile !== undefined && knownProfiles && !knownProfiles.includes(profile))
    throw new Error(`unknown profile "${profile}" (${from}): use one of ${knownProfiles.join(', ')}`);
  const targets = forProfile(loadTargets(values.targets ?? defaultTargets), profile);
  const evaluation = evaluate(results, targets);
  console.log(
    profile === undefined
      ? 'evaluate: no profile given or tagged: the base targets apply (add --profile NAME)'
      : `evaluate: profile ${profile} (${from})`,
  );
  console.log(formatSummary(evaluation));
  if (values.write) {
    const out = evaluationPath(path.resolve(file));
    const md = results.metadata;
    writeFileSync(
      out,
      JSON.stringify(
        {
          kind: 'btcw-evaluation',
          version: 1,
          meta: {
            source: path.basename(file),
            profile: profile ?? null,
            runTag: resultsTag(results, 'runTag') ?? null,
            containers: typeof md?.count === 'number' ? md.count : null,
            artillery: typeof md?.artilleryVersion?.core === 'string' ? md.artilleryVersion.core : null,
          },
          evaluation,
          intermediate: results.intermediate ?? [],
        },
        null,
        1,
      ),
    );
    console.log(`evaluation written to ${out}`);
  }
  return evaluation.exitCode;
}
