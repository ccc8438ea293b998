// `npm run rehearse -- --count N <profile>`: a local rehearsal of `artillery run-fargate --count N` (and
// run-lambda, run-aci). It does what the containers do, against the embedded API:
//   1. bundle: the profile's bundle (commands/bundle.ts), listed by Artillery's own createBOM as
//      run-fargate lists it, and only those files copied into a folder (the container's test_data) with
//      its package.json's dependencies linked beside them, as `npm install` there would;
//   2. run: N separate `artillery run` processes of the whole profile from that folder, each with the
//      worker's command line, WORKER_ID of its own, and the run tag shared through the environment;
//      each makes its own fixtures and deletes its own strategies (lib/container-tag.ts);
//   3. collect: each process's period metrics, sketches included, merged as run-fargate's collector merges
//      them (runner/merge-results.ts) into one -o JSON; then sweep the run's tags, grade the merged file
//      with `npm run evaluate`'s code and write the report.

import { closeSync, existsSync, mkdirSync, mkdtempSync, openSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadTargets } from '../documents/targets-file.js';
import { EXIT } from '../grading/exit-codes.js';
import { forProfile } from '../grading/targets.js';
import { containerTag } from '../lib/container-tag.js';
import { type Flag, type FlagTable, optionLines, parseFlags, withoutFlags } from '../lib/flag-table.js';
import { outDirProblem } from '../lib/out-dir.js';
import { GUARD_ENV } from '../lib/run-settings.js';
import { loginAndSweep, newRunTag } from '../lib/tagged-cleanup.js';
import { UsageError } from '../lib/usage-error.js';
import { fargateBundle } from '../runner/artillery-internals.js';
import { finishArtillery } from '../runner/finish-run.js';
import { mergeMetricStreams, resultsDocument } from '../runner/merge-results.js';
import { planRun } from '../runner/plan-run.js';
import { findEnvironment, profileNames, ROOT, WORKER_COUNT_PRELOAD } from '../runner/profiles.js';
import {
  profileOverrides,
  RUN_FLAGS,
  type RunOptions,
  runOptionsFrom,
  withoutVariablesOf,
} from '../runner/run-options.js';
import { writeRunOutputs } from '../runner/run-outputs.js';
import { SafeOutputs } from '../runner/safe-outputs.js';
import { totalUsers } from '../runner/scale.js';
import { type ArtilleryEnd, RunSession } from '../runner/session.js';
import { stageBundle, writeBundle } from './bundle.js';
import { loadEnvironmentFile } from './run.js';

const log = (line: string) => console.log(`btcw: ${line}`);

export const MAX_CONTAINERS = 16;
/** Exit codes a container may end with and still count as having run: expect's 21 is graded by evaluate. */
const CONTAINER_OK = new Set([0, 21]);

const NO_BASELINE =
  'rehearse grades without a baseline: give its merged results to "npm run evaluate -- FILE --baseline"';
const NO_DASHBOARD = 'rehearse has no live dashboard: use it with "run <profile> --dashboard"';

/** Options of run that a rehearsal cannot honour, and why. */
const NOT_FOR_REHEARSAL = [
  ['--baseline', NO_BASELINE],
  ['--save-baseline', NO_BASELINE],
  ['--dashboard', NO_DASHBOARD],
  ['--dashboard-host', NO_DASHBOARD],
  [
    '--confirm-host',
    'rehearse runs against the embedded API only, which needs no confirmation: ' +
      'for staging, use run-fargate (docs/distributed.md)',
  ],
] as const;

/** Each refused flag and why: for the parser, the run table and the environment alike. */
const REFUSED = new Map(NOT_FOR_REHEARSAL);

/** The run options a rehearsal takes: run's flags without those it refuses; --env says it is local only. */
const RUN_FLAGS_FOR_REHEARSAL = withoutFlags(RUN_FLAGS, [...REFUSED.keys()]).map((flag) =>
  flag.name === 'env'
    ? { ...flag, help: 'local only (the default): the embedded API, started if needed' }
    : flag,
);

const COUNT_FLAG = {
  name: 'count',
  type: 'string',
  value: 'N',
  help: `containers, 1 to ${MAX_CONTAINERS} (default 2)`,
} as const satisfies Flag;

/** Rehearse's flags: --count, then run's that it takes. Its parser, --help and "did you mean" use these. */
export const REHEARSE_FLAGS = [COUNT_FLAG, ...RUN_FLAGS_FOR_REHEARSAL] satisfies FlagTable;

export const REHEARSE_USAGE = [
  'Usage: npm run rehearse -- --count N <profile> [options]',
  '  A local rehearsal of "artillery run-fargate --count N": N separate artillery run processes of the whole',
  '  profile (N x its users) against the embedded API, from the bundle run-fargate uploads, their metrics',
  "  merged as run-fargate's collector merges them, then graded and reported.",
  optionLines([COUNT_FLAG]),
  'and these options of run, as for npm run <profile> (rehearse runs against the embedded API only):',
  optionLines(RUN_FLAGS_FOR_REHEARSAL),
].join('\n');

interface Container {
  index: number;
  workerId: string;
  tag: string;
  results: string;
  metrics: string;
  log: string;
  exitCode: number | null;
}

/** --count, 2 when not given. */
function containerCount(raw: string | undefined): number {
  if (raw === undefined) return 2;
  const count = Number(raw);
  if (!/^\d+$/.test(raw) || count < 1 || count > MAX_CONTAINERS)
    throw new UsageError(`--count must be a whole number from 1 to ${MAX_CONTAINERS}, got "${raw}"`);
  return count;
}

const notLocal = (where: string) =>
  'rehearse runs against the embedded API only (--env local, a loopback target), ' +
  `not ${where}: for staging, use run-fargate (docs/distributed.md)`;

/**
 * The rehearsal's flags: --count and the run options, by rehearse's table alone. `loadEnvFile` (config/
 * <env>.env into `vars`) runs once the environment is known to be local, with its name as resolved here:
 * another one's file is never read.
 */
export function parseRehearseArgs(
  argv: string[],
  vars: NodeJS.ProcessEnv,
  loadEnvFile: (environment: string) => void = () => {},
): { count: number; opts: RunOptions } | 'help' {
  const parsed = parseFlags(REHEARSE_FLAGS, argv, { refused: REFUSED });
  const count = containerCount(parsed.values.count);
  // Said before the environment's own checks (its target, its credentials), which would miss the point.
  const environment = findEnvironment(parsed.values.env, vars).name;
  if (environment !== 'local') throw new UsageError(notLocal(environment));
  loadEnvFile(environment);
  // What rehearse refuses as flags is not taken from the environment either (a job-wide BTCW_BASELINE).
  const opts = runOptionsFrom(parsed, withoutVariablesOf(REFUSED.keys(), vars));
  return opts === 'help' ? 'help' : { count, opts };
}

function runContainer(
  session: RunSession,
  container: Container,
  opts: RunOptions,
  testData: string,
  entry: string,
  shared: { runTag: string; testId: string },
): Promise<ArtilleryEnd> {
  const overrides = profileOverrides(opts);
  // The worker's command line (run-cluster.js generateTaskOverrides), plus -o for this container's own file.
  const args = [
    ...(opts.workers === undefined ? [] : ['--require', WORKER_COUNT_PRELOAD]),
    path.join(ROOT, 'node_modules', 'artillery', 'bin', 'run'),
    'run',
    '--environment',
    opts.environment,
    '-t',
    opts.target.origin,
    '--overrides',
    JSON.stringify(overrides),
    '-o',
    container.results,
    entry,
  ];
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    // What the worker images set (loadgen-worker, the Lambda handler).
    WORKER_ID: container.workerId,
    ARTILLERY_TEST_RUN_ID: shared.testId,
    ARTILLERY_DISABLE_ENSURE: 'true',
    ARTILLERY_DISABLE_TELEMETRY: 'true',
    NODE_PATH: path.join(testData, 'node_modules'),
    // The workers inject their SQS reporter this way; the rehearsal's writes to a file instead.
    ARTILLERY_PLUGIN_PATH: [path.join(ROOT, 'build', 'runner'), path.join(testData, 'node_modules')].join(
      ':',
    ),
    ARTILLERY_PLUGINS: JSON.stringify({ 'btcw-rehearsal': {} }),
    BTCW_REHEARSAL_METRICS: container.metrics,
    // Shared by all containers, as a --dotenv file or --launch-config would share it.
    BTCW_RUN_TAG: shared.runTag,
    ...(opts.seed ? { BTCW_SEED: opts.seed } : {}),
    // --no-guard (or BTCW_GUARD=off, already read into opts.guard): containers have no plan to carry it.
    [GUARD_ENV]: opts.guard ? 'on' : 'off',
    ...(opts.workers === undefined ? {} : { BTCW_WORKERS: String(opts.workers) }),
  };
  const out = openSync(container.log, 'w');
  try {
    return session.spawn(args, { cwd: testData, env, stdio: ['ignore', out, out] }).ended;
  } finally {
    closeSync(out);
  }
}

export async function rehearse(argv: string[]): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    console.log(REHEARSE_USAGE);
    return 0;
  }
  const parsed = parseRehearseArgs(argv, process.env, loadEnvironmentFile);
  if (parsed === 'help') {
    console.log(REHEARSE_USAGE);
    return 0;
  }
  const { count, opts } = parsed;
  if (opts.environment !== 'local' || !opts.local) throw new UsageError(notLocal(opts.target.host));
  const runTag = process.env.BTCW_RUN_TAG || newRunTag();
  const { targetsFile } = planRun(opts, runTag, process.env);
  const failOn = forProfile(loadTargets(targetsFile), opts.profileName).failOn; // bad targets stop here
  const { creds } = opts;

  const testId = `rehearsal-${runTag}`;
  const base = `${opts.profileName}-${runTag}`;
  const outProblem = outDirProblem(opts.outDir);
  if (outProblem !== null) throw new UsageError(outProblem);
  const results = path.resolve(opts.outDir, `${base}.json`);
  const containersDir = path.resolve(opts.outDir, `${base}.containers`);
  const containers: Container[] = Array.from({ length: count }, (_, position) => {
    const workerId = `rehearsal-${position + 1}`;
    const file = (ext: string) => path.join(containersDir, `${position + 1}.${ext}`);
    return {
      index: position + 1,
      workerId,
      tag: containerTag(runTag, workerId),
      results: file('json'),
      metrics: file('metrics.jsonl'),
      log: file('log'),
      exitCode: null,
    };
  });
  const users = totalUsers(opts.scaled);
  log(
    `rehearsal of ${opts.profileName}: ${count} containers x ${users} users ` +
      `for ${opts.scaled.runSeconds} s against ${opts.target.origin}, mix ${opts.mix}, run ${runTag}`,
  );

  const { session } = await RunSession.open(opts, log, { embedded: 'always' });
  const tmp = mkdtempSync(path.join(tmpdir(), 'btcw-rehearsal-'));
  try {
    const bundle = writeBundle(path.join(tmp, 'bundle'), [opts.profileName]);
    const bom = await fargateBundle(bundle.entries[opts.profileName]!);
    const testData = path.join(tmp, 'test_data');
    stageBundle(bom, testData);
    const entry = bom.files.find((f) => f.orig === bundle.entries[opts.profileName])!.noPrefixPosix;
    log(`bundle: ${bom.files.length} files, packages ${bom.modules.join(', ')} (as run-fargate uploads it)`);

    mkdirSync(containersDir, { recursive: true });
    const ended = containers.map((c) => runContainer(session, c, opts, testData, entry, { runTag, testId }));
    // Every run is bounded: users stop at their deadline; a container still running well after it is stopped.
    const ramp = opts.scaled.phases.reduce((a, p) => a + p.duration, 0);
    const limitMs = (opts.scaled.runSeconds + ramp + 120) * 1000;
    const watchdog = setTimeout(() => {
      log(`containers still running ${limitMs / 1000} s after the start: stopping them`);
      session.interrupt('SIGTERM');
      setTimeout(() => session.kill(), 10_000).unref();
    }, limitMs);
    const ends = await Promise.all(ended);
    clearTimeout(watchdog);
    ends.forEach((end, position) => {
      containers[position]!.exitCode = end.code;
    });
    for (const container of containers)
      log(
        `container ${container.index} (${container.workerId}, tag ${container.tag}): ` +
          `exit ${container.exitCode ?? ends[container.index - 1]!.stop?.signal}, ` +
          `log ${path.relative(process.cwd(), container.log)}`,
      );
    // The merged run ends as its worst container did: interrupted, or one killed (its periods so far count).
    const stop = session.interruption ?? ends.find((end) => end.stop?.kind === 'KILLED')?.stop ?? null;

    // Safety net, as after a run: each container's after hook deleted its own tag; this catches a dead one.
    try {
      let deleted = 0;
      for (const container of containers)
        deleted += (await loginAndSweep(opts.target.origin, creds.user, container.tag)).deleted;
      if (deleted > 0) log(`cleanup: deleted ${deleted} leftover strategies of run ${runTag}`);
    } catch (error) {
      log(
        `cleanup failed (${(error as Error).message}): ` +
          `run "npm run cleanup" to remove strategies of run ${runTag}`,
      );
    }

    const streams = containers.map((c) => c.metrics).filter((f) => existsSync(f));
    if (streams.length === 0) {
      log('no container reported any metrics: nothing to merge');
      if (stop?.kind === 'KILLED') log(stop.line);
      return stop ? stop.exitCode : EXIT.NOTHING_GRADED;
    }
    const merged = await mergeMetricStreams(streams);
    const doc = resultsDocument(merged, {
      testId,
      count: streams.length,
      tags: [
        { name: 'profile', value: opts.profileName },
        { name: 'runTag', value: runTag },
        { name: 'engine', value: opts.engine },
      ],
      extra: {
        rehearsal: containers.map((container) => ({
          workerId: container.workerId,
          tag: container.tag,
          exitCode: container.exitCode,
          results: path.relative(path.dirname(results), container.results),
        })),
        // How the merged run ended, so that grading it again says so too (documents/partial-results.ts).
        ...(stop ? { stop } : {}),
      },
    });
    // After the work is done, a file that cannot be written costs one line, never the verdict.
    const outputs = new SafeOutputs(opts.outDir, log);
    const mergedFile = outputs.write('the merged results', `${base}.json`, (file) => {
      writeFileSync(file, JSON.stringify(doc, null, 2));
      return file;
    });
    if (mergedFile === null) return EXIT.NOTHING_GRADED;
    log(`merged ${streams.length} containers into ${path.relative(process.cwd(), mergedFile)}`);

    // Graded as `npm run evaluate` grades it, without a baseline, and the outputs of a run.
    const finished = finishArtillery(
      mergedFile,
      { code: null, stop: null },
      { targetsFile, knownProfiles: profileNames(), print: true, gradeResults: true },
      log,
    );
    if (finished.doc)
      writeRunOutputs(
        finished.doc,
        base,
        outputs,
        {
          report: opts.report,
          stepSummaryFile: process.env.GITHUB_STEP_SUMMARY,
          failOn,
        },
        log,
      );
    if (stop) return stop.exitCode;
    // Each container guards itself: one the guard stopped ran, and the run's code says it was aborted.
    const aborted = containers.filter((c) => c.exitCode === EXIT.GUARD_ABORTED);
    if (aborted.length > 0) {
      log(`containers ${aborted.map((c) => c.index).join(', ')} were stopped by the live guard (ABORTED)`);
      return EXIT.GUARD_ABORTED;
    }
    const failed = containers.filter((c) => !CONTAINER_OK.has(c.exitCode ?? -1));
    if (failed.length > 0) {
      log(`containers ${failed.map((c) => c.index).join(', ')} failed: see their logs`);
      return Math.max(finished.code, EXIT.FAIL);
    }
    return finished.code;
  } finally {
    rmSync(tmp, { recursive: true, force: true });
    await session.close();
  }
}
