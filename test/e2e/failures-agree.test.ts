// End to end: the verdict, the report's Failures table and `<run>_failures.csv` list the
// same failures, per request name and status or error code, on one short run that has all four kinds:
// expected rejections ([INVALID LOGIN]'s 401s: successes), an unexpected success ([ADMIN LOGIN] answered
// 200 where a stock backend's 401 is expected), 5xx and network errors (faults of the embedded API).
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { type PackRun, runCli, runPack } from '../../harness/pack.js';
import { TAG_PATTERN } from '../../lib/tagged-cleanup.js';
import { NO_FAULTS } from '../../reference-api/faults.js';
import { type RunningApi, startApi } from '../../reference-api/server.js';
import {
  ADMIN,
  failuresOfCsv,
  failuresOfEvaluation,
  failuresOfHtml,
  INVALID,
} from '../helpers/report-fixture.js';

const SHORT = ['--duration-factor', '0.15', '--users-factor', '2', '--think-factor', '0.02'];
const MIX = 'AuthenticationUser,StrategyReadUser,SignalReadUser';

describe('failures: the verdict, the HTML table and the CSV agree exactly', () => {
  let api: RunningApi;
  let run: PackRun;
  const file = (suffix: string) =>
    path.join(run.outDir, readdirSync(run.outDir).find((f) => f.endsWith(suffix))!);

  before(async () => {
    api = await startApi({ port: 0, bcryptCost: 4 });
    // Faults on once the run's set-up has made its three fixture strategies, so the set-up itself is clean.
    const poll = setInterval(() => {
      if (api.state.store.activeStrategies().filter((s) => TAG_PATTERN.test(s.name)).length >= 3) {
        api.state.faults = { ...NO_FAULTS, errorRate: 0.04, resetRate: 0.02 };
        clearInterval(poll);
      }
    }, 5);
    try {
      // "staging" with no admin credentials: [ADMIN LOGIN] expects 401, and the embedded API answers 200
      run = await runPack(
        'smoke',
        api.port,
        ['--env', 'staging', '--mix', MIX, ...SHORT],
        {
          BTCW_TARGET: `http://127.0.0.1:${api.port}`,
          BTCW_USERNAME: 'testuser',
          BTCW_PASSWORD: 'testpass123',
          BTCW_ADMIN_USERNAME: '',
          BTCW_ADMIN_PASSWORD: '',
        },
        { report: true },
      );
    } finally {
      clearInterval(poll);
      api.state.faults = { ...NO_FAULTS };
    }
  });
  after(async () => {
    api.state.faults = { ...NO_FAULTS };
    await runCli(['cleanup'], { BTCW_API_PORT: String(api.port) });
    await api.close();
  });

  it('has all four kinds of answers', () => {
    const evaluation = run.evaluation;
    assert.ok(evaluation, `no evaluation: exit ${run.code}\n${run.stderr}\n${run.stdout.slice(-3000)}`);
    const admin = evaluation.endpoints.find((x) => x.name === ADMIN)!;
    assert.ok(admin.requests > 0, 'no admin logins');
    // every 200 failed it (and a fault's 500 would too)
    assert.ok((admin.codes['200'] ?? 0) > 0, JSON.stringify(admin));
    assert.equal(admin.failures.codes['200'], admin.codes['200'], JSON.stringify(admin));
    assert.equal(admin.failed, admin.requests);
    const invalid = evaluation.endpoints.find((x) => x.name === INVALID)!;
    assert.ok((invalid.codes['401'] ?? 0) > 0, 'no expected rejections');
    assert.equal(invalid.failures.codes['401'], undefined, 'an expected 401 counted as a failure');
    assert.ok(
      (evaluation.overall.failures.codes['500'] ?? 0) > 0,
      `no 5xx: ${JSON.stringify(evaluation.overall.failures)}`,
    );
    assert.ok(
      Object.keys(evaluation.overall.failures.errors).length > 0,
      `no network errors: ${JSON.stringify(evaluation.overall.failures)}`,
    );
  });

  it('lists exactly the failures the verdict counted, in the HTML table and the CSV', () => {
    const evaluation = run.evaluation!;
    const expected = failuresOfEvaluation(evaluation);
    assert.deepEqual(failuresOfHtml(readFileSync(file('.html'), 'utf8')), expected);
    assert.deepEqual(failuresOfCsv(readFileSync(file('_failures.csv'), 'utf8')), expected);
    for (const endpoint of evaluation.endpoints) {
      const listed = expected
        .filter((l) => l.startsWith(`${endpoint.name} | `))
        .reduce((a, l) => a + Number(l.split(' | ').at(-1)), 0);
      assert.equal(listed, endpoint.failed, endpoint.name);
    }
    assert.equal(
      expected.reduce((a, l) => a + Number(l.split(' | ').at(-1)), 0),
      evaluation.overall.failed,
    );
    assert.match(
      run.stdout,
      new RegExp(
        `BTC Watcher performance targets: FAIL .*${(evaluation.overall.errorRate * 100).toFixed(2)}% failed`,
      ),
    );
    assert.match(
      run.stdout,
      /FAIL POST \/auth\/token \[ADMIN LOGIN\] failed (\d+) of \1 \(100\.0 %\): \d+ × HTTP 200 \(unexp/,
    );
    // the history CSV's running total ends at the verdict's count too
    const history = readFileSync(file('_stats_history.csv'), 'utf8').trim().split('\n');
    assert.equal(Number(history.at(-1)!.split(',').at(-1)), evaluation.overall.failed);
  });

  it('grades the results file again: same failures, profile and verdict without --profile', async () => {
    const results = readdirSync(run.outDir).find(
      (f) => f.endsWith('.json') && !f.endsWith('.evaluation.json'),
    )!;
    const again = await runCli(['evaluate', path.join(run.outDir, results)]);
    assert.equal(again.code, run.code);
    assert.match(again.stdout, /^evaluate: profile smoke \(recorded by the run\)$/m);
    const regraded = await runCli(['report', path.join(run.outDir, results), '--profile', 'smoke']);
    assert.equal(regraded.code, 0, regraded.stderr);
    assert.deepEqual(
      failuresOfCsv(readFileSync(file('_failures.csv'), 'utf8')),
      failuresOfEvaluation(run.evaluation!),
    );
  });
});
