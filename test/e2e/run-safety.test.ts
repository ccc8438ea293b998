// A run's outputs hold no secrets; Ctrl-C stops it promptly and a killed Artillery is named, each with its
// verdict, exit code and partial results, and no data left.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { runCli, runPack } from '../../harness/pack.js';
import { tempDir } from '../../harness/temp-dir.js';
import { TAG_PATTERN } from '../../lib/tagged-cleanup.js';
import { type RunningApi, startApi } from '../../reference-api/server.js';

/** Every HS256 token the API issues starts with this header, whatever its claims and signature. */
const JWT_HEADER = Buffer.from(JSON.stringify({ alg: 'HS256', typ: 'JWT' })).toString('base64url');

/**
 * Artillery has printed a 10 s period that holds answers. The plugin records a period before Artillery's
 * console prints it, but a first period cut short at a 10 s boundary may hold none: stopping on any period
 * header left nothing to grade now and then on a busy machine.
 */
const periodWithAnswers = (stdout: string) => /Metrics for period to[\s\S]*^http\.responses: /m.test(stdout);

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
    'Ctrl-C stops load promptly, cleans up, and the run says INTERRUPTED everywhere with the exit code it ' +
      'returns; its partial -o JSON is graded again by evaluate and report',
    async () => {
      api.timings.reset();
      let pid = 0;
      let signalledAt = 0;
      // Partial results cover Artillery's completed 10 s periods: interrupt once one holds answers.
      const onOutput = (stdout: string) => {
        if (pid && !signalledAt && periodWithAnswers(stdout)) {
          signalledAt = Date.now();
          process.kill(pid, 'SIGINT');
        }
      };
      const summary = path.join(tempDir('btcw-summary-'), 'summary.md');
      const run = await runPack(
        'smoke',
        api.port,
        ['--duration-factor', '1', '--think-factor', '0.1'],
        { GITHUB_STEP_SUMMARY: summary },
        {
          report: true,
          onStart: (childPid) => {
            pid = childPid;
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
      // One truth: the console, the evaluation, the HTML header, the JUnit file and the step summary.
      assert.match(run.stdout, /BTC Watcher performance targets: INTERRUPTED \(graded so far: \w+\)/);
      assert.match(run.stdout, /^ {2}exit code 130$/m);
      assert.doesNotMatch(run.stdout, /exit code 0/);
      assert.equal(run.evaluation!.stop?.kind, 'INTERRUPTED');
      assert.equal(run.evaluation!.exitCode, 130);
      const file = (ext: string) =>
        path.join(run.outDir, readdirSync(run.outDir).find((f) => f.endsWith(ext) && !f.includes('.plan'))!);
      const html = readFileSync(file('.html'), 'utf8');
      assert.match(
        html,
        /<h1>BTC Watcher load test: INTERRUPTED \(smoke, graded so far: \w+, partial results\)/,
      );
      assert.match(html, /exit code 130/);
      const junit = readFileSync(file('.junit.xml'), 'utf8');
      assert.match(
        junit,
        /<failure message="interrupted by SIGINT[^"]*\(exit code 130\)" type="INTERRUPTED">/,
      );
      assert.match(junit, /<testsuites [^>]*failures="[1-9]/);
      assert.match(
        readFileSync(summary, 'utf8'),
        /❌ .*: INTERRUPTED \(graded so far: \w+\) \(exit code 130\)/,
      );
      // The partial periods as Artillery's -o JSON, which the regrading commands read as the run ended.
      const results = path.join(
        run.outDir,
        readdirSync(run.outDir).find((f) => /^smoke-[\w-]+\.json$/.test(f))!,
      );
      assert.equal((run.results as unknown as { stop?: { kind: string } }).stop?.kind, 'INTERRUPTED');
      assert.ok(run.results!.aggregate.counters['http.requests']! > 0);
      const evaluated = await runCli(['evaluate', results]);
      assert.equal(evaluated.code, 130, evaluated.stderr);
      assert.match(evaluated.stdout, /BTC Watcher performance targets: INTERRUPTED/);
      const reported = await runCli(['report', results]);
      assert.equal(reported.code, 0, reported.stderr);
      assert.match(readFileSync(file('.html'), 'utf8'), /<h1>BTC Watcher load test: INTERRUPTED/);
      assert.deepEqual(
        api.state.store
          .activeStrategies()
          .filter((s) => TAG_PATTERN.test(s.name))
          .map((s) => s.name),
        [],
      );
    },
  );

  it('a killed Artillery says so in one line, exits 137, keeps its periods graded, cleans up', async () => {
    let pid = 0;
    let killed = 0;
    const onOutput = (stdout: string) => {
      if (!pid || killed || !periodWithAnswers(stdout)) return;
      // Artillery is the runner's one child here (the test's API is already listening): the OOM killer's way.
      const child = execFileSync('ps', ['-o', 'pid=,args=', '--ppid', String(pid)], { encoding: 'utf8' })
        .split('\n')
        .find((line) => line.includes('artillery'));
      killed = Number(child?.trim().split(/\s+/)[0]);
      process.kill(killed, 'SIGKILL');
    };
    const run = await runPack(
      'smoke',
      api.port,
      ['--duration-factor', '1', '--think-factor', '0.1'],
      {},
      {
        report: true,
        onStart: (childPid) => {
          pid = childPid;
        },
        onOutput,
      },
    );
    assert.ok(killed > 0, 'Artillery was never killed');
    assert.equal(run.code, 137, run.stdout.slice(-1500));
    assert.equal(run.stdout.match(/^btcw: Artillery ended by SIGKILL \(out of memory\?\)$/gm)?.length, 1);
    assert.match(run.stdout, /BTC Watcher performance targets: KILLED \(graded so far: \w+\)/);
    assert.equal(run.evaluation?.stop?.kind, 'KILLED');
    assert.ok(run.evaluation!.overall.requests > 0, 'the periods before the kill are lost');
    assert.equal((run.results as unknown as { stop?: { kind: string } }).stop?.kind, 'KILLED');
    const names = readdirSync(run.outDir);
    assert.ok(names.some((f) => f.endsWith('.junit.xml')) && names.some((f) => f.endsWith('.html')));
    assert.ok(!names.some((f) => f.endsWith('.partial.jsonl')), names.join(', '));
    assert.deepEqual(
      api.state.store
        .activeStrategies()
        .filter((s) => TAG_PATTERN.test(s.name))
        .map((s) => s.name),
      [],
    );
  });
});
