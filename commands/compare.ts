// `npm run compare -- A B`: two runs side by side. A and B are evaluation files (`*.evaluation.json`),
// baseline files, or baseline names (baselines/<profile>/<NAME>.json; the profile from --profile or from
// the other argument). A is "before". Prints the deltas, largest change first, and writes an HTML comparison;
// exits 5 when B regressed against A under the regression rule, else 0.

import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { BaselineError, isBaselineFile, parseBaseline, resolveBaseline } from '../documents/baseline-file.js';
import {
  DocumentError,
  isEvaluationDocument,
  parseDocument,
  readJsonFile,
} from '../documents/evaluation-document.js';
import { loadTargets } from '../documents/targets-file.js';
import { snapshotOf } from '../grading/metric-snapshot.js';
import {
  compareSnapshots,
  type LatencySource,
  REGRESSION_EXIT_CODE,
  type RegressionResult,
  regressionRule,
} from '../grading/regression.js';
import { forProfile } from '../grading/targets.js';
import { type FlagTable, HELP_FLAG, optionLines, parseFlags } from '../lib/flag-table.js';
import { UsageError } from '../lib/usage-error.js';
import { type ComparedRun, changeText, renderCompare, sortedChecks } from '../report/render-compare.js';
import { resolveBaselinesDir, resolveTargetsFile } from '../runner/plan-run.js';

/** The one line a wrong number of arguments gets; --help adds the flags' lines. */
const COMPARE_SYNOPSIS =
  'usage: npm run compare -- <A> <B> [--profile NAME] [--out FILE.html] [--all]   ' +
  '(A, B: *.evaluation.json, a baseline file, or a baseline name; A is before)';

export const COMPARE_FLAGS = [
  {
    name: 'profile',
    type: 'string',
    value: 'NAME',
    help: "the profile of a side given as a baseline name (default: the other side's)",
  },
  {
    name: 'out',
    type: 'string',
    value: 'FILE.html',
    help: 'where the HTML comparison goes (default results/compare-<A>-vs-<B>.html)',
  },
  { name: 'all', type: 'boolean', help: 'list also the checks with too few samples, new or gone' },
  HELP_FLAG,
] as const satisfies FlagTable;

export const COMPARE_USAGE = `${COMPARE_SYNOPSIS}\n${optionLines(COMPARE_FLAGS)}`;

interface Loaded extends ComparedRun {
  profile: string | null;
  /** The engine the side's users ran on; null when its file predates the record. */
  engine: string | null;
}

/** Reads one side: an evaluation document or a baseline, from a file or a baseline name. */
export function loadSide(arg: string, profile: string | undefined, vars = process.env): Loaded {
  if (!isBaselineFile(arg) && profile === undefined)
    throw new UsageError(
      `"${arg}" is a baseline name but no profile is known: ` +
        'add --profile NAME or give a file for the other side',
    );
  const file = resolveBaseline(arg, profile ?? '', resolveBaselinesDir(vars));
  let raw: unknown;
  try {
    raw = readJsonFile(file);
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  try {
    if (isEvaluationDocument(raw)) {
      const doc = parseDocument(raw, file);
      return {
        label: isBaselineFile(arg) ? path.basename(arg).replace(/(\.evaluation)?\.json$/, '') : arg,
        profile: doc.meta.profile ?? null,
        engine: doc.meta.engine ?? null,
        snapshot: snapshotOf(doc.evaluation, doc.intermediate),
        about: [doc.meta.profile, doc.meta.runTag && `run ${doc.meta.runTag}`, doc.meta.generatedAt]
          .filter(Boolean)
          .join(', '),
      };
    }
    const baseline = parseBaseline(raw, file);
    return {
      label: isBaselineFile(arg) ? path.basename(arg, '.json') : arg,
      profile: baseline.profile,
      engine: baseline.run.engine ?? null,
      snapshot: baseline.snapshot,
      about:
        `baseline ${baseline.name} of ${baseline.profile}, ` +
        `run ${baseline.run.runTag ?? '-'}, saved ${baseline.savedAt}`,
    };
  } catch (error) {
    if (error instanceof DocumentError || error instanceof BaselineError) throw new UsageError(error.message);
    throw error;
  }
}

const pad = (s: string, n: number) => (s.length > n ? `${s.slice(0, n - 1)}…` : s.padEnd(n));

/** The console table: subject, check, before, after, change, verdict; largest change first. */
export function compareTable(result: RegressionResult, all: boolean): string[] {
  const stat = result.rule.statistic;
  const shown = sortedChecks(result.checks).filter(
    (c) => all || !['too-few', 'new', 'gone'].includes(c.status),
  );
  const valueText = (kind: string, value: number | null) =>
    value === null ? '-' : kind === 'latency' ? `${value.toFixed(1)} ms` : `${(value * 100).toFixed(2)} %`;
  return [
    `${pad('subject', 52)} ${pad('check', 12)} ${'before'.padStart(10)} ${'after'.padStart(10)} ` +
      `${'change'.padStart(10)}  verdict`,
    ...shown.map(
      (check) =>
        `${pad(check.scope === 'class' ? `class ${check.subject}` : check.subject, 52)} ` +
        `${pad(check.kind === 'latency' ? stat : 'error rate', 12)} ` +
        `${valueText(check.kind, check.before).padStart(10)} ` +
        `${valueText(check.kind, check.after).padStart(10)} ` +
        `${changeText(check).padStart(10)}  ${check.status}`,
    ),
  ];
}

/**
 * Two engines may be compared (which is faster is a fair question), but each client adds its own time to
 * a request: on the server's time (Server-Timing on both sides) only the whole run's latency holds it.
 */
function engineNote(before: Loaded, after: Loaded, source: LatencySource): string | null {
  if (!before.engine || !after.engine || before.engine === after.engine) return null;
  const which = `${before.label} ran on the ${before.engine} engine, ${after.label} on ${after.engine}`;
  return source === 'server'
    ? `${which}: endpoints and classes are compared on the server's time; the whole run's latency ` +
        "includes the engines' own time"
    : `${which}: the latency changes include the engines' own time`;
}

export function compareCommand(argv: string[]): number {
  const { values, positionals } = parseFlags(COMPARE_FLAGS, argv, { suffix: `: ${COMPARE_SYNOPSIS}` });
  if (positionals.length !== 2) throw new UsageError(COMPARE_SYNOPSIS);
  const [argA, argB] = positionals as [string, string];
  // A name needs a profile: --profile, else the profile of the side given as a file.
  let profile = values.profile;
  const first = isBaselineFile(argA) || profile !== undefined ? loadSide(argA, profile) : null;
  profile ??= first?.profile ?? undefined;
  const after = loadSide(argB, profile);
  const before = first ?? loadSide(argA, profile ?? after.profile ?? undefined);
  if (before.profile && after.profile && before.profile !== after.profile)
    console.log(
      `btcw: compare: note: ${before.label} is ${before.profile}, ${after.label} is ${after.profile}`,
    );

  const targets = forProfile(
    loadTargets(resolveTargetsFile(process.env)),
    after.profile ?? before.profile ?? undefined,
  );
  const result = compareSnapshots(before.snapshot, after.snapshot, regressionRule(targets), {
    name: before.label,
    file: null,
    runTag: null,
    savedAt: null,
  });
  const engines = engineNote(before, after, result.source ?? 'client');
  if (engines) console.log(`btcw: compare: note: ${engines}`);
  console.log(`btcw: compare: ${before.label} (${before.about}) → ${after.label} (${after.about})`);
  for (const line of compareTable(result, values.all === true)) console.log(line);
  const out = path.resolve(
    values.out ?? path.join('results', `compare-${before.label}-vs-${after.label}.html`),
  );
  mkdirSync(path.dirname(out), { recursive: true });
  writeFileSync(out, renderCompare(before, after, result));
  console.log(
    `btcw: compare: ${result.regressions} regression${result.regressions === 1 ? '' : 's'}; ` +
      `HTML: ${path.relative(process.cwd(), out)}`,
  );
  return result.regressions > 0 ? REGRESSION_EXIT_CODE : 0;
}
