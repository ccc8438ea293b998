// A run's outputs hold no secrets, and Ctrl-C stops it promptly with partial results and no data left.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { TAG_PATTERN } from '../../lib/tagged-cleanup.js';
import { type RunningApi, startApi } from '../../reference-api/server.js';
import { runPack } from '../helpers/pack.js';
import { tempDir } from '../helpers/temp-dir.js';

/** Every HS256 token the API issues starts with this header, whatever its claims and signature. */
const JWT_HEADER = Buffer.from(JSON.stringify({ alg: 'HS256', typ: 'JWT' })).toString('base64url');

describe('secrets and interruptions', () => {
  let api: RunningApi;
  before(async () => {
    api = await startApi({ port: 0, bcryptCost: 4 });
  });
  after(() => api.close());

  it('keeps passwords and tokens out of the console, results, evaluation, CSV and HTML', async () => {
    const password = 'Pw-5ecret-XYZ-8831';
    const reg = await fetch(`${api.url}/api/v1/auth/register`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'secret_user', email: 'secret@example.com', password }),
    });
    assert.equal(reg.status, 201);
    // The CI outputs too: the JUnit file beside the results, the job summary, a saved baseline.
    const ci = tempDir('btcw-ci-outputs-');
    const summary = path.join(ci, 'summary.md');
    const run = await runPack(
      'smoke',
      api.port,
      ['--duration-factor', '0.12', '--think-factor', '0.05', '--save-baseline', 'secrets'],
      {
        BTCW_USERNAME: 'secret_user',
        BTCW_PASSWORD: password,
        GITHUB_STEP_SUMMARY: summary,
        BTCW_BASELINES_DIR: ci,
      },
      { report: true },
    );
    assert.equal(run.code, 0, run.stdout.slice(-1500));
    const files = readdirSync(run.outDir);
    assert.deepEqual(files.map((f) => path.extname(f)).sort(), [
      '.csv',
      '.csv',
      '.csv',
      '.html',
      '.json',
      '.json',
      '.json',
      '.xml',
    ]);
    // results, evaluation and the run plan: all three are scanned below
    assert.ok(
      files.some((f) => f.endsWith('.plan.json')),
      files.join(', '),
    );
    assert.ok(run.evaluation!.pack.logins > 0, 'the run did not log in');
    const outputs: Array<[string, string]> = [
      ['console', run.stdout + run.stderr],
      ...files.map((f): [string, string] => [f, readFileSync(path.join(run.outDir, f), 'utf8')]),
      ['job summary', readFileSync(summary, 'utf8')],
      ['baseline', readFileSync(path.join(ci, 'smoke', 'secrets.json'), 'utf8')],
    ];
    for (const [name, text] of outputs) {
      assert.ok(!text.includes(password), `password in ${name}`);
      assert.ok(!text.includes(JWT_HEADER), `a token in ${name}`);
      assert.ok(!text.includes('admin123'), `admin password in ${name}`);
    }
  });

  it(
    'Ctrl-C stops load promptly, cleans up, ' + 'writes partial results marked interrupted, exits non-zero',
    async () => {
      api.timings.reset();
      let pid = 0;
      let signalledAt = 0;
      // Partial results cover Artillery's completed 10 s periods: interrupt once it reports the first one.
      const onOutput = (stdout: string) => {
        if (pid && !signalledAt && stdout.includes('Metrics for period to')) {
          signalledAt = Date.now();
          process.kill(pid, 'SIGINT');
        }
      };
      const run = await runPack(
        'smoke',
        api.port,
        ['--duration-factor', '1', '--think-factor', '0.1'],
        {},
        {
          report: true,
          onStart: (p) => {
            pid = p;
          },
          onOutput,
        },
      );
      assert.ok(signalledAt > 0, 'never interrupted');
      const stoppedAfter = Date.now() - signalledAt;
      assert.equal(run.code, 130, run.stdout.slice(-1500));
      assert.ok(stoppedAfter < 10_000, `took ${stoppedAfter} ms to stop`);
      const requestsAtExit = api.timings.snapshot().requests;
      await new Promise((r) => setTimeout(r, 500));
      assert.equal(api.timings.snapshot().requests, requestsAtExit, 'load went on after the run exited');
      assert.equal(run.document?.meta.interrupted, true);
      assert.ok(run.evaluation!.overall.requests > 0, 'partial results are empty');
      assert.match(
        readFileSync(
          path.join(run.outDir, readdirSync(run.outDir).find((f) => f.endsWith('.html'))!),
          'utf8',
        ),
        /interrupted: partial results/,
      );
      assert.deepEqual(
        api.state.store
          .activeStrategies()
          .filter((s) => TAG_PATTERN.test(s.name))
          .map((s) => s.name),
        [],
      );
    },
  );
});
