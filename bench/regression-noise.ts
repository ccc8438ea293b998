// The regression rule's false alarms and detection over more runs than the e2e test makes (BENCHMARKS.md,
// "Regression rule"): N clean compressed smoke runs against one embedded API, every ordered pair compared
// (each run the other's baseline), then M runs with 50 ms added to one route, each compared with every clean
// run. Loopback only, every run bounded (about 30 s each).
//   npm run bench:regression [-- --clean 8 --faulted 3 --keep DIR --no-warm-up]
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { parse, stringify } from 'yaml';
import { loadTargets } from '../documents/targets-file.js';
import { regressionRule } from '../grading/regression.js';
import { type PackRun, runPack, runPackWithFaults } from '../harness/pack.js';
import { tempDir } from '../harness/temp-dir.js';
import { startApi } from '../reference-api/server.js';
import { fail, wholeNumberFlag } from './lib/bench-flags.js';
import { ROOT } from './lib/pinned-api.js';
import { detection, falseAlarms, type RunDoc } from './lib/regression-figures.js';

const FAST = ['--duration-factor', '0.35', '--users-factor', '2', '--think-factor', '0.02'];
// The first run against a fresh API is slower everywhere (JIT, SQLite cache): a short run first, not counted.
const WARM_UP = ['--duration-factor', '0.1', '--users-factor', '2', '--think-factor', '0.02'];
const ROUTE = '/strategies/overview$';
const onRoute = (name: string) => name.startsWith('GET /strategies/overview ');

const count = (raw: string | undefined, name: string, fallback: number) =>
  wholeNumberFlag(raw, name, fallback, [2, 30]);

function runDoc(run: PackRun): RunDoc {
  if (!run.evaluation || !run.document) fail(`a run wrote no evaluation (exit ${run.code}): ${run.stderr}`);
  return { evaluation: run.evaluation, intermediate: run.document.intermediate as RunDoc['intermediate'] };
}

async function main(): Promise<void> {
  let values: { clean?: string; faulted?: string; keep?: string; out?: string; 'no-warm-up'?: boolean };
  try {
    ({ values } = parseArgs({
      options: {
        clean: { type: 'string' },
        faulted: { type: 'string' },
        keep: { type: 'string' },
        out: { type: 'string' },
        'no-warm-up': { type: 'boolean' },
      },
    }));
  } catch (error) {
    fail(
      `${(error as Error).message}; usage: npm run bench:regression [-- --clean N --faulted M --keep DIR]`,
    );
  }
  const clean = count(values.clean, 'clean', 8);
  const faulted = count(values.faulted, 'faulted', 3);
  const dir = tempDir('btcw-bench-regression-');
  // As the e2e test: the shipped targets with 30 requests as the floor (more endpoints judged).
  const targetsFile = path.join(dir, 'targets.yml');
  const targets = parse(readFileSync(path.join(ROOT, 'config', 'targets.yml'), 'utf8'));
  targets.regression = { ...targets.regression, minRequests: 30 };
  writeFileSync(targetsFile, stringify(targets));
  const env = { BTCW_TARGETS_FILE: targetsFile, ARTILLERY_DISABLE_TELEMETRY: 'true' };
  const rules = {
    'minRequests 30': regressionRule(loadTargets(targetsFile)),
    shipped: regressionRule(loadTargets(path.join(ROOT, 'config', 'targets.yml'))),
  };

  const api = await startApi({ port: 0, bcryptCost: 4 });
  const started = Date.now();
  const cleanRuns: RunDoc[] = [];
  const faultedRuns: RunDoc[] = [];
  try {
    if (!values['no-warm-up']) await runPack('smoke', api.port, WARM_UP, env);
    for (let index = 0; index < clean; index++) {
      cleanRuns.push(runDoc(await runPack('smoke', api.port, FAST, env)));
      console.log(`bench: clean run ${index + 1}/${clean} done`);
    }
    for (let index = 0; index < faulted; index++) {
      const run = await runPackWithFaults(api, { latencyMs: 50, latencyRoute: ROUTE }, FAST, env);
      faultedRuns.push(runDoc(run));
      console.log(`bench: faulted run ${index + 1}/${faulted} done`);
    }
  } finally {
    await api.close();
  }
  if (values.keep) {
    mkdirSync(values.keep, { recursive: true });
    const all = [...cleanRuns, ...faultedRuns];
    for (const [index, runDocument] of all.entries())
      writeFileSync(path.join(values.keep, `run-${index}.json`), JSON.stringify(runDocument));
  }

  const figures: Record<string, unknown> = {};
  for (const [name, rule] of Object.entries(rules)) {
    const fa = falseAlarms(cleanRuns, rule);
    const forward = fa.regressions.filter((x) => x.pair[0] < x.pair[1]).length;
    const detected = detection(cleanRuns, faultedRuns, onRoute, rule);
    figures[name] = {
      pairs: fa.pairs,
      pairsWithRegression: fa.pairsWithRegression,
      judgedChecks: fa.judged,
      falseAlarms: fa.regressions.length,
      falseAlarmsEarlierToLater: forward,
      noise: fa.noise,
      falseAlarmList: fa.regressions.map(
        (x) => `${x.pair.join('→')} ${x.check.subject} ${x.check.kind} ${x.check.before} → ${x.check.after}`,
      ),
      detection: {
        comparisons: detected.comparisons,
        routeJudged: detected.routeJudged,
        routeFlagged: detected.routeFlagged,
        routeTooFew: detected.routeTooFew,
        otherFlagged: detected.otherFlagged.map(
          (x) => `${x.check.subject} ${x.check.before} → ${x.check.after}`,
        ),
      },
    };
    console.log(
      `bench: ${name}: ${fa.regressions.length} false alarms in ${fa.judged} judged checks ` +
        `(${fa.pairsWithRegression} of ${fa.pairs} ordered pairs); ` +
        `detection ${detected.routeFlagged}/${detected.routeJudged} route checks flagged, ` +
        `${detected.otherFlagged.length} other endpoints flagged, ${detected.comparisons} comparisons`,
    );
  }
  const result = {
    date: new Date().toISOString(),
    machine: { cores: os.cpus().length, cpu: os.cpus()[0]?.model, kernel: os.release() },
    node: process.version,
    settings: { clean, faulted, args: FAST, warmUp: !values['no-warm-up'], route: ROUTE, latencyMs: 50 },
    seconds: Math.round((Date.now() - started) / 1000),
    figures,
  };
  const out = values.out ?? path.join(ROOT, 'bench', 'results', 'regression-noise.json');
  mkdirSync(path.dirname(out), { recursive: true });
  writeFileSync(out, JSON.stringify(result, null, 1));
  console.log(`bench: written to ${out}`);
}

await main();
