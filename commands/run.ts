// `npm run <profile>`: validate, start the embedded API if the target is local and silent, preflight, run
// Artillery on the profile + flows + environments, then sweep this run's test data and stop what it started.
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { type LiveDashboard, startLiveDashboard } from '../dashboard/live-dashboard.js';
import { evaluationPath } from '../documents/evaluation-document.js';
import { loadTargets } from '../documents/targets-file.js';
import { forProfile } from '../grading/targets.js';
import { envFileProblem } from '../lib/env-file.js';
import { outDirProblem } from '../lib/out-dir.js';
import { writeRunPlan } from '../lib/run-plan.js';
import { newRunTag } from '../lib/tagged-cleanup.js';
import { UsageError } from '../lib/usage-error.js';
import { artilleryArgs, artilleryEnv, sweepRun } from '../runner/artillery-child.js';
import { finishArtillery } from '../runner/finish-run.js';
import { planRun } from '../runner/plan-run.js';
import { loginQueueWarning } from '../runner/preflight.js';
import { profileNames, ROOT } from '../runner/profiles.js';
import { parseRunArgs, profileOverrides, RUN_USAGE } from '../runner/run-options.js';
import { writeRunOutputs } from '../runner/run-outputs.js';
import { SafeOutputs } from '../runner/safe-outputs.js';
import { totalUsers } from '../runner/scale.js';
import { RunSession } from '../runner/session.js';

const log = (line: string) => console.log(`btcw: ${line}`);

/** Loads config/<env>.env when present; variables already set in the shell win. */
export function loadDotenv(argv: string[], vars: NodeJS.ProcessEnv): void {
  loadEnvironmentFile(dotenvEnvironment(argv, vars));
}

/**
 * The environment whose env file a command loads. Read before the flags are checked (the file may hold
 * what they need), so --env is read as parseArgs reads it (`-estaging`, `--env=staging` too); the full
 * parse that follows refuses anything else wrong.
 */
export function dotenvEnvironment(argv: readonly string[], vars: NodeJS.ProcessEnv): string {
  const { values } = parseArgs({
    args: [...argv],
    options: { env: { type: 'string', short: 'e' } },
    strict: false,
    allowPositionals: true,
  });
  return (typeof values.env === 'string' ? values.env : undefined) ?? vars.BTCW_ENV ?? 'local';
}

/** config/<env>.env into process.env, when there is one; a line not NAME=value is one line, exit 2. */
export function loadEnvironmentFile(env: string): void {
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

  const outProblem = outDirProblem(opts.outDir);
  if (outProblem !== null) throw new UsageError(outProblem);
  const planFile = writeRunPlan(plan, opts.outDir);
  const name = `${opts.profileName}-${runTag}`;
  const users = totalUsers(opts.scaled);
  log(
    `${opts.profileName}: ${users} users for ${opts.scaled.runSeconds} s against ${opts.target.origin} ` +
      `(${opts.environment}), mix ${opts.mix}, run ${runTag}`,
  );

  const { session, loginMs } = await RunSession.open(opts, log);
  let dashboard: LiveDashboard | null = null;
  // Artillery writes into a folder of its own; the files reach --out at the end (runner/safe-outputs.ts).
  const staging = mkdtempSync(path.join(tmpdir(), 'btcw-run-'));
  try {
    const queued = loginQueueWarning(loginMs, opts.scaled.phases, opts.loginPolicy);
    if (queued !== null) log(`warning: ${queued}`);
    const results = path.join(staging, `${name}.json`);
    const args = artilleryArgs(opts, profileOverrides(opts), results);
    // The plugin grades against the plan's baseline where it makes the verdict and the exit code.
    const env = artilleryEnv(planFile);
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
    const { child, ended } = session.spawn(args, {
      stdio: dashboard?.stdio ?? 'inherit',
      env: { ...env, ...dashboard?.childEnv },
    });
    dashboard?.attach(child, () => session.interrupt('SIGINT')); // Stop: the Ctrl-C path
    const end = await ended;
    await sweepRun(opts, runTag, log);
    const finished = finishArtillery(
      results,
      end,
      { targetsFile: plan.targetsFile, knownProfiles: profileNames(), print: true },
      log,
    );
    const outputs = new SafeOutputs(opts.outDir, log);
    const kept = [results, evaluationPath(results)]
      .filter((file) => existsSync(file))
      .map((file) =>
        outputs.write('the results', path.basename(file), (target) => {
          copyFileSync(file, target);
          return target;
        }),
      )
      .filter((file): file is string => file !== null);
    const reportFiles = finished.doc
      ? writeRunOutputs(
          finished.doc,
          name,
          outputs,
          {
            report: opts.report,
            saveBaseline: opts.baselines.saveBaseline,
            stepSummaryFile: process.env.GITHUB_STEP_SUMMARY,
            failOn: targets.failOn,
          },
          log,
        )
      : [];
    if (kept.length > 0) log(`results: ${kept.map((file) => path.relative(process.cwd(), file)).join(', ')}`);
    if (outputs.movedTo) log(`this run's files are in ${outputs.movedTo} (not ${opts.outDir})`);
    // After a stop the page shows the final verdict and counts, the console's, not its last ticks.
    await dashboard?.finish(finished.code, reportFiles, finished.doc?.evaluation ?? null, end.stop !== null);
    return finished.code;
  } finally {
    rmSync(staging, { recursive: true, force: true });
    await dashboard?.close();
    await session.close();
  }
}
