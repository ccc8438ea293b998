// --baseline and --save-baseline on the command line: a baseline that does not fit stops the run before any
// load (one line, exit 2), whatever is wrong with it; so does npm run evaluate's --baseline, engine included.
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { BASELINE_KIND, PACK_NAME } from '../../documents/baseline-file.js';
import { runCli } from '../../harness/pack.js';
import { tempDir } from '../../harness/temp-dir.js';

describe('baseline flags: bad input', () => {
  const dir = tempDir('btcw-baseline-cli-');
  const ofLoad = path.join(dir, 'load-main.json');
  writeFileSync(
    ofLoad,
    JSON.stringify({
      kind: BASELINE_KIND,
      version: 1,
      pack: PACK_NAME,
      name: 'main',
      profile: 'load',
      savedAt: 'x',
      run: { verdict: 'PASS' },
      snapshot: {
        statistic: 'p95',
        durationSeconds: 1,
        overall: { requests: 0, failed: 0, errorRate: 0, stats: null, periods: [] },
        classes: [],
        endpoints: [],
      },
    }),
  );
  const results = path.join(dir, 'results.json');
  writeFileSync(results, JSON.stringify({ aggregate: { counters: {}, summaries: {} } }));
  // A rehearsal's merged results name their engine in a tag; a baseline from the other engine is refused.
  const onBtcw = path.join(dir, 'on-btcw.json');
  const btcwTags = [
    { name: 'profile', value: 'smoke' },
    { name: 'engine', value: 'btcw' },
  ];
  writeFileSync(
    onBtcw,
    JSON.stringify({ aggregate: { counters: {}, summaries: {} }, metadata: { tags: btcwTags } }),
  );
  const ofHttp = path.join(dir, 'smoke-http.json');
  const baseline = JSON.parse(readFileSync(ofLoad, 'utf8'));
  writeFileSync(
    ofHttp,
    JSON.stringify({ ...baseline, profile: 'smoke', run: { verdict: 'PASS', engine: 'http' } }),
  );
  // A port nothing listens on: had any of these got past validation, preflight would fail differently.
  const env = { BTCW_BASELINES_DIR: dir, BTCW_API_PORT: '9' };
  const cases: Array<[string[], RegExp]> = [
    [['run', 'smoke', '--baseline', 'nope'], /nope\.json: no such file: save one with --save-baseline NAME/],
    [['run', 'smoke', '--baseline', ofLoad], /is a baseline of profile load, this run is smoke/],
    [['run', 'smoke', '--baseline', results], /is Artillery's results, not a baseline/],
    [['run', 'smoke', '--save-baseline', '../up'], /baseline name "\.\.\/up" is not usable/],
    [['evaluate', results, '--baseline', ofLoad, '--profile', 'smoke'], /baseline of profile load/],
    [['evaluate', onBtcw, '--baseline', ofHttp], /saved from a run on the http engine, this run is on btcw/],
  ];
  for (const [args, re] of cases) {
    it(`${args.join(' ')}: one line, exit 2`, async () => {
      const result = await runCli(args, env);
      assert.equal(result.code, 2, result.stdout + result.stderr);
      assert.match(result.stderr, re);
      assert.equal(result.stderr.trim().split('\n').length, 1, result.stderr);
      assert.doesNotMatch(result.stdout, /users for|embedded reference API/, 'no run started');
    });
  }
});
