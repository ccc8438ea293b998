// The benchmark script's arithmetic and argument handling: seconds, no load, part of `npm run test:cli`.
// The script's end-to-end check is bench-smoke.test.ts.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, it } from 'node:test';
import { rateBetween, steadyCpuPer1000 } from '../../bench/lib/measure-generator.js';
import { expectedRate, locustRowName, locustSkipLine } from '../../bench/spike-fidelity.js';
import { ROOT } from '../../harness/pack.js';

describe('benchmark arithmetic', () => {
  const series = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10].map((second) => ({
    ms: second * 1000,
    cpu: second * 0.5,
    requests: second * 100,
  }));
  it('takes CPU per request between 10 % and 90 % of the requests', () => {
    assert.equal(steadyCpuPer1000(series, 1000), 5); // 0.5 CPU-s per 100 requests
    assert.ok(Number.isNaN(steadyCpuPer1000(series.slice(0, 1), 1000)));
  });
  it('measures a rate only over the moments the series covers', () => {
    assert.deepEqual(rateBetween(series, 2000, 8000), { rate: 100, seconds: 6 });
    assert.ok(Number.isNaN(rateBetween(series, 20_000, 30_000).rate));
  });
  it("expects a closed model's rate: users x requests per task / (think + task time)", () => {
    const perTask = 43 / 38;
    assert.equal(expectedRate(1000, 0), (1000 * perTask) / 2);
    assert.ok(Math.abs(expectedRate(1000, 100) - (1000 * perTask) / (2 + perTask * 0.1)) < 1e-9);
  });
});

describe('npm run bench: bad arguments', () => {
  for (const [args, message] of [
    [
      ['nonsense'],
      new RegExp(
        '^bench: unknown section "nonsense": choose from ' +
          'target, generator, workers, spike, report, dashboard, engine$',
      ),
    ],
    [['--bogus'], /^bench: Unknown option '--bogus'.*usage: npm run bench/],
  ] as const) {
    it(`refuses ${args.join(' ')} with one line and exit 2, before any work`, () => {
      const result = spawnSync(process.execPath, [path.join(ROOT, 'build/bench/run-all.js'), ...args], {
        cwd: ROOT,
        encoding: 'utf8',
      });
      assert.equal(result.status, 2);
      assert.equal(result.stderr.trim().split('\n').length, 1, result.stderr);
      assert.match(result.stderr.trim(), message);
      assert.equal(result.stdout, '');
    });
  }
});

describe('Locust in the bench', () => {
  it("names its rows by the version that ran (Debian's Locust leaves __version__ empty)", () => {
    assert.equal(locustRowName('2.12.1-1', 'HttpUser'), 'Locust 2.12 HttpUser');
    assert.equal(locustRowName('2.31.8', 'FastHttpUser'), 'Locust 2.31 FastHttpUser');
    assert.equal(locustRowName('unknown', 'HttpUser'), 'Locust HttpUser');
  });
  it('says, for each skipped Locust row, which Python lacks it and how to install it', () => {
    assert.equal(
      locustSkipLine('HttpUser', '/usr/bin/python3'),
      'spike: skipped Locust HttpUser: no Locust in /usr/bin/python3; to compare, install it ' +
        '(Debian: apt-get install -y python3-locust, Locust 2.12) ' +
        'or set BTCW_LOCUST_PYTHON to a Python that has it',
    );
  });
});
