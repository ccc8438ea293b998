// artillery-plugin-btcw-targets: grades a run against config/targets.yml at its end.
// Shaped like Artillery's own plugins (apdex: both halves). In each worker thread it judges every response
// against the request's declared expectation and records failures and per-class latency; in the main process
// it keeps the 10 s intermediates, evaluates the aggregate at beforeExit, prints the verdict, writes the
// evaluation JSON next to `-o`, and sets the exit code.

import { existsSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import {
  BaselineError,
  type BaselineFile,
  baselinesDir,
  readBaseline,
  resolveBaseline,
} from '../documents/baseline-file.js';
import { buildDocument, type EvaluationDocument, evaluationPath } from '../documents/evaluation-document.js';
import {
  appendPartialPeriod,
  partialResultsPath,
  writeArtilleryResults,
} from '../documents/partial-results.js';
import { loadTargets } from '../documents/targets-file.js';
import { type ArtilleryReport, classify, type Evaluation, evaluate } from '../grading/evaluation.js';
import { gradeWithBaseline } from '../grading/regression.js';
import { guardAbort, interruption, withStop } from '../grading/run-stop.js';
import { forProfile, type Targets, TargetsError, tierBoundsFor } from '../grading/targets.js';
import { type AdminExpectation, adminExpectationFor } from '../lib/credentials.js';
import {
  CLASS_RESPONSE_TIME,
  FAILED,
  GENERATOR_ADDED_MS,
  JUDGED_RESPONSES,
  RUN_PROFILE,
  SERVER_TIME,
  SERVER_TIME_CLASS,
  slowerKey,
} from '../lib/metrics.js';
import { type RunPlan, RunPlanError, targetsFileFromEnv } from '../lib/run-plan.js';
import { type RunSettings, runSettings } from '../lib/run-settings.js';
import { UserStopper } from '../lib/user-stop.js';
import { formatSummary } from '../report/console-verdict.js';
import { CapacityStep } from './capacity-step.js';
import { expectedStatuses, isSuccess } from './expected-status.js';
import { LiveGuard } from './guard.js';
import { mainFeed, workerTicks } from './live-feed.js';
import { PartialAggregate, type PeriodStats } from './partial-aggregate.js';
import { generatorAddedMs, serverTotalMs } from './server-timing.js';
import { fillClosedModelArrivals, WORKER_SLOT_VAR, type WorkerPhase, workerSlot } from './worker-share.js';

interface PluginConfig {
  /** Targets file, relative to the test script's folder. */
  targets?: string;
  /** Profile name for per-profile overrides; defaults to config.variables.profile. */
  profile?: string;
}

interface Script {
  config: {
    plugins?: Record<string, unknown>;
    processor?: string | Record<string, unknown>;
    http?: { timeout?: number };
    variables?: Record<string, unknown>;
    phases?: unknown[];
    target?: string;
    environments?: unknown;
  };
  scenarios?: Array<Record<string, unknown>>;
}

interface Events {
  on(event: 'stats', fn: (stats: PeriodStats) => void): void;
}

interface BeforeExitData {
  report?: ArtilleryReport;
  exitCode?: number;
  earlyStop?: boolean;
  flags?: { output?: string; environment?: string };
}

interface ArtilleryGlobal {
  ext(hook: { ext: 'beforeExit'; method: (data: BeforeExitData) => Promise<void> }): void;
  /** The graceful shutdown Artillery's SIGINT handler calls (lib/cmds/run.ts). */
  shutdown?: (opts: { earlyStop: boolean; exitCode: number }) => Promise<void>;
  suggestedExitCode?: number;
  version?: string;
  /** Set by `artillery run` before the first period: its flags, `-o` among them. */
  testInfo?: { flags?: { output?: string } };
  util?: { template(value: unknown, ctx: unknown): unknown };
}

type Done = (err?: Error) => void;
type Emitter = { emit(type: 'counter' | 'histogram', name: string, value: number): void };

declare const global: typeof globalThis & { artillery?: ArtilleryGlobal };

/**
 * Artillery's graceful shutdown awaits every `beforeExit` before its `after` hook (the clean-up) and kills
 * the workers after it: the btcw engine's users end here first, so none creates data past the clean-up.
 */
function stopUsersOnShutdown(script: Script): void {
  const artillery = global.artillery;
  if (!artillery) return;
  const stopper = new UserStopper();
  // A request in flight ends within the request timeout; past that, the runner's sweep is the net.
  const waitMs = Math.min((Number(script.config.http?.timeout) || 30) * 1000 + 1000, 15_000);
  artillery.ext({
    ext: 'beforeExit',
    method: async () => {
      const { ended } = await stopper.stopAll(waitMs);
      if (!ended) console.log('btcw: some users were still running when the run stopped');
      stopper.close();
    },
  });
}

export const LEGACY_METRICS_FORMAT = false;

/** artillery-plugin-expect's exit code when a request failed its expectation. */
const EXPECT_FAILED_EXIT_CODE = 21;

function shareWorkerPlace(script: Script): void {
  const phases = (script.config.phases ?? []) as WorkerPhase[];
  fillClosedModelArrivals(phases);
  script.config.variables = { ...script.config.variables, [WORKER_SLOT_VAR]: workerSlot(phases) };
}

export { evaluationPath };

/** The targets file a script's run grades against: BTCW_TARGETS_FILE, else the plugin's `targets` option. */
export function targetsFileForScript(script: Script, scriptPath: string | undefined): string {
  const cfg = (script.config.plugins?.['btcw-targets'] ?? {}) as PluginConfig;
  const base = scriptPath ? path.dirname(scriptPath) : process.cwd();
  return targetsFileFromEnv(process.env) ?? path.resolve(base, cfg.targets ?? '../config/targets.yml');
}

/** The engine the users ran on: the one flows.yml's engineWeights gave weight (the run plan records it). */
export function engineOf(script: Script): 'btcw' | 'http' | null {
  const weights = script.config.variables?.engineWeights as { btcw?: unknown } | undefined;
  if (weights === undefined || weights === null) return null;
  return Number(weights.btcw) > 0 ? 'btcw' : 'http';
}

function profileOf(script: Script): string | undefined {
  const cfg = (script.config.plugins?.['btcw-targets'] ?? {}) as PluginConfig;
  const profile = cfg.profile ?? script.config.variables?.profile;
  return typeof profile === 'string' && profile !== '' ? profile : undefined;
}

/** Resolves and loads the targets in force for a script; exported for the runner's preflight. */
export function targetsForScript(script: Script, scriptPath: string | undefined): Targets {
  return forProfile(loadTargets(targetsFileForScript(script, scriptPath)), profileOf(script));
}

/** What a run is graded by: its plan's targets file and profile, or, without a plan, the script's own. */
export function gradingFor(
  script: Script,
  scriptPath: string | undefined,
  plan: RunPlan | null,
): { targetsFile: string; profile: string | undefined; targets: Targets } {
  const targetsFile = plan?.targetsFile ?? targetsFileForScript(script, scriptPath);
  const profile = plan ? plan.profile : profileOf(script);
  return { targetsFile, profile, targets: forProfile(loadTargets(targetsFile), profile) };
}

function safeHost(target: string | undefined): string | null {
  if (!target) return null;
  try {
    const url = new URL(target);
    return `${url.protocol}//${url.host}`; // never userinfo, path or query
  } catch {
    return null;
  }
}

export class Plugin {
  private targets: Targets | null = null;
  private targetsFile: string | null = null;
  private readonly intermediates: ArtilleryReport[] = [];
  private readonly partial = new PartialAggregate();
  /** A capacity finder's step (commands/capacity.ts): graded after its settle time. */
  private capacityStep: CapacityStep | null = null;
  private baseline: { file: string; data: BaselineFile } | null = null;
  /** The live error-rate guard (plugin/guard.ts); null when off. */
  private guard: LiveGuard | null = null;
  /** The run's plan, or the variables of a run without one (lib/run-settings.ts). */
  private settings: RunSettings = runSettings({});

  constructor(
    script: Script,
    events: Events,
    opts: { scriptPath?: string; absoluteScriptPath?: string } = {},
  ) {
    const inWorkerThread = process.env.LOCAL_WORKER_ID !== undefined;
    // Even with grading off: the processors' class split needs this worker's place in the run.
    if (inWorkerThread) shareWorkerPlace(script);
    else stopUsersOnShutdown(script);
    if (process.env.BTCW_TARGETS_DISABLE === 'true') return;
    // The command's run plan, when there is one, says what the run resolved; a raw `artillery run` has none.
    try {
      this.settings = runSettings();
      const grading = gradingFor(script, opts.absoluteScriptPath ?? opts.scriptPath, this.settings.plan);
      this.targetsFile = grading.targetsFile;
      this.targets = grading.targets;
    } catch (error) {
      if (!(error instanceof TargetsError) && !(error instanceof RunPlanError)) throw error;
      // A bad targets file must stop the run before any load.
      console.error(`btcw-targets: ${error.message}`);
      process.exit(2);
    }
    // The run plan's baseline (the runner's --baseline), or BTCW_BASELINE for a raw `artillery run`: checked
    // before any load, so a wrong baseline costs one line and exit 2, not a run.
    const plan = this.settings.plan;
    const baselineArg = plan ? plan.baseline : process.env.BTCW_BASELINE;
    if (!inWorkerThread && process.env.WORKER_ID === undefined && baselineArg) {
      try {
        const profile = plan?.profile ?? profileOf(script);
        const dir = plan?.baselinesDir ?? baselinesDir(process.cwd());
        const file = resolveBaseline(baselineArg, profile ?? '', dir);
        this.baseline = { file, data: readBaseline(file, profile, engineOf(script)) };
      } catch (error) {
        if (!(error instanceof BaselineError)) throw error;
        console.error(`btcw-targets: ${error.message}`);
        process.exit(2);
      }
    }
    if (inWorkerThread) this.attachWorkerHooks(script, this.targets);
    // A cloud container (WORKER_ID) runs its own `artillery run` of the whole profile; the verdict belongs
    // to whoever merges the containers' results (npm run evaluate), so only the worker half runs there.
    else if (process.env.WORKER_ID === undefined) this.attachMainHooks(script, events, this.targets);
    else this.attachContainerHooks(script, events, this.targets);
  }

  /** The guard for this process's run: every container of a distributed run guards itself. */
  private startGuard(script: Script, targets: Targets, feed: ReturnType<typeof mainFeed>): LiveGuard | null {
    // A capacity step is graded and stopped by the capacity finder itself.
    if (CapacityStep.fromVariables(script.config.variables) !== null) return null;
    return LiveGuard.forRun(targets, script.config.phases, this.settings, {
      shutdown: (opts) => global.artillery?.shutdown?.(opts),
      log: (line) => console.log(line),
      feed: feed ? (event) => feed.guard(event) : undefined,
    });
  }

  private attachWorkerHooks(script: Script, targets: Targets): void {
    if (typeof script.config.processor !== 'object' || script.config.processor === null)
      script.config.processor = {};
    const processor = script.config.processor as Record<string, unknown>;
    const template = global.artillery?.util?.template;
    const classOf = new Map<string, string>();
    const cls = (name: string) => {
      let className = classOf.get(name);
      if (className === undefined) {
        className = classify(name, targets.classes);
        classOf.set(name, className);
      }
      return className;
    };
    const boundsOf = new Map<string, number[]>();
    const nameOf = (req: { name?: string; url?: string }) =>
      req.name ?? (req.url ? new URL(req.url).pathname : 'unnamed');

    // Once per worker thread: the run's profile, so that its results file says which targets apply.
    let profileMarked = false;
    const profile = profileOf(script);
    const ticks = workerTicks(); // the live dashboard's 2 s counts; null without a dashboard
    processor.btcwTargetsAfterResponse = (
      req: { name?: string; url?: string; expect?: unknown },
      res: {
        statusCode: number;
        headers?: Record<string, string | string[] | undefined>;
        timings?: { phases?: { firstByte?: number; total?: number } };
      },
      context: unknown,
      ee: Emitter,
      done: Done,
    ) => {
      const name = nameOf(req);
      const expected = expectedStatuses(req.expect, template ? (v) => template(v, context) : undefined);
      ee.emit('counter', JUDGED_RESPONSES, 1);
      if (!profileMarked) {
        profileMarked = true;
        if (profile !== undefined) ee.emit('counter', `${RUN_PROFILE}${profile}`, 1);
      }
      // Failed by the request's own expectation, counted under its status: the verdict, the report's
      // Failures table and the failures CSV all read these counters.
      const failed = !isSuccess(res.statusCode, expected);
      if (failed) ee.emit('counter', `${FAILED}${name}.codes.${res.statusCode}`, 1);
      ticks?.response(failed);
      const ttfb = res.timings?.phases?.firstByte;
      if (typeof ttfb === 'number') {
        ee.emit('histogram', `${CLASS_RESPONSE_TIME}${cls(name)}`, ttfb);
        // Exact counts of the responses at or over each tier bound: the evidence a latency verdict needs.
        let bounds = boundsOf.get(name);
        if (bounds === undefined) {
          bounds = tierBoundsFor(targets, name);
          boundsOf.set(name, bounds);
          for (const bound of bounds) ee.emit('counter', slowerKey(bound, name), 0);
        }
        for (const bound of bounds) if (ttfb >= bound) ee.emit('counter', slowerKey(bound, name), 1);
      }
      const server = serverTotalMs(res.headers?.['server-timing']);
      if (server !== null) {
        ee.emit('histogram', `${SERVER_TIME}${name}`, server);
        ee.emit('histogram', `${SERVER_TIME_CLASS}${cls(name)}`, server);
        const total = res.timings?.phases?.total;
        const added = typeof total === 'number' ? generatorAddedMs(total, server) : null;
        if (added !== null) ee.emit('histogram', GENERATOR_ADDED_MS, added);
      }
      done();
    };
    processor.btcwTargetsOnError = (
      err: Error & { code?: string },
      req: { name?: string; url?: string },
      _context: unknown,
      ee: Emitter,
      done: Done,
    ) => {
      // The same error code as metrics-by-endpoint's `errors.<code>`.
      ee.emit('counter', `${FAILED}${nameOf(req)}.errors.${err?.code || err?.name || 'Error'}`, 1);
      ticks?.response(true);
      done();
    };
    for (const scenario of script.scenarios ?? []) {
      scenario.afterResponse = [...[scenario.afterResponse ?? []].flat(), 'btcwTargetsAfterResponse'];
      scenario.onError = [...[scenario.onError ?? []].flat(), 'btcwTargetsOnError'];
    }
  }

  /**
   * In a cloud container, requests that failed their expectation are part of the merged run's verdict, not
   * a fault of the container: expect's exit code 21 would make the cloud tools report a worker error.
   */
  private attachContainerHooks(script: Script, events: Events, targets: Targets): void {
    this.guard = this.startGuard(script, targets, null);
    events.on('stats', (stats) => {
      const { counters, summaries, period, firstMetricAt, lastMetricAt } = stats;
      this.intermediates.push({ counters, summaries, period, firstMetricAt, lastMetricAt });
      this.partial.add(stats);
      this.guard?.period(stats);
    });
    const artillery = global.artillery;
    artillery?.ext({
      ext: 'beforeExit',
      method: async (data: BeforeExitData) => {
        if (!data.earlyStop && artillery.suggestedExitCode === EXPECT_FAILED_EXIT_CODE)
          artillery.suggestedExitCode = 0;
        // A container the guard stopped exits with the guard's code, and leaves its `-o` file.
        const stop = this.guard?.result().stop;
        if (stop) {
          artillery.suggestedExitCode = guardAbort(stop).exitCode;
          const output = data.flags?.output;
          if (output && !existsSync(output))
            writeArtilleryResults(output, this.partial.aggregate(), this.intermediates, guardAbort(stop));
        }
      },
    });
  }

  private attachMainHooks(script: Script, events: Events, targets: Targets): void {
    this.capacityStep = CapacityStep.fromVariables(script.config.variables);
    const feed = mainFeed(); // the runner's live dashboard, when it asked for one
    this.guard = this.startGuard(script, targets, feed);
    events.on('stats', (stats) => {
      // Keep what the report draws from: counters and summaries per 10 s period (not the sketches).
      const { counters, summaries, period, firstMetricAt, lastMetricAt } = stats;
      this.intermediates.push({ counters, summaries, period, firstMetricAt, lastMetricAt });
      this.partial.add(stats);
      this.capacityStep?.add(stats); // after this.partial: see CapacityStep.add
      const aggregate = this.partial.aggregate();
      feed?.period({ counters, summaries, period, firstMetricAt, lastMetricAt }, aggregate);
      // What a killed Artillery leaves: the periods so far, beside the `-o` file it would have written.
      const output = global.artillery?.testInfo?.flags?.output;
      if (output) appendPartialPeriod(partialResultsPath(output), this.intermediates.at(-1)!, aggregate);
      this.guard?.period(stats); // last: a stop starts the shutdown
    });
    const artillery = global.artillery;
    if (!artillery) return;
    artillery.ext({
      ext: 'beforeExit',
      method: async (data: BeforeExitData) => {
        // Interrupted runs get an empty report: grade the periods completed so far instead.
        const report =
          data.report && Object.keys(data.report).length > 0 ? data.report : this.partial.aggregate();
        const guard = this.guard?.result();
        // A guard that saw nothing adds nothing, so a regrade of Artillery's own -o file is the same.
        const acted = guard && (guard.events.length > 0 || guard.stop) ? { guard } : {};
        const graded = evaluate({ aggregate: report, intermediate: this.intermediates, ...acted }, targets);
        const compared = this.baseline
          ? gradeWithBaseline(graded, this.intermediates, this.baseline.data, this.baseline.file, targets)
          : graded;
        // The guard's stop is an early stop of its own (ABORTED, its exit code); Artillery's others are
        // SIGINT (exit code 130) and SIGTERM (143): INTERRUPTED.
        const stop = guard?.stop
          ? guardAbort(guard.stop)
          : data.earlyStop
            ? interruption(data.exitCode === 143 ? 'SIGTERM' : 'SIGINT')
            : null;
        const evaluation = stop ? withStop(compared, stop) : compared;
        if (stop) console.log(`btcw-targets: ${stop.line}`);
        const output = data.flags?.output;
        // Artillery writes no `-o` file when stopped early: the pack writes it, so that it can be regraded.
        if (output && stop && !existsSync(output))
          writeArtilleryResults(output, report, this.intermediates, stop);
        if (output) rmSync(partialResultsPath(output), { force: true });
        console.log(formatSummary(evaluation, 5, { adminLogin: this.adminLogin(script, data) }));
        if (data.flags?.output) {
          const file = evaluationPath(data.flags.output);
          writeFileSync(file, JSON.stringify(this.document(evaluation, script, data), null, 1));
          console.log(`btcw-targets: evaluation written to ${file}`);
        }
        // This plugin owns the exit code: expect's 21 is replaced, since unexpected statuses are already
        // counted as failed requests in the verdict. An interrupted run has its signal's code (130, 143).
        artillery.suggestedExitCode = evaluation.exitCode;
      },
    });
  }

  private document(evaluation: Evaluation, script: Script, data: BeforeExitData): EvaluationDocument {
    const doc = this.baseDocument(evaluation, script, data);
    if (this.capacityStep && this.targets) doc.capacityStep = this.capacityStep.result(this.targets);
    return doc;
  }

  private baseDocument(evaluation: Evaluation, script: Script, data: BeforeExitData): EvaluationDocument {
    return buildDocument(
      evaluation,
      {
        environment: data.flags?.environment ?? null,
        profile: this.settings.plan?.profile ?? profileOf(script) ?? null,
        userMix: (script.config.variables?.userMix as string | undefined) ?? null,
        engine: engineOf(script),
        target: safeHost(script.config.target),
        runTag: this.settings.runTag,
        seed: this.settings.seed,
        targetsFile: this.targetsFile,
        // Which answer [ADMIN LOGIN] was graded against, and why (a 401 passes or fails by it).
        adminLogin: this.adminLogin(script, data),
        interrupted: data.earlyStop === true,
        artillery: global.artillery?.version ?? null,
        node: process.version,
        generatedAt: new Date().toISOString(),
      },
      this.intermediates,
    );
  }

  private adminLogin(script: Script, data: BeforeExitData): AdminExpectation {
    return adminExpectationFor(
      this.settings.adminCredentials,
      data.flags?.environment,
      script.config.variables?.adminLoginStatus,
    );
  }
}
