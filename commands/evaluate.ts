// `npm run evaluate -- results.json`: the same evaluate() on a saved `artillery run -o` JSON, for runs whose
// collector never loaded the plugin (run-fargate, the rehearsal's merged file) and for re-grading old runs
// with new targets. The profile and the targets file are found as the run found them (gradeResults), so
// re-grading a stress run without --profile gives the run's own verdict.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { readBaseline, resolveBaseline } from '../documents/baseline-file.js';
import { evaluationPath } from '../documents/evaluation-document.js';
import { gradeResults, readResults } from '../documents/results-file.js';
import { loadTargets } from '../documents/targets-file.js';
import { gradeWithBaseline } from '../grading/regression.js';
import { forProfile } from '../grading/targets.js';
import { type FlagTable, HELP_FLAG, optionLines, parseFlags } from '../lib/flag-table.js';
import { UsageError } from '../lib/usage-error.js';
import { formatSummary } from '../report/console-verdict.js';
import { resolveBaselinesDir } from '../runner/plan-run.js';

/** The one line a wrong number of arguments gets; --help adds the flags' lines. */
const EVALUATE_SYNOPSIS =
  'Usage: npm run evaluate -- <results.json> [--targets config/targets.yml] [--profile NAME] [--write] ' +
  '[--baseline NAME|FILE]';

export const EVALUATE_FLAGS = [
  {
    name: 'targets',
    type: 'string',
    value: 'FILE',
    help:
      "the targets to grade with (default: env BTCW_TARGETS_FILE, else the run's own targets file,\n" +
      'else config/targets.yml)',
  },
  { name: 'profile', type: 'string', value: 'NAME', help: "grade as this profile (default: the run's own)" },
  { name: 'write', type: 'boolean', help: 'save the evaluation beside the file (<results>.evaluation.json)' },
  {
    name: 'baseline',
    type: 'string',
    value: 'NAME|FILE',
    help: 'grade also against baselines/<profile>/NAME.json or FILE (env BTCW_BASELINE)',
  },
  HELP_FLAG,
] as const satisfies FlagTable;

export const EVALUATE_USAGE = `${EVALUATE_SYNOPSIS}\n${optionLines(EVALUATE_FLAGS)}`;

/** Grades a results file; prints the profile, the verdict and the findings; --write saves the evaluation. */
export function evaluateCommand(
  argv: string[],
  defaultTargets: string,
  knownProfiles?: readonly string[],
): number {
  const { values, positionals } = parseFlags(EVALUATE_FLAGS, argv);
  if (positionals.length !== 1) throw new UsageError(EVALUATE_SYNOPSIS);
  const file = positionals[0]!;
  const graded = gradeResults(file, readResults(file), {
    profile: values.profile,
    targets: values.targets,
    defaultTargets,
    knownProfiles,
  });
  console.log(`evaluate: ${graded.profileLine}`);
  if (graded.targetsLine) console.log(`evaluate: ${graded.targetsLine}`);
  // --baseline (or BTCW_BASELINE, as a run reads it): the same comparison the plugin makes at a run's end.
  const baselineArg = values.baseline ?? process.env.BTCW_BASELINE;
  if (baselineArg) {
    const profile = graded.document.meta.profile ?? undefined;
    // The baselines folder as a run finds it (BTCW_BASELINES_DIR, else baselines/), not beside the targets.
    const file = resolveBaseline(baselineArg, profile ?? '', resolveBaselinesDir(process.env));
    const targets = forProfile(loadTargets(graded.document.meta.targetsFile ?? defaultTargets), profile);
    graded.document.evaluation = gradeWithBaseline(
      graded.document.evaluation,
      graded.document.intermediate,
      readBaseline(file, profile, graded.document.meta.engine),
      file,
      targets,
    );
  }
  const { evaluation } = graded.document;
  console.log(
    formatSummary(
      evaluation,
      5,
      graded.document.meta.adminLogin ? { adminLogin: graded.document.meta.adminLogin } : {},
    ),
  );
  if (values.write) {
    const out = evaluationPath(path.resolve(file));
    writeFileSync(out, JSON.stringify(graded.document, null, 1));
    console.log(`evaluation written to ${out}`);
  }
  return evaluation.exitCode;
}
