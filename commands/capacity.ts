// `npm run capacity`: the capacity finder. Steps the offered load (concurrent users of the mix: a closed
// model) up by --step-factor until a step breaks a limit (a class or endpoint past its target tier, an error
// rate at or above warning, throughput that no longer follows the load, or the load generator's own CPU),
// then halves the bracket between the best passing and the first breaking step, and reports the best passing
// step's req/s. One Artillery run per step: each step starts clean (no queue left by the one before), the
// runner decides each next step from the last one's grade, and a step can be lower than the one before
// (bisection), which one run with a phase per step cannot do with a closed model. The plugin grades each step
// over the 10 s periods after its settle time (plugin/capacity-step.ts); grading/capacity-grading.ts judges.
import { closeSync, openSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { EvaluationDocument } from '../documents/evaluation-document.js';
import { loadTargets } from '../documents/targets-file.js';
import {
  answerExitCode,
  type CapacityResult,
  type CapacityStepRow,
  capacityAnswer,
  generatorFailed,
  gradeStep,
  previousGood,
  stepLine,
} from '../grading/capacity-grading.js';
import { extraSeconds, growthWords, nextStep } from '../grading/capacity-search.js';
import { withStop } from '../grading/run-stop.js';
import { forProfile, type Targets } from '../grading/targets.js';
import type { RunStop } from '../grading/types.js';
import { outDirProblem } from '../lib/out-dir.js';
import { writeRunPlan } from '../lib/run-plan.js';
import { newRunTag } from '../lib/tagged-cleanup.js';
import { UsageError } from '../lib/usage-error.js';
import { artilleryArgs, artilleryEnv, sweepRun } from '../runner/artillery-child.js';
import { finishArtillery } from '../runner/finish-run.js';
import { planRun } from '../runner/plan-run.js';
import { profileNames } from '../runner/profiles.js';
import type { RunOptions } from '../runner/run-options.js';
import { writeRunOutputs } from '../runner/run-outputs.js';
import { SafeOutputs } from '../runner/safe-outputs.js';
import { type ArtilleryEnd, RunSession } from '../runner/session.js';
import {
  CAPACITY_USAGE,
  type CapacityOptions,
  parseCapacityArgs,
  stepOverrides,
  stepSeconds,
} from './capacity-flags.js';
import { loadDotenv } from './run.js';

const log = (line: string) => console.log(`btcw: ${line}`);

interface StepEnd {
  doc: EvaluationDocument | null;
  end: ArtilleryEnd;
}

async function runStep(
  session: RunSession,
  run: RunOptions,
  capacityOptions: CapacityOptions,
  users: number,
  base: string,
  plan: { file: string; targetsFile: string },
  extra: number,
): Promise<StepEnd> {
  const results = `${base}.json`;
  const args = artilleryArgs(run, stepOverrides(run, capacityOptions, users, extra), results);
  // No BTCW_BASELINE: a step is not graded against a baseline (capacity-flags.ts).
  const env = artilleryEnv(plan.file, {
    BTCW_GENERATOR_CORES:
      capacityOptions.generatorCores === undefined ? undefined : String(capacityOptions.generatorCores),
  });
  // Artillery's own output (and the plugin's verdict of the whole step) goes to the step's log.
  const out = openSync(`${base}.log`, 'w');
  let end: ArtilleryEnd;
  try {
    end = await session.spawn(args, { stdio: ['ignore', out, out], env }).ended;
  } finally {
    closeSync(out);
  }
  // The step's evaluation, read with the validating reader (a killed step's periods graded so far).
  const { doc } = finishArtillery(
    results,
    end,
    { targetsFile: plan.targetsFile, knownProfiles: profileNames(), print: false },
    log,
  );
  return { doc, end };
}

export async function capacity(argv: string[]): Promise<number> {
  loadDotenv(argv, process.env);
  const parsed = parseCapacityArgs(argv, process.env);
  if (parsed === 'help') {
    console.log(CAPACITY_USAGE);
    return 0;
  }
  const { run, capacity: capacityOptions } = parsed;
  const runTag = process.env.BTCW_RUN_TAG || newRunTag();
  const plan = planRun(run, runTag, process.env);
  const targets: Targets = forProfile(loadTargets(plan.targetsFile), 'capacity');
  const dir = path.resolve(run.outDir, `capacity-${runTag}`);
  const outProblem = outDirProblem(dir);
  if (outProblem !== null) throw new UsageError(outProblem);
  // Each step's plugin reads the run's settings from the plan, as a run's does.
  const planFile = writeRunPlan(plan, dir);
  const perStep = stepSeconds(capacityOptions);
  log(
    `capacity: mix ${run.mix} against ${run.target.origin} (${run.environment}), from ` +
      `${capacityOptions.start} users ${growthWords(capacityOptions.rules)}, ${perStep} s each ` +
      `(${capacityOptions.settleSeconds} s settle), think factor ${run.thinkFactor}, run ${runTag}`,
  );

  const { session } = await RunSession.open(run, log);
  const started = Date.now();
  const rows: CapacityStepRow[] = [];
  const docs = new Map<number, EvaluationDocument>();
  let stoppedBecause = '';
  let killed: RunStop | null = null;
  try {
    let users = capacityOptions.start;
    for (;;) {
      if (session.interrupted) {
        stoppedBecause = 'interrupted';
        break;
      }
      const index = rows.length + 1;
      const base = path.join(dir, `step-${String(index).padStart(2, '0')}-${users}u`);
      const stepStarted = Date.now();
      // Logins outlasting the settle time lengthen the step (the plugin grades only after them).
      const extra = extraSeconds(rows, users, capacityOptions.settleSeconds);
      const step = await runStep(
        session,
        run,
        capacityOptions,
        users,
        base,
        { file: planFile, targetsFile: plan.targetsFile },
        extra,
      );
      const wallSeconds = (Date.now() - stepStarted) / 1000;
      await sweepRun(run, runTag, log);
      if (session.interrupted) {
        stoppedBecause = 'interrupted';
        break;
      }
      if (step.end.stop?.kind === 'KILLED') {
        killed = step.end.stop;
        stoppedBecause = `step ${index}: ${killed.line}`;
        break;
      }
      const logFile = path.relative(process.cwd(), `${base}.log`);
      if (!step.doc?.capacityStep) {
        stoppedBecause = `step ${index} left no graded result (see ${logFile})`;
        log(stoppedBecause);
        break;
      }
      const row = gradeStep(
        index,
        users,
        step.doc.capacityStep,
        previousGood(rows, users),
        targets,
        capacityOptions.rules,
      );
      row.results = path.relative(run.outDir, `${base}.json`);
      row.wallSeconds = Math.round(wallSeconds * 10) / 10;
      if (extra > 0) row.extraSeconds = extra;
      rows.push(row);
      docs.set(index, step.doc);
      log(stepLine(row));
      // Artillery's output, where the reason says the first such error is, is this step's log here.
      if (generatorFailed(row)) log(`step ${index}: the load generator's first error is in ${logFile}`);
      const next = nextStep(rows, capacityOptions.rules);
      if ('stop' in next) {
        stoppedBecause = next.stop;
        break;
      }
      // The next step takes about as long as this one did, Artillery's start-up included.
      if ((Date.now() - started) / 1000 + Math.max(perStep, wallSeconds) > capacityOptions.maxMinutes * 60) {
        stoppedBecause = `reached the time limit (${capacityOptions.maxMinutes} min)`;
        break;
      }
      users = next.users;
    }
  } finally {
    await session.close();
  }
  const answer = capacityAnswer(rows, stoppedBecause);
  const result: CapacityResult = {
    offeredUnit: 'users',
    mix: run.mix,
    thinkFactor: run.thinkFactor,
    settleSeconds: capacityOptions.settleSeconds,
    stepSeconds: perStep,
    statistic: targets.statistic,
    stoppedBecause,
    steps: rows,
    answer,
  };
  // The answer first: it is what the run is for (the steps' own verdicts are in their rows and logs).
  console.log(answer.line);
  log(`stopped: ${stoppedBecause}`);
  const stop = session.interruption ?? killed;
  const code = stop ? stop.exitCode : answerExitCode(answer.kind);
  // The result document: the best passing step's evaluation (else the last step's) with the capacity answer.
  const shownRow = rows.find((r) => r.passed && r.users === answer.users) ?? rows.at(-1);
  const shown = shownRow ? docs.get(shownRow.index) : undefined;
  if (shown) {
    const doc: EvaluationDocument = {
      ...shown,
      evaluation: stop ? withStop(shown.evaluation, stop) : shown.evaluation,
      meta: { ...shown.meta, profile: 'capacity', ...(stop ? { interrupted: true } : {}) },
      capacity: result,
    };
    delete doc.capacityStep;
    // After the work is done, a file that cannot be written costs one line, never the answer's exit code.
    const outputs = new SafeOutputs(run.outDir, log);
    const name = `capacity-${runTag}`;
    const file = outputs.write('the capacity result', `${name}.evaluation.json`, (target) => {
      writeFileSync(target, JSON.stringify(doc, null, 1));
      return target;
    });
    writeRunOutputs(
      doc,
      name,
      outputs,
      { report: run.report, stepSummaryFile: process.env.GITHUB_STEP_SUMMARY, failOn: targets.failOn },
      log,
    );
    if (file)
      log(`results: ${path.relative(process.cwd(), file)} (steps in ${path.relative(process.cwd(), dir)})`);
  }
  return code;
}
