// The baseline file (documents/baseline-file.ts): what it keeps of a run, its names and paths, and one
// clear line for a baseline of another profile, pack or version, or a file that is not a baseline.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import {
  BASELINE_KIND,
  BaselineError,
  baselineFromDocument,
  baselinePath,
  baselinesDir,
  readBaseline,
  resolveBaseline,
  writeBaseline,
} from '../../documents/baseline-file.js';
import { buildDocument } from '../../documents/evaluation-document.js';
import { loadTargets } from '../../documents/targets-file.js';
import { evaluate } from '../../grading/evaluation.js';
import { ROOT } from '../../harness/pack.js';
import { tempDir } from '../../harness/temp-dir.js';
import { BY_ENDPOINT as MBE } from '../../lib/metrics.js';
import { summaryAt } from '../helpers/summaries.js';

const summary = (p95: number, count: number) => summaryAt(p95, count, { max: 50 });

function document(profile: string | null = 'smoke') {
  const period = {
    firstMetricAt: 1_000,
    lastMetricAt: 9_000,
    counters: { [`${MBE}GET /s [LIST].codes.200`]: 80, [`${MBE}GET /s [LIST].codes.500`]: 2 },
    summaries: {
      [`${MBE}response_time.GET /s [LIST]`]: summary(12, 82),
      'http.response_time': summary(12, 82),
    },
  };
  const results = { aggregate: { ...period }, intermediate: [period] };
  const evaluation = evaluate(results, loadTargets(`${ROOT}/config/targets.yml`));
  return buildDocument(
    evaluation,
    {
      profile,
      runTag: '20261201-000000-abcd',
      environment: 'local',
      target: 'http://127.0.0.1:8000',
      generatedAt: '2026-12-01T00:00:00.000Z',
    },
    results.intermediate,
  );
}

describe('baseline file', () => {
  it('keeps the counts, the statistics and the periods per endpoint; kind, pack, version and profile', () => {
    const baseline = baselineFromDocument(document(), 'main', '2026-12-01T01:00:00.000Z');
    assert.equal(baseline.kind, BASELINE_KIND);
    assert.equal(baseline.version, 1);
    assert.equal(baseline.profile, 'smoke');
    assert.equal(baseline.run.runTag, '20261201-000000-abcd');
    const ep = baseline.snapshot.endpoints.find((x) => x.name === 'GET /s [LIST]')!;
    assert.equal(ep.requests, 82);
    assert.equal(ep.failed, 2);
    assert.equal(ep.stats?.p95, 12);
    assert.deepEqual(
      ep.periods.map((p) => [p.requests, p.failed, p.stats?.p95]),
      [[82, 2, 12]],
    );
    // trimmed: no reasons, no raw counters, no intermediate
    const text = JSON.stringify(baseline);
    assert.doesNotMatch(text, /reasons|counters|summaries|intermediate/);
  });

  it('round trip through a file; a name resolves to <dir>/<profile>/<NAME>.json, a path stays a path', () => {
    const dir = tempDir('btcw-baselines-');
    const file = baselinePath(dir, 'smoke', 'main');
    assert.equal(file, path.join(dir, 'smoke', 'main.json'));
    writeBaseline(file, baselineFromDocument(document(), 'main', '2026-12-01T01:00:00.000Z'));
    assert.equal(readBaseline(file, 'smoke').name, 'main');
    assert.equal(resolveBaseline('main', 'smoke', dir), file);
    assert.equal(resolveBaseline('./x/main.json', 'smoke', dir), path.resolve('x/main.json'));
    assert.equal(baselinesDir('/pack', {}), path.resolve('/pack/baselines'));
    assert.equal(baselinesDir('/pack', { BTCW_BASELINES_DIR: '/elsewhere' }), '/elsewhere');
  });

  it('refuses a baseline of the other engine in one line, not one saved before engines were named', () => {
    const dir = tempDir('btcw-baselines-');
    const doc = document();
    const onHttp = baselineFromDocument({ ...doc, meta: { ...doc.meta, engine: 'http' } }, 'main', 'now');
    assert.equal(onHttp.run.engine, 'http', 'saved with the engine its run named');
    const file = path.join(dir, 'http.json');
    writeFileSync(file, JSON.stringify(onHttp));
    assert.throws(
      () => readBaseline(file, 'smoke', 'btcw'),
      (error: Error) =>
        error instanceof BaselineError &&
        /saved from a run on the http engine, this run is on btcw: run with --engine http/.test(
          error.message,
        ),
    );
    assert.equal(readBaseline(file, 'smoke', 'http').name, 'main');
    assert.equal(readBaseline(file, 'smoke').name, 'main', 'no engine to check against');
    const older = path.join(dir, 'older.json');
    writeFileSync(older, JSON.stringify({ ...onHttp, run: { ...onHttp.run, engine: undefined } }));
    assert.equal(readBaseline(older, 'smoke', 'btcw').name, 'main');
  });

  it('a name that is not a file name is refused in one line', () => {
    for (const bad of ['../x', 'a/b', '', 'main.json', '.hidden'])
      assert.throws(
        () => baselinePath('/d', 'smoke', bad),
        (e: Error) => e instanceof BaselineError && /is not usable/.test(e.message),
        bad,
      );
  });

  it('another profile, another pack, another version, an evaluation, results or junk: one line each', () => {
    const dir = tempDir('btcw-baselines-');
    const good = baselineFromDocument(document(), 'main', '2026-12-01T01:00:00.000Z');
    const cases: Array<[string, unknown, RegExp]> = [
      ['load.json', { ...good, profile: 'load' }, /baseline of profile load, this run is smoke/],
      ['pack.json', { ...good, pack: 'other-pack' }, /baseline of another pack \(other-pack\)/],
      ['v2.json', { ...good, version: 2 }, /baseline of version 2; this pack reads version 1/],
      ['eval.json', document(), /is an evaluation, not a baseline/],
      ['results.json', { aggregate: {} }, /is Artillery's results, not a baseline/],
      ['junk.json', [1, 2], /is not a baseline/],
      ['shape.json', { ...good, snapshot: { endpoints: 'x' } }, /is not a readable baseline: "snapshot\./],
    ];
    for (const [name, content, re] of cases) {
      const file = path.join(dir, name);
      writeFileSync(file, JSON.stringify(content));
      assert.throws(
        () => readBaseline(file, 'smoke'),
        (e: Error) => e instanceof BaselineError && re.test(e.message) && !e.message.includes('\n'),
        name,
      );
    }
    assert.throws(
      () => readBaseline(path.join(dir, 'none.json'), 'smoke'),
      (error: Error) =>
        error instanceof BaselineError && /no such file: save one with --save-baseline/.test(error.message),
    );
  });

  it('a run without a profile cannot be a baseline', () => {
    assert.throws(() => baselineFromDocument(document(null), 'main', 'now'), BaselineError);
  });
});
