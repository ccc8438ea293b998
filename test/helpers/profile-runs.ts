// Every profile and module, compressed to seconds, through the pack's own command against the embedded API,
// on a given number of Artillery worker threads: users' machines have many (cores - 1), CI's has one, so
// the suite runs them on one (profiles.test.ts) and on three (profiles-3-workers.test.ts), one file each
// to keep each file within the test timeout.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  LOGS_IN_AT_START,
  MIX_CLASSES,
  NAMES_BY_CLASS,
  STATE_DEPENDENT,
} from '../../harness/expected-names.js';
import { runPack } from '../../harness/pack.js';
import { TAG_PATTERN } from '../../lib/tagged-cleanup.js';
import { resolveMix } from '../../processors/catalogue.js';
import { type RunningApi, startApi } from '../../reference-api/server.js';
import { mechanicsTargetsFile } from './mechanics-targets.js';

interface Case {
  profile: string;
  mix: string;
  /** Also require the state-dependent names (runs small enough for them to come up). */
  strict?: boolean;
  durationFactor: number;
  usersFactor: number;
  users: number;
  runSeconds: number;
}

// Think times shrink 50x so that each user runs dozens of tasks in a few seconds.
const THINK_FACTOR = '0.02';
const CASES: Case[] = [
  { profile: 'smoke', mix: 'comprehensive', durationFactor: 0.15, usersFactor: 3, users: 30, runSeconds: 9 },
  { profile: 'load', mix: 'comprehensive', durationFactor: 0.03, usersFactor: 0.3, users: 30, runSeconds: 9 },
  {
    profile: 'stress',
    mix: 'comprehensive',
    durationFactor: 0.015,
    usersFactor: 0.1,
    users: 50,
    runSeconds: 9,
  },
  {
    profile: 'spike',
    mix: 'comprehensive',
    durationFactor: 0.05,
    usersFactor: 0.05,
    users: 50,
    runSeconds: 9,
  },
  { profile: 'auth', mix: 'auth', durationFactor: 0.075, usersFactor: 0.5, users: 15, runSeconds: 9 },
  { profile: 'strategy', mix: 'strategy', durationFactor: 0.075, usersFactor: 0.5, users: 20, runSeconds: 9 },
  { profile: 'signal', mix: 'signal', durationFactor: 0.075, usersFactor: 0.5, users: 20, runSeconds: 9 },
  {
    profile: 'smoke',
    mix: 'RealWorldUser',
    durationFactor: 0.15,
    usersFactor: 1,
    users: 10,
    runSeconds: 9,
    strict: true,
  },
];

async function activeTagged(api: RunningApi): Promise<string[]> {
  return api.state.store
    .activeStrategies()
    .map((s) => s.name)
    .filter((n) => TAG_PATTERN.test(n));
}

/**
 * `only`: the profiles to run (default: every case). On three workers the four comprehensive profiles are
 * the ones whose class split spans workers on both engines; the module runs are the same mechanics on fewer
 * classes, and run on one worker.
 */
export function describeProfileRuns(workers: number, only?: readonly string[]): void {
  const title = `pack end to end on ${workers} worker threads: profiles and modules against the embedded API`;
  describe(title, () => {
    let api: RunningApi;
    // latency is not what these runs test (see mechanics-targets.ts)
    const targetsFile = mechanicsTargetsFile();
    // bcrypt at its minimum cost: these tests exercise the pack, not the hash.
    before(async () => {
      api = await startApi({ port: 0, bcryptCost: 4 });
    });
    after(() => api.close());

    const cases = CASES.filter(
      (c) => only === undefined || (only.includes(c.profile) && c.mix === 'comprehensive'),
    );
    for (const runCase of cases) {
      const name =
        `${runCase.profile}: ${runCase.users} users of ${runCase.mix} ` +
        `for ${runCase.runSeconds} s on ${workers} workers`;
      it(name, async () => {
        const run = await runPack(
          runCase.profile,
          api.port,
          [
            '--workers',
            String(workers),
            '--mix',
            runCase.mix,
            '--duration-factor',
            String(runCase.durationFactor),
            '--users-factor',
            String(runCase.usersFactor),
            '--think-factor',
            THINK_FACTOR,
          ],
          { BTCW_TARGETS_FILE: targetsFile },
        );
        assert.equal(run.code, 0, `exit ${run.code}\n${run.stderr}\n${run.stdout.slice(-3000)}`);
        const evaluation = run.evaluation!;
        assert.ok(evaluation, 'no evaluation written');
        assert.equal(evaluation.verdict, 'PASS', JSON.stringify(evaluation.reasons));
        assert.equal(evaluation.overall.failed, 0, 'unexpected failures');

        // every request name of the run's classes was sent
        const classes = MIX_CLASSES[runCase.mix] ?? runCase.mix.split(',');
        const sent = new Map(evaluation.endpoints.map((x) => [x.name, x.requests]));
        const missing = classes
          .flatMap((cls) => NAMES_BY_CLASS[cls]!)
          .filter((n) => !(sent.get(n)! > 0) && (runCase.strict || !STATE_DEPENDENT.has(n)));
        assert.deepEqual(missing, [], `names never sent: ${missing.join(', ')}`);

        // users: user k of the run gets class k mod n of the mix (Locust's round-robin) whatever the worker
        // count, one login each (not one per task), all of them concurrent at the peak
        const started = evaluation.pack.usersStarted;
        const mix = resolveMix(runCase.mix) as string[];
        const exact = Object.fromEntries(
          mix.map((cls, position) => [
            cls,
            Math.floor(runCase.users / mix.length) + (position < runCase.users % mix.length ? 1 : 0),
          ]),
        );
        assert.deepEqual({ ...started }, exact);
        assert.match(
          run.stdout,
          new RegExp(`users: ${runCase.users} started, peak ${runCase.users} concurrent;`),
        );
        const loginUsers = classes
          .filter((cls) => LOGS_IN_AT_START.has(cls))
          .reduce((a, cls) => a + (started[cls] ?? 0), 0);
        assert.equal(evaluation.pack.logins, loginUsers);
        const atStart = [
          'POST /auth/token [LOGIN AT START]',
          'POST /auth/token [REAL USER LOGIN]',
          'POST /auth/token [MONITOR LOGIN]',
        ];
        assert.equal(
          atStart.reduce((a, n) => a + (sent.get(n) ?? 0), 0),
          loginUsers,
        );
        assert.equal(evaluation.pack.relogins, 0);
        assert.equal(evaluation.pack.peakConcurrentUsers, runCase.users);
        assert.deepEqual(evaluation.pack.usersStopped, {});

        // the run ends on time: metrics span the run, not more than a few seconds past its deadline
        const span = (run.results!.aggregate.lastMetricAt - run.results!.aggregate.firstMetricAt) / 1000;
        assert.ok(
          span <= runCase.runSeconds + 3 && span >= runCase.runSeconds - 3,
          `metrics span ${span} s for a ${runCase.runSeconds} s run`,
        );

        // generator-added latency from the API's Server-Timing header: one value per response
        const added = run.results!.aggregate.summaries['plugins.btcw-targets.generator_added_ms'];
        assert.ok(
          added && added.count === run.results!.aggregate.counters['plugins.btcw-targets.responses'],
          JSON.stringify(added),
        );

        assert.deepEqual(await activeTagged(api), [], 'tagged strategies left behind');
      });
    }
  });
}
