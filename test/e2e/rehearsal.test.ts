// `npm run rehearse -- --count 3 smoke` does what three run-fargate containers do,
// against an in-process API, compressed to about 10 s: the merged file adds up, each container splits its
// users exactly, and nothing tagged is left behind.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Evaluation } from '../../grading/evaluation.js';
import { runCli } from '../../harness/pack.js';
import { tempDir } from '../../harness/temp-dir.js';
import { TAG_PATTERN } from '../../lib/tagged-cleanup.js';
import { resolveMix } from '../../processors/catalogue.js';
import { type RunningApi, startApi } from '../../reference-api/server.js';

const COUNT = 3;
const USERS = 10; // smoke's 10 users: one of each of the 10 comprehensive classes per container
const RUN_SECONDS = 9;

interface Results {
  aggregate: {
    counters: Record<string, number>;
    summaries: Record<string, { count: number; p50: number; p95: number }>;
    firstMetricAt: number;
    lastMetricAt: number;
  };
  intermediate: Array<{ counters: Record<string, number> }>;
  metadata: { count: number; tags: Array<{ name: string; value: string }> };
}

const readJson = <T>(file: string): T => JSON.parse(readFileSync(file, 'utf8')) as T;

describe('npm run rehearse: three containers of smoke, merged and graded', () => {
  let api: RunningApi;
  let out: string;
  let run: Awaited<ReturnType<typeof runCli>>;
  let merged: Results;
  let containers: Results[];
  let logs: string[];
  let runTag: string;

  before(async () => {
    api = await startApi({ port: 0, bcryptCost: 4 });
    out = tempDir('btcw-rehearsal-');
    run = await runCli(
      [
        'rehearse',
        '--count',
        String(COUNT),
        'smoke',
        // on the engine the heavy profiles use: a distributed run is a stress or spike run mostly
        '--engine',
        'btcw',
        '--duration-factor',
        '0.15',
        '--think-factor',
        '0.02',
        '--seed',
        '42',
        '--out',
        out,
        '--no-report',
      ],
      { BTCW_API_PORT: String(api.port) },
    );
    const file = readdirSync(out).find((f) => /^smoke-.*\.json$/.test(f) && !f.endsWith('.evaluation.json'));
    assert.ok(file, `no merged file: exit ${run.code}\n${run.stderr}\n${run.stdout.slice(-3000)}`);
    merged = readJson(path.join(out, file));
    runTag = merged.metadata.tags.find((t) => t.name === 'runTag')!.value;
    const dir = path.join(out, file.replace(/\.json$/, '.containers'));
    containers = Array.from({ length: COUNT }, (_, i) => readJson(path.join(dir, `${i + 1}.json`)));
    logs = Array.from({ length: COUNT }, (_, i) => readFileSync(path.join(dir, `${i + 1}.log`), 'utf8'));
  });
  after(() => api.close());

  it('passes, graded with the smoke profile from the merged file', () => {
    assert.equal(run.code, 0, `exit ${run.code}\n${run.stderr}\n${run.stdout.slice(-3000)}`);
    assert.match(run.stdout, /evaluate: profile smoke \(the file's profile tag\)/);
    assert.match(run.stdout, /BTC Watcher performance targets: PASS/);
    assert.equal(merged.metadata.count, COUNT);
  });

  it('the merged counters are the sums of the containers’ own -o files: requests, users, everything', () => {
    const counters = merged.aggregate.counters;
    const sum = (name: string) => containers.reduce((a, r) => a + (r.aggregate.counters[name] ?? 0), 0);
    assert.ok(counters['http.requests']! > 0);
    assert.equal(counters['http.requests'], sum('http.requests'));
    const names = new Set([
      ...Object.keys(counters),
      ...containers.flatMap((r) => Object.keys(r.aggregate.counters)),
    ]);
    for (const name of names) assert.equal(counters[name], sum(name), name);
    // no user ended on an error, and artillery-plugin-expect checked every answer (its hooks ran on btcw)
    assert.equal(counters['vusers.failed'] ?? 0, 0, 'vusers.failed');
    assert.equal(
      (counters['plugins.expect.ok'] ?? 0) + (counters['plugins.expect.failed'] ?? 0),
      counters['http.responses'],
    );
    // the merged periods add up to the aggregate too
    assert.equal(
      merged.intermediate.reduce((a, p) => a + (p.counters['http.requests'] ?? 0), 0),
      counters['http.requests'],
    );
  });

  it('users are the container count times the profile’s users, each container’s split exact', () => {
    const counters = merged.aggregate.counters;
    assert.equal(counters['vusers.created'], COUNT * USERS);
    // every user on the btcw engine's scenario, and the merged file and its evaluation say so
    assert.equal(counters['vusers.created_by_name.btcw-engine-user'], COUNT * USERS);
    assert.equal(merged.metadata.tags.find((t) => t.name === 'engine')?.value, 'btcw');
    const mix = resolveMix('comprehensive') as string[];
    for (const [index, container] of containers.entries()) {
      const started = Object.fromEntries(
        Object.entries(container.aggregate.counters)
          .filter(([name]) => name.startsWith('btcw.users_started.'))
          .map(([name, count]) => [name.slice('btcw.users_started.'.length), count]),
      );
      const exact = Object.fromEntries(
        mix.map((cls, k) => [cls, Math.floor(USERS / mix.length) + (k < USERS % mix.length ? 1 : 0)]),
      );
      assert.deepEqual(started, exact, `container ${index + 1}`);
    }
    const { evaluation, meta } = readJson<{ evaluation: Evaluation; meta: { engine?: string } }>(
      path.join(out, readdirSync(out).find((f) => f.endsWith('.evaluation.json'))!),
    );
    assert.equal(meta.engine, 'btcw');
    assert.equal(
      Object.values(evaluation.pack.usersStarted).reduce((a, b) => a + b, 0),
      COUNT * USERS,
    );
    assert.equal(evaluation.overall.failed, 0);
  });

  it('latencies are merged from the sketches: counts add up, percentiles lie within the containers’', () => {
    const rt = (r: Results) => r.aggregate.summaries['http.response_time']!;
    assert.equal(
      rt(merged).count,
      containers.reduce((a, r) => a + rt(r).count, 0),
    );
    for (const quantile of ['p50', 'p95'] as const) {
      const each = containers.map((r) => rt(r)[quantile]);
      // A mixture's quantile lies between its parts' (1 % sketch accuracy, 0.1 ms rounding).
      assert.ok(
        rt(merged)[quantile] >= Math.min(...each) * 0.98 - 0.1 &&
          rt(merged)[quantile] <= Math.max(...each) * 1.02 + 0.1,
        `${quantile} ${rt(merged)[quantile]} outside ${each.join(', ')}`,
      );
    }
    const span = (merged.aggregate.lastMetricAt - merged.aggregate.firstMetricAt) / 1000;
    assert.ok(span <= RUN_SECONDS + 4 && span >= RUN_SECONDS - 3, `metrics span ${span} s`);
  });

  it('each container made and deleted its own tagged strategies; none are left', () => {
    const tags = logs.map((log) => {
      const match = new RegExp(`cleanup: deleted (\\d+) strategies tagged (${runTag}-w[0-9a-f]{6})`).exec(
        log,
      );
      assert.ok(match, `no clean-up line in a container's log:\n${log.slice(-2000)}`);
      assert.ok(Number(match[1]) >= 3, 'at least its three fixtures');
      return match[2];
    });
    assert.equal(new Set(tags).size, COUNT, 'one tag per container');
    const left = api.state.store
      .activeStrategies()
      .map((s) => s.name)
      .filter((n) => TAG_PATTERN.test(n));
    assert.deepEqual(left, []);
  });

  it('npm run evaluate and npm run report read the merged file', async () => {
    const file = path.join(out, readdirSync(out).find((f) => /^smoke-[^.]*\.json$/.test(f))!);
    const evaluated = await runCli(['evaluate', file]);
    assert.equal(evaluated.code, 0, evaluated.stderr);
    assert.match(evaluated.stdout, /evaluate: profile smoke \(the file's profile tag\)/);
    const reported = await runCli(['report', file.replace(/\.json$/, '.evaluation.json')]);
    assert.equal(reported.code, 0, reported.stderr);
    assert.ok(existsSync(file.replace(/\.json$/, '.html')));
  });
});
