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

import { type ChildProcess, spawn } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, mkdtempSync, openSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadTargets } from '../documents/targets-file.js';
import { forProfile } from '../grading/targets.js';
import { containerTag } from '../lib/container-tag.js';
import { adminExpectation } from '../lib/credentials.js';
import { outDirProblem } from '../lib/out-dir.js';
import { loginAndSweep, newRunTag } from '../lib/tagged-cleanup.js';
import { UsageError } from '../lib/usage-error.js';
import { evaluationPath } from '../plugin/index.js';
import { loadDocument, reportBase, writeReport } from '../report/write-report.js';
import { fargateBundle } from '../runner/artillery-internals.js';
import { ensureLocalTarget, type LocalTarget } from '../runner/embedded-target.js';
import { mergeMetricStreams, resultsDocument } from '../runner/merge-results.js';
import { preflight } from '../runner/preflight.js';
import { profileNames, ROOT, TARGETS_FILE, WORKER_COUNT_PRELOAD } from '../runner/profiles.js';
import { parseRunArgs, profileOverrides, type RunOptions } from '../runner/run-options.js';
import { totalUsers } from '../runner/scale.js';
import { stageBundle, writeBundle } from './bundle.js';
import { evaluateCommand } from './evaluate.js';
import { loadDotenv } from './run.js';

const log = (line: string) => console.log(`btcw: ${line}`);

export const MAX_CONTAINERS = 16;
/** Exit codes a container may end with and still count as having run: expect's 21 is graded by evaluate. */
const CONTAINER_OK = new Set([0, 21]);

export const REHEARSE_USAGE = `Usage: npm run rehearse -- --count N <profile> [options]
  A local rehearsal of "artillery run-fargate --count N": N separate artillery run processes of the whole
  profile (N x its users) against the embedded API, from the bundle run-fargate uploads, their metrics
  merged as run-fargate's collector merges them, then graded and reported.
  --count N              containers, 1 to ${MAX_CONTAINERS} (default 2)
  --duration-factor F, --users-factor F, --think-factor F, --mix, --login-policy, --seed, --workers,
  --out DIR, --no-report: as for npm run <profile> (npm run smoke -- --help)`;

interface Container {
  index: number;
  workerId: string;
  tag: string;
  results: string;
  metrics: string;
  log: string;
  exitCode: number | null;
}

/** Takes `--count N` out of the arguments; the rest are the run options. */
function takeCount(argv: string[]): { count: number; rest: string[] } {
  const rest: string[] = [];
  let raw: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--count') raw = argv[++i] ?? '';
    else if (a.startsWith('--count=')) raw = a.slice('--count='.length);
    else rest.push(a);
  }
  if (raw === undefined) return { count: 2, rest };
  const count = Number(raw);
  if (!/^\d+$/.test(raw) || count < 1 || count > MAX_CONTAINERS)
    throw new UsageError(`--count must be a whole number from 1 to ${MAX_CONTAINERS}, got "${raw}"`);
  return { count, rest };
}

function runContainer(
  c: Container,
  opts: RunOptions,
  testData: string,
  entry: string,
  shared: { runTag: string; testId: string },
): ChildProcess {
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
    c.results,
    entry,
  ];
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    // What the worker images set (loadgen-worker, the Lambda handler).
    WORKER_ID: c.workerId,
    ARTILLERY_TEST_RUN_ID: shared.testId,
    ARTILLERY_DISABLE_ENSURE: 'true',
    ARTILLERY_DISABLE_TELEMETRY: 'true',
    NODE_PATH: path.join(testData, 'node_modules'),
    // The workers inject their SQS reporter this way; the rehearsal's writes to a file instead.
    ARTILLERY_PLUGIN_PATH: [path.join(ROOT, 'build', 'runner'), path.join(testData, 'node_modules')].join(
      ':',
    ),
    ARTILLERY_PLUGINS: JSON.stringify({ 'btcw-rehearsal': {} }),
    BTCW_REHEARSAL_METRICS: c.metrics,
    // Shared by all containers, as a --dotenv file or --launch-config would share it.
    BTCW_RUN_TAG: shared.runTag,
    ...(opts.seed ? { BTCW_SEED: opts.seed } : {}),
    ...(opts.workers === undefined ? {} : { BTCW_WORKERS: String(opts.workers) }),
  };
  const out = openSync(c.log, 'w');
  try {
    return spawn(process.execPath, args, { cwd: testData, env, stdio: ['ignore', out, out] });
  } finally {
    closeSync(out);
  }
}

function exitCodeOf(child: ChildProcess): Promise<number> {
  return new Promise((resolve) =>
    child.once('exit', (code, sig) => resolve(code ?? (sig === 'SIGINT' ? 130 : 143))),
  );
}

export async function rehearse(argv: string[]): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    console.log(REHEARSE_USAGE);
    return 0;
  }
  loadDotenv(argv, process.env);
  const { count, rest } = takeCount(argv);
  // The merged verdict is graded by evaluate, without a baseline: say so rather than ignore the flags.
  if (rest.some((word) => /^--(save-)?baseline(=|$)/.test(word)))
    throw new UsageError(
      'rehearse grades without a baseline: give its merged results to "npm run evaluate -- FILE --baseline"',
    );
  const opts = parseRunArgs(rest, process.env);
  if (opts === 'help') {
    console.log(REHEARSE_USAGE);
    return 0;
  }
  if (rest.some((a) => a.startsWith('--dashboard')))
    throw new UsageError('rehearse has no live dashboard: use it with "run <profile> --dashboard"');
  if (opts.environment !== 'local' || !opts.local)
    throw new UsageError(
      `rehearse runs against the embedded API only (--env local, a loopback target), ` +
        `not ${opts.target.host}: for staging, use run-fargate (docs/distributed.md)`,
    );
  const targetsFile = process.env.BTCW_TARGETS_FILE ?? TARGETS_FILE;
  forProfile(loadTargets(targetsFile), opts.profileName); // bad targets stop here
  const { creds } = opts;

  const runTag = process.env.BTCW_RUN_TAG || newRunTag();
  const testId = `rehearsal-${runTag}`;
  const base = `${opts.profileName}-${runTag}`;
  const outProblem = outDirProblem(opts.outDir);
  if (outProblem !== null) throw new UsageError(outProblem);
  const results = path.resolve(opts.outDir, `${base}.json`);
  const containersDir = path.resolve(opts.outDir, `${base}.containers`);
  const containers: Container[] = Array.from({ length: count }, (_, i) => {
    const workerId = `rehearsal-${i + 1}`;
    const file = (ext: string) => path.join(containersDir, `${i + 1}.${ext}`);
    return {
      index: i + 1,
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

  const local: LocalTarget = await ensureLocalTarget(opts.target, log);
  const tmp = mkdtempSync(path.join(tmpdir(), 'btcw-rehearsal-'));
  try {
    const admin = adminExpectation(process.env, opts.environment);
    await preflight(opts.target, creds.user, admin.given ? creds.admin : null);
    const bundle = writeBundle(path.join(tmp, 'bundle'), [opts.profileName]);
    const bom = await fargateBundle(bundle.entries[opts.profileName]!);
    const testData = path.join(tmp, 'test_data');
    stageBundle(bom, testData);
    const entry = bom.files.find((f) => f.orig === bundle.entries[opts.profileName])!.noPrefixPosix;
    log(`bundle: ${bom.files.length} files, packages ${bom.modules.join(', ')} (as run-fargate uploads it)`);

    mkdirSync(containersDir, { recursive: true });
    const children = containers.map((c) => runContainer(c, opts, testData, entry, { runTag, testId }));
    let interrupted: NodeJS.Signals | null = null;
    const forward = (sig: NodeJS.Signals) => {
      interrupted = sig;
      for (const child of children) child.kill(sig);
    };
    process.on('SIGINT', forward);
    process.on('SIGTERM', forward);
    // Every run is bounded: users stop at their deadline; a container still running well after it is stopped.
    const ramp = opts.scaled.phases.reduce((a, p) => a + p.duration, 0);
    const limitMs = (opts.scaled.runSeconds + ramp + 120) * 1000;
    const watchdog = setTimeout(() => {
      log(`containers still running ${limitMs / 1000} s after the start: stopping them`);
      for (const child of children) child.kill('SIGTERM');
      setTimeout(() => {
        for (const child of children) child.kill('SIGKILL');
      }, 10_000).unref();
    }, limitMs);
    const codes = await Promise.all(children.map(exitCodeOf));
    clearTimeout(watchdog);
    process.off('SIGINT', forward);
    process.off('SIGTERM', forward);
    codes.forEach((code, i) => {
      containers[i]!.exitCode = code;
    });
    for (const c of containers)
      log(
        `container ${c.index} (${c.workerId}, tag ${c.tag}): exit ${c.exitCode}, ` +
          `log ${path.relative(process.cwd(), c.log)}`,
      );

    // Safety net, as after a run: each container's after hook deleted its own tag; this catches a dead one.
    try {
      let deleted = 0;
      for (const c of containers)
        deleted += (await loginAndSweep(opts.target.origin, creds.user, c.tag)).deleted;
      if (deleted > 0) log(`cleanup: deleted ${deleted} leftover strategies of run ${runTag}`);
    } catch (e) {
      log(
        `cleanup failed (${(e as Error).message}): ` +
          `run "npm run cleanup" to remove strategies of run ${runTag}`,
      );
    }

    const streams = containers.map((c) => c.metrics).filter((f) => existsSync(f));
    if (streams.length === 0) {
      log('no container reported any metrics: nothing to merge');
      return interrupted === 'SIGINT' ? 130 : interrupted ? 143 : 3;
    }
    const merged = await mergeMetricStreams(streams);
    const doc = resultsDocument(merged, {
      testId,
      count: streams.length,
      tags: [
        { name: 'profile', value: opts.profileName },
        { name: 'runTag', value: runTag },
      ],
      extra: {
        rehearsal: containers.map((c) => ({
          workerId: c.workerId,
          tag: c.tag,
          exitCode: c.exitCode,
          results: path.relative(path.dirname(results), c.results),
        })),
      },
    });
    writeFileSync(results, JSON.stringify(doc, null, 2));
    log(`merged ${streams.length} containers into ${path.relative(process.cwd(), results)}`);

    const verdictCode = evaluateCommand([results, '--write'], targetsFile, profileNames());
    const evaluationFile = evaluationPath(results);
    if (opts.report && existsSync(evaluationFile)) {
      const files = writeReport(loadDocument(evaluationFile, targetsFile), reportBase(results));
      log(`report: ${path.relative(process.cwd(), files.html)}`);
    }
    if (interrupted) return interrupted === 'SIGINT' ? 130 : 143;
    const failed = containers.filter((c) => !CONTAINER_OK.has(c.exitCode ?? -1));
    if (failed.length > 0) {
      log(`containers ${failed.map((c) => c.index).join(', ')} failed: see their logs`);
      return Math.max(verdictCode, 3);
    }
    return verdictCode;
  } finally {
    rmSync(tmp, { recursive: true, force: true });
    await local.stop();
  }
}
