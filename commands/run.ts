// `npm run <profile>`: validate, start the embedded API if the target is local and silent, preflight, run
// Artillery on the profile + flows + environments, then sweep this run's test data and stop what it started.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { type LiveDashboard, startLiveDashboard } from '../dashboard/live-dashboard.js';
import { loadTargets } from '../documents/targets-file.js';
import { forProfile } from '../grading/targets.js';
import { adminExpectation } from '../lib/credentials.js';
import { envFileProblem } from '../lib/env-file.js';
import { outDirProblem } from '../lib/out-dir.js';
import { PLAN_ENV, writeRunPlan } from '../lib/run-plan.js';
import { newRunTag } from '../lib/tagged-cleanup.js';
import { UsageError } from '../lib/usage-error.js';
import { evaluationPath } from '../plugin/index.js';
import { loadDocument, reportBase, writeReport } from '../report/write-report.js';
import { artilleryArgs, artilleryEnv, sweepRun } from '../runner/artillery-child.js';
import { ensureLocalTarget, type LocalTarget } from '../runner/embedded-target.js';
import { planRun } from '../runner/plan-run.js';
import { loginQueueWarning, preflight } from '../runner/preflight.js';
import { ROOT, TARGETS_FILE } from '../runner/profiles.js';
import { parseRunArgs, profileOverrides, RUN_USAGE } from '../runner/run-options.js';
import { writeRunOutputs } from '../runner/run-outputs.js';
import { totalUsers } from '../runner/scale.js';

const log = (line: string) => console.log(`btcw: ${line}`);

/** Loads config/<env>.env when present; variables already set in the shell win. */
export function loadDotenv(argv: string[], vars: NodeJS.ProcessEnv): void {
  const i = argv.findIndex((a) => a === '--env' || a === '-e');
  const fromFlag = i >= 0 ? argv[i + 1] : argv.find((a) => a.startsWith('--env='))?.slice(6);
  const env = fromFlag ?? vars.BTCW_ENV ?? 'local';
  const file = path.join(ROOT, 'config', `${env}.env`);
  if (!/^[a-z0-9-]+$/.test(env) || !existsSync(file)) return;
  const problem = envFileProblem(readFileSync(file, 'utf8'), `config/${env}.env`);
  if (problem !== null) throw new UsageError(problem);
  process.loadEnvFile(file);
}

export async function run(argv: string[]): Promise<number> {
  loadDotenv(argv, process.env);
  const opts = parseRunArgs(argv, process.env);
  if (opts === 'help') {
    console.log(RUN_USAGE);
    return 0;
  }
  const runTag = process.env.BTCW_RUN_TAG || newRunTag();
  const plan = planRun(opts, runTag, process.env);
  // bad targets stop here
  const targets = forProfile(loadTargets(plan.targetsFile), plan.profile);
  const { creds } = opts;

  const outProblem = outDirProblem(opts.outDir);
  if (outProblem !== null) throw new UsageError(outProblem);
  const planFile = writeRunPlan(plan, opts.outDir);
  const results = path.resolve(opts.outDir, `${opts.profileName}-${runTag}.json`);
  const users = totalUsers(opts.scaled);
  log(
    `${opts.profileName}: ${users} users for ${opts.scaled.runSeconds} s against ${opts.target.origin} ` +
      `(${opts.environment}), mix ${opts.mix}, run ${runTag}`,
  );

  let local: LocalTarget | null = null;
  let dashboard: LiveDashboard | null = null;
  if (opts.environment === 'local' && opts.local) local = await ensureLocalTarget(opts.target, log);
  try {
    const admin = adminExpectation(process.env, plan.environment);
    const { loginMs } = await preflight(opts.target, creds.user, admin.given ? creds.admin : null);
    const queued = loginQueueWarning(loginMs, opts.scaled.phases, opts.loginPolicy);
    if (queued !== null) log(`warning: ${queued}`);
    const overrides = profileOverrides(opts);
    const args = artilleryArgs(opts, overrides, results);
    // The plugin grades against the baseline where it makes the verdict and the exit code.
    const env = artilleryEnv(opts, runTag, {
      BTCW_BASELINE: plan.baseline ?? undefined,
      [PLAN_ENV]: planFile,
    });
    if (opts.dashboard) {
      const info = {
        profile: opts.profileName,
        runTag,
        users,
        runSeconds: opts.scaled.runSeconds,
        mix: opts.mix,
      };
      dashboard = await startLiveDashboard(opts.dashboard, info, targets, log);
    }
    const child = spawn(process.execPath, args, {
      stdio: dashboard?.stdio ?? 'inherit',
      env: { ...env, ...dashboard?.childEnv },
    });
    const forward = (sig: NodeJS.Signals) => child.kill(sig);
    dashboard?.attach(child, () => forward('SIGINT')); // Stop: the Ctrl-C path
    process.on('SIGINT', forward);
    process.on('SIGTERM', forward);
    const code = await new Promise<number>((resolve) =>
      child.once('exit', (c, sig) => resolve(c ?? (sig === 'SIGINT' ? 130 : 143))),
    );
    process.off('SIGINT', forward);
    process.off('SIGTERM', forward);

    await sweepRun(opts, runTag, log);
    const evaluationFile = evaluationPath(results);
    const doc = existsSync(evaluationFile) ? loadDocument(evaluationFile, TARGETS_FILE) : null;
    // What the run leaves besides its verdict: a file that cannot be written costs that file, one line,
    // never the run's exit code.
    const reportFiles: string[] = [];
    const keepVerdict = (what: string, write: () => void) => {
      try {
        write();
      } catch (e) {
        log(`${what} not written: ${(e as Error).message.split('\n')[0]}`);
      }
    };
    if (doc && opts.report)
      keepVerdict('report', () => {
        const files = writeReport(doc, reportBase(results));
        reportFiles.push(files.html, ...files.csv);
        log(
          `report: ${path.relative(process.cwd(), files.html)} ` +
            `(CSV: ${files.csv.map((f) => path.basename(f)).join(', ')})`,
        );
      });
    if (doc)
      keepVerdict('JUnit, step summary or baseline', () =>
        writeRunOutputs(
          doc,
          results,
          {
            saveBaseline: opts.baselines.saveBaseline,
            stepSummaryFile: process.env.GITHUB_STEP_SUMMARY,
            failOn: targets.failOn,
          },
          log,
        ),
      );
    if (existsSync(results))
      log(
        `results: ${path.relative(process.cwd(), results)}, ${path.relative(process.cwd(), evaluationFile)}`,
      );
    // After a stop the page shows the final verdict and counts, the console's, not its last ticks.
    await dashboard?.finish(code, reportFiles, doc?.evaluation ?? null, code === 130 || code === 143);
    return code;
  } finally {
    await dashboard?.close();
    await local?.stop();
  }
}
