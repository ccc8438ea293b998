// `npm run evaluate -- results.json`: the same evaluate() on a saved `artillery run -o` JSON, for runs whose
// collector never loaded the plugin (run-fargate) and for re-grading old runs with new targets.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { formatSummary } from './console-summary.js';
import { type ArtilleryResults, evaluate } from './evaluate.js';
import { evaluationPath } from './index.js';
import { forProfile, loadTargets } from './targets.js';

export const EVALUATE_USAGE =
  'Usage: npm run evaluate -- <results.json> [--targets config/targets.yml] [--profile NAME] [--write]';

export function evaluateCommand(argv: string[], defaultTargets: string): number {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    strict: true,
    options: { targets: { type: 'string' }, profile: { type: 'string' }, write: { type: 'boolean' } },
  });
  if (positionals.length !== 1) throw new Error(EVALUATE_USAGE);
  const file = positionals[0]!;
  let results: ArtilleryResults;
  try {
    results = JSON.parse(readFileSync(file, 'utf8')) as ArtilleryResults;
  } catch (e) {
    throw new Error(`cannot read ${file} as Artillery results JSON: ${(e as Error).message.split('\n')[0]}`);
  }
  if (typeof results !== 'object' || results === null || typeof results.aggregate !== 'object') {
    throw new Error(`${file} has no "aggregate": pass the file written by "artillery run -o"`);
  }
  const targets = forProfile(loadTargets(values.targets ?? defaultTargets), values.profile);
  const evaluation = evaluate(results, targets);
  console.log(formatSummary(evaluation));
  if (values.write) {
    const out = evaluationPath(path.resolve(file));
    writeFileSync(
      out,
      JSON.stringify(
        {
          kind: 'btcw-evaluation',
          version: 1,
          meta: { source: path.basename(file) },
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
