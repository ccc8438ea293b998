// The guard's Artillery side (plugin/guard.ts) with a stand-in for Artillery: a stop calls the graceful
// shutdown once, with earlyStop and the guard's exit code, after its one line; --no-guard reaches the
// plugin as the run plan's `guard: false` (BTCW_GUARD=off for a run without a plan) and turns it off.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { normalizeFlags } from '../../cli/command.js';
import { loadTargets } from '../../documents/targets-file.js';
import { GUARD_EXIT_CODE, type GuardEvent } from '../../grading/error-rate-guard.js';
import type { ArtilleryReport } from '../../grading/evaluation.js';
import { ROOT } from '../../harness/pack.js';
import { tempDir } from '../../harness/temp-dir.js';
import { failedCode } from '../../lib/metrics.js';
import { PLAN_ENV, writeRunPlan } from '../../lib/run-plan.js';
import { GUARD_ENV, runSettings } from '../../lib/run-settings.js';
import { arrivalSeconds, LiveGuard } from '../../plugin/guard.js';
import { artilleryEnv } from '../../runner/artillery-child.js';
import { planRun } from '../../runner/plan-run.js';
import { parseRunArgs } from '../../runner/run-options.js';

const TARGETS = loadTargets(`${ROOT}/config/targets.yml`);
const ON = { guard: true };
const NAME = 'GET /strategies/ [LIST]';
const T0 = 1_700_000_000_000;

/** Period `index` as the main process's `stats` event gives it: 100 requests, `failed` of them failed. */
function period(index: number, failed: number): ArtilleryReport {
  return {
    period: T0 + index * 10_000,
    firstMetricAt: T0 + index * 10_000,
    lastMetricAt: T0 + index * 10_000 + 9_999,
    counters: {
      [`plugins.metrics-by-endpoint.${NAME}.codes.200`]: 100 - failed,
      [`plugins.metrics-by-endpoint.${NAME}.codes.500`]: failed,
      [failedCode(NAME, 500)]: failed,
      'plugins.btcw-targets.responses': 100,
    },
    summaries: {},
  };
}

function host() {
  const calls = { shutdown: [] as Array<{ earlyStop: boolean; exitCode: number }>, lines: [] as string[] };
  const fed: GuardEvent[] = [];
  return {
    calls,
    fed,
    host: {
      shutdown: (opts: { earlyStop: boolean; exitCode: number }) => {
        calls.shutdown.push(opts);
      },
      log: (line: string) => calls.lines.push(line),
      feed: (event: GuardEvent) => fed.push(event),
    },
  };
}

describe('the live guard in the plugin', () => {
  it("stops as Artillery's SIGINT handler does: earlyStop, the guard's exit code, once", () => {
    const { calls, fed, host: stand } = host();
    const guard = LiveGuard.forRun(TARGETS, [{ duration: 10, arrivalRate: 5 }], ON, stand)!;
    // arrivals 10 s + settle 10 s: periods 0 and 1 are never judged, however bad
    const failures = [90, 90, 0, 0, 0, 40, 50, 60, 70, 80];
    failures.forEach((failed, index) => {
      guard.period(period(index, failed));
    });
    assert.deepEqual(calls.shutdown, [{ earlyStop: true, exitCode: GUARD_EXIT_CODE }]);
    assert.equal(calls.lines.length, 1, calls.lines.join('\n'));
    assert.match(
      calls.lines[0]!,
      /^btcw-guard: ABORTED by the guard at 1:20: error rate 50 % over the last 30 s/,
    );
    assert.equal(fed.length, 1);
    assert.equal(guard.stopped(), true);
    assert.equal(guard.result().stop?.at, T0 + 80_000);
  });

  it("is off with the run's guard off, or enabled: false in the targets", () => {
    assert.equal(LiveGuard.forRun(TARGETS, [], { guard: false }, host().host), null);
    const off = { ...TARGETS, guard: { enabled: false } };
    assert.equal(LiveGuard.forRun(off, [], ON, host().host), null);
    assert.notEqual(LiveGuard.forRun(TARGETS, [], ON, host().host), null);
  });

  it('counts the arrival time from the phases', () => {
    assert.equal(arrivalSeconds([{ duration: 10 }, { duration: '5' }, { arrivalRate: 2 }]), 15);
    assert.equal(arrivalSeconds(undefined), 0);
  });

  it("--no-guard reaches the plugin as the plan's guard: false, and only then", () => {
    const dir = tempDir('btcw-guard-plan-');
    const guardSeen = (args: string[], tag: string, vars: NodeJS.ProcessEnv = {}) => {
      const opts = parseRunArgs(normalizeFlags(['smoke', ...args]), vars);
      assert.notEqual(opts, 'help');
      const plan = planRun(opts as Exclude<typeof opts, 'help'>, tag, {});
      // the shell's BTCW_GUARD is not what decides: the child gets the plan instead
      const env = artilleryEnv(writeRunPlan(plan, dir), {});
      assert.equal(env[GUARD_ENV], undefined);
      return runSettings({ ...env, [GUARD_ENV]: 'off' }).guard;
    };
    assert.equal(guardSeen(['--no-guard'], 'off1'), false);
    assert.equal(guardSeen([], 'on1'), true);
    // the command's own shell may say it: resolved into the plan like the flag
    assert.equal(guardSeen([], 'off2', { BTCW_GUARD: 'off' }), false);
    assert.throws(() => guardSeen([], 'bad', { BTCW_GUARD: 'no' }), /BTCW_GUARD must be on or off/);
    // a run without a plan (a raw artillery run) has only the variable
    assert.equal(runSettings({ [GUARD_ENV]: 'off' }).guard, false);
    assert.equal(runSettings({}).guard, true);
    assert.equal(runSettings({ [PLAN_ENV]: '' }).guard, true);
  });
});
