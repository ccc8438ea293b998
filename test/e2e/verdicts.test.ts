// The plugin's verdict end to end: faults in the embedded API drive the tier, the level and the exit code.
import assert from 'node:assert/strict';
import { readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { loadTargets } from '../../documents/targets-file.js';
import { evaluate } from '../../grading/evaluation.js';
import { forProfile } from '../../grading/targets.js';
import { ROOT, runCli, runPackWithFaults } from '../../harness/pack.js';
import { tempDir } from '../../harness/temp-dir.js';
import type { FaultConfig } from '../../reference-api/faults.js';
import { type RunningApi, startApi } from '../../reference-api/server.js';
import { rawArtilleryRun } from '../helpers/raw-artillery.js';

const FAST = ['--duration-factor', '0.12', '--users-factor', '2', '--think-factor', '0.02'];

describe('pack end to end: verdicts under faults', () => {
  let api: RunningApi;
  before(async () => {
    api = await startApi({ port: 0, bcryptCost: 4 });
  });
  after(() => api.close());

  const runWithFaults = (faults: Partial<FaultConfig>) => runPackWithFaults(api, faults, FAST);

  it('400 ms of added latency puts endpoints in the acceptable tier and fails the run (exit 3)', async () => {
    const run = await runWithFaults({ latencyMs: 400 });
    const evaluation = run.evaluation!;
    assert.equal(evaluation.verdict, 'FAIL');
    assert.equal(run.code, 3);
    const list = evaluation.endpoints.find((x) => x.name === 'GET /strategies/ [LIST]')!;
    assert.equal(list.tier, 'acceptable');
    // Artillery's percentiles come from DDSketch, accurate to 1 % relative: 400 ms may read as 396.
    assert.ok(list.value! >= 396, `p95 ${list.value}`);
    // Judged alone from 20 requests, else in its class's pool (grading/evidence.ts): on a busy machine this
    // compressed run may give it fewer.
    const reasons = evaluation.reasons.map((r) => r.message).join('\n');
    if (list.evidence!.samples >= 20)
      assert.match(
        reasons,
        /GET \/strategies\/ \[LIST\] p95 \d+(\.\d)? ms is acceptable, below its target tier good/,
      );
    else {
      assert.equal(list.evidence!.status, 'too-few');
      assert.match(reasons, /read class p95 is over its target tiers: \d+ of \d+ requests took/);
    }
    assert.equal(evaluation.overall.failed, 0);
    assert.match(run.stdout, /BTC Watcher performance targets: FAIL/);
  });

  it('3 % errors give WARN and exit 0', async () => {
    const run = await runWithFaults({ errorRate: 0.03 });
    const evaluation = run.evaluation!;
    assert.ok(
      evaluation.overall.errorRate >= 0.01 && evaluation.overall.errorRate < 0.05,
      `error rate ${evaluation.overall.errorRate}`,
    );
    assert.equal(evaluation.verdict, 'WARN', JSON.stringify(evaluation.reasons));
    assert.equal(run.code, 0);
    assert.ok(evaluation.overall.failed > 0);
    // failures are counted under their request names
    assert.equal(
      evaluation.endpoints.reduce((a, x) => a + x.failed, 0),
      evaluation.overall.failed,
    );
    assert.ok(evaluation.endpoints.some((x) => x.failed > 0 && x.codes['500']! > 0));
  });

  it(
    '15 % errors give a critical FAIL and a non-zero exit code; ' + 'the CLI agrees with the plugin',
    async () => {
      const run = await runWithFaults({ errorRate: 0.15 });
      const evaluation = run.evaluation!;
      assert.equal(evaluation.overall.errorLevel, 'critical', `error rate ${evaluation.overall.errorRate}`);
      assert.equal(evaluation.verdict, 'FAIL');
      assert.equal(run.code, 3);

      const resultsFile = readdirSync(run.outDir).find(
        (f) => f.endsWith('.json') && !f.endsWith('.evaluation.json'),
      )!;
      const full = path.join(run.outDir, resultsFile);
      const cli = await runCli(['evaluate', full]);
      assert.equal(cli.code, run.code);
      assert.match(cli.stdout, /BTC Watcher performance targets: FAIL/);
      const again = evaluate(
        run.results as never,
        forProfile(loadTargets(path.join(ROOT, 'config/targets.yml')), 'smoke'),
      );
      assert.deepEqual(JSON.parse(JSON.stringify(again)), evaluation);
    },
  );

  it('a malformed targets file stops the run before any load, naming the key', async () => {
    const dir = tempDir('btcw-targets-');
    const bad = path.join(dir, 'targets.yml');
    writeFileSync(
      bad,
      'statistic: p95\n' +
        'responseTime: { excellent: 100, good: 300, acceptable: 1000, poor: 3000, target: good }\n' +
        'errorRate: { acceptable: 0.01, warning: five, critical: 0.1, brokenEndpoint: 0.5 }\n' +
        'throughput: {}\nclasses: [{ class: read }]\nfailOn: [FAIL]\n',
    );
    api.timings.reset();
    const viaRunner = await runCli(
      ['run', 'smoke', '--duration-factor', '0.1', '--out', tempDir('btcw-bad-targets-')],
      {
        BTCW_API_PORT: String(api.port),
        BTCW_TARGETS_FILE: bad,
      },
    );
    assert.equal(viaRunner.code, 2);
    assert.match(viaRunner.stderr, /btcw: .*targets\.yml: "errorRate\.warning": /);
    assert.equal(viaRunner.stderr.trim().split('\n').length, 1);

    // raw `artillery run`: the plugin itself stops before any user starts
    const { code, stderr: err } = await rawArtilleryRun('scenarios/smoke.yml', api.url, {
      env: { ...process.env, BTCW_TARGETS_FILE: bad, ARTILLERY_DISABLE_TELEMETRY: 'true' },
    });
    assert.equal(code, 2);
    assert.match(err, /btcw-targets: .*"errorRate\.warning"/);
    assert.equal(api.timings.snapshot().requests, 0, 'requests were sent');
  });
});
