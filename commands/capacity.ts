// `npm run capacity`: the capacity finder. Steps the offered load (concurrent users of the mix: a closed
// model) up by --step-factor until a step breaks a limit (a class or endpoint past its target tier, an error
// rate at or above warning, throughput that no longer follows the load, or the load generator's own CPU),
// then halves the bracket between the best passing and the first breaking step, and reports the best passing
// step's req/s. One Artillery run per step: each step starts clean (no queue left by the one before), the
// runner decides each next step from the last one's grade, and a step can be lower than the one before
// (bisection), which one run with a phase per step cannot do with a closed model. The plugin grades each step
// over the 10 s periods after its settle time (plugin/capacity-step.ts); grading/capacity-grading.ts judges.
import { spawn } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { type EvaluationDocument, evaluationPath } from '../documents/evaluation-document.js';
import { loadTargets } from '../documents/targets-file.js';
import {
  type CapacityResult,
  type CapacityStepRow,
  capacityAnswer,
  gradeStep,
  previousGood,
  stepLine,
} from '../grading/capacity-grading.js';
import { extraSeconds, nextStep } from '../grading/capacity-search.js';
import { forProfile, type Targets } from '../grading/targets.js';
import { adminExpectation } from '../lib/credentials.js';
import { outDirProblem } from '../lib/out-dir.js';
import { newRunTag } from '../lib/tagged-cleanup.js';
import { UsageError } from '../lib/usage-error.js';
import { reportBase, writeReport } from '../report/write-report.js';
import { artilleryArgs, artilleryEnv, sweepRun } from '../runner/artillery-child.js';
import { ensureLocalTarget, type LocalTarget } from '../runner/embedded-target.js';
import { preflight } from '../runner/preflight.js';
import { TARGETS_FILE } from '../runner/profiles.js';
import type { RunOptions } from '../runner/run-options.js';
import {
  CAPACITY_USAGE,
  type CapacityOptions,
  parseCapacityArgs,
  stepOverrides,
  stepSeconds,
} from './capacity-flags.js';
import { loadDotenv } from './run.js';

const log = (line: string) => console.log(`btcw: ${line}`);

async function runStep(
  run: RunOptions,
  o: CapacityOptions,
  users: number,
  base: string,
  runTag: string,
  extra: number,
): Promise<EvaluationDocument | null> {
  const results = `${base}.json`;
  const args = artilleryArgs(run, stepOverrides(run, o, users, extra), results);
  // No BTCW_BASELINE: a step is not graded against a baseline (capacity-flags.ts).
  const env = artilleryEnv(run, runTag, {
    BTCW_GENERATOR_CORES: o.generatorCores === undefined ? undefined : String(o.generatorCores),
  });
  // Artillery's own output (and the plugin's verdict of the whole step) goes to the step's log.
  const out = openSync(`${base}.log`, 'w');
  const child = spawn(process.execPath, args, { stdio: ['ignore', out, out], env });
  const forward = (sig: NodeJS.Signals) => child.kill(sig);
  process.on('SIGINT', forward);
  process.on('SIGTERM', forward);
  try {
    await new Promise<void>((resolve) => child.once('exit', () => resolve()));
  } finally {
    process.off('SIGINT', forward);
    process.off('SIGTERM', forward);
    closeSync(out);
  }
  const file = evaluationPath(results);
  if (!existsSync(file)) return null;
  return JSON.parse(readFileSync(file, 'utf8')) as EvaluationDocument;
}

export async function capacity(argv: string[]): Promise<number> {
  loadDotenv(argv, process.env);
  const parsed = parseCapacityArgs(argv, process.env);
  if (parsed === 'help') {
    console.log(CAPACITY_USAGE);
    return 0;
  }
  const { run, capacity: o } = parsed;
  const targets: Targets = forProfile(loadTargets(process.env.BTCW_TARGETS_FILE ?? TARGETS_FILE), 'capacity');
  const runTag = process.env.BTCW_RUN_TAG || newRunTag();
  const dir = path.resolve(run.outDir, `capacity-${runTag}`);
  const outProblem = outDirProblem(dir);
  if (outProblem !== null) throw new UsageError(outProblem);
  const perStep = stepSeconds(o);
  log(
    `capacity: mix ${run.mix} against ${run.target.origin} (${run.environment}), from ${o.start} users ` +
      `× ${o.rules.stepFactor} per step, ${perStep} s each (${o.settleSeconds} s settle), think factor ` +
      `${run.thinkFactor}, run ${runTag}`,
  );

  let local: LocalTarget | null = null;
  if (run.environment === 'local' && run.local) local = await ensureLocalTarget(run.target, log);
  const started = Date.now();
  const rows: CapacityStepRow[] = [];
  const docs = new Map<number, EvaluationDocument>();
  let stoppedBecause = '';
  let interrupted = false;
  let interruptCode = 130;
  const onSignal = (sig: NodeJS.Signals) => {
    interrupted = true;
    interruptCode = sig === 'SIGTERM' ? 143 : 130;
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    const admin = adminExpectation(process.env, run.environment);
    await preflight(run.target, run.creds.user, admin.given ? run.creds.admin : null);
    let users = o.start;
    for (;;) {
      if (interrupted) {
        stoppedBecause = 'interrupted';
        break;
      }
      const index = rows.length + 1;
      const base = path.join(dir, `step-${String(index).padStart(2, '0')}-${users}u`);
      const stepStarted = Date.now();
      // Logins outlasting the settle time lengthen the step (the plugin grades only after them).
      const extra = extraSeconds(rows, users, o.settleSeconds);
      const doc = await runStep(run, o, users, base, runTag, extra);
      const wallSeconds = (Date.now() - stepStarted) / 1000;
      await sweepRun(run, runTag, log);
      if (interrupted) {
        stoppedBecause = 'interrupted';
        break;
      }
      if (!doc?.capacityStep) {
        const logFile = path.relative(process.cwd(), `${base}.log`);
        stoppedBecause = `step ${index} left no graded result (see ${logFile})`;
        log(stoppedBecause);
        break;
      }
      const row = gradeStep(index, users, doc.capacityStep, previousGood(rows, users), targets, o.rules);
      row.results = path.relative(run.outDir, `${base}.json`);
      row.wallSeconds = Math.round(wallSeconds * 10) / 10;
      if (extra > 0) row.extraSeconds = extra;
      rows.push(row);
      docs.set(index, doc);
      log(stepLine(row));
      const next = nextStep(rows, o.rules);
      if ('stop' in next) {
        stoppedBecause = next.stop;
        break;
      }
      // The next step takes about as long as this one did, Artillery's start-up included.
      if ((Date.now() - started) / 1000 + Math.max(perStep, wallSeconds) > o.maxMinutes * 60) {
        stoppedBecause = `reached the time limit (${o.maxMinutes} min)`;
        break;
      }
      users = next.users;
    }
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await local?.stop();
  }
  const answer = capacityAnswer(rows, stoppedBecause);
  const result: CapacityResult = {
    offeredUnit: 'users',
    mix: run.mix,
    thinkFactor: run.thinkFactor,
    settleSeconds: o.settleSeconds,
    stepSeconds: perStep,
    statistic: targets.statistic,
    stoppedBecause,
    steps: rows,
    answer,
  };
  // The answer first: it is what the run is for (the steps' own verdicts are in their rows and logs).
  console.log(answer.line);
  log(`stopped: ${stoppedBecause}`);
  // The result document: the best passing step's evaluation (else the last step's) with the capacity answer.
  const shownRow = rows.find((r) => r.passed && r.users === answer.users) ?? rows.at(-1);
  const shown = shownRow ? docs.get(shownRow.index) : undefined;
  const resultsBase = path.resolve(run.outDir, `capacity-${runTag}`);
  if (shown) {
    const doc: EvaluationDocument = {
      ...shown,
      meta: { ...shown.meta, profile: 'capacity' },
      capacity: result,
    };
    delete doc.capacityStep;
    const file = evaluationPath(`${resultsBase}.json`);
    writeFileSync(file, JSON.stringify(doc, null, 1));
    if (run.report) {
      const files = writeReport(doc, reportBase(file));
      log(`report: ${path.relative(process.cwd(), files.html)}`);
    }
    log(`results: ${path.relative(process.cwd(), file)} (steps in ${path.relative(process.cwd(), dir)})`);
  }
  if (interrupted) return interruptCode;
  // No graded step at all is the tool's failure, not the API's (3 is a step that broke a target).
  if (answer.kind === 'none') return 1;
  return answer.kind === 'capacity' || answer.kind === 'bound' ? 0 : answer.kind === 'generator' ? 4 : 3;
}
