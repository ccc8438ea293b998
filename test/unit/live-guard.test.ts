// The guard's Artillery side (plugin/guard.ts) with a stand-in for Artillery: a stop calls the graceful
// shutdown once, with earlyStop and the guard's exit code, after its one line; --no-guard reaches the
// plugin as BTCW_GUARD=off and turns it off.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { normalizeFlags } from '../../cli/command.js';
import { loadTargets } from '../../documents/targets-file.js';
import { GUARD_EXIT_CODE, type GuardEvent } from '../../grading/error-rate-guard.js';
import type { ArtilleryReport } from '../../grading/evaluation.js';
import { failedCode } from '../../lib/metrics.js';
import { arrivalSeconds, GUARD_ENV, LiveGuard } from '../../plugin/guard.js';
import { artilleryEnv } from '../../runner/artillery-child.js';
import { parseRunArgs } from '../../runner/run-options.js';
import { ROOT } from '../helpers/pack.js';

const TARGETS = loadTargets(`${ROOT}/config/targets.yml`);
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
    const guard = LiveGuard.forRun(TARGETS, [{ duration: 10, arrivalRate: 5 }], {}, stand)!;
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

  it('is off with BTCW_GUARD=off, or enabled: false in the targets', () => {
    assert.equal(LiveGuard.forRun(TARGETS, [], { [GUARD_ENV]: 'off' }, host().host), null);
    const off = { ...TARGETS, guard: { enabled: false } };
    assert.equal(LiveGuard.forRun(off, [], {}, host().host), null);
    assert.notEqual(LiveGuard.forRun(TARGETS, [], {}, host().host), null);
  });

  it('counts the arrival time from the phases', () => {
    assert.equal(arrivalSeconds([{ duration: 10 }, { duration: '5' }, { arrivalRate: 2 }]), 15);
    assert.equal(arrivalSeconds(undefined), 0);
  });

  it('--no-guard reaches the plugin as BTCW_GUARD=off, and only then', () => {
    const parsed = (args: string[]) => {
      const opts = parseRunArgs(normalizeFlags(['smoke', ...args]), {});
      assert.notEqual(opts, 'help');
      return opts as Exclude<typeof opts, 'help'>;
    };
    const off = parsed(['--no-guard']);
    assert.equal(off.guard, false);
    assert.equal(artilleryEnv(off, 'tag')[GUARD_ENV], 'off');
    const on = parsed([]);
    assert.equal(on.guard, true);
    assert.equal(artilleryEnv(on, 'tag')[GUARD_ENV], process.env[GUARD_ENV]);
  });
});
