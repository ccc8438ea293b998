// The bench's engine section at seconds-long settings: bare Artillery, the pack on the btcw engine and
// Locust FastHttpUser where installed run (the pack on the HTTP engine is the generator section's to check);
// the section prints its three headline lines in their exact form, and the spike row on the btcw engine
// reports its generator-added p99 and users lost. Without Locust it prints one skip line; where Locust is
// installed, a second run hides it, so both paths are checked on every machine.
import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, it } from 'node:test';
import { locustRowName, locustSkipLine, locustVersion } from '../../bench/spike-fidelity.js';
import { tempDir } from '../../harness/temp-dir.js';
import { bench } from '../helpers/bench.js';

const LOCUST = locustVersion();
/** The smoke run's users (bench/run-all.ts SMOKE.engine): one size serves as few and many. */
const USERS = 5;

function checkLines(stdout: string): void {
  const lines = stdout.split('\n');
  for (const form of [
    /^engine \/ bare steady CPU per 1000 requests: \d+\.\d\dx$/,
    /^engine requests per CPU-second: \d+$/,
    /^engine \/ undici floor steady CPU per 1000 requests: \d+\.\d\dx$/,
    new RegExp(`^engine / bare peak RSS at ${USERS} users: \\d+\\.\\d\\dx$`),
  ])
    assert.equal(lines.filter((l) => form.test(l)).length, 1, `one line of the form ${form}:\n${stdout}`);
}

function checkRuns(results: any, locust: boolean): void {
  const names = results.engine.runs.map((r: { name: string }) => r.name);
  // The smoke run leaves the pack on the HTTP engine to the generator section (bench/run-all.ts).
  const ways = [`bare YAML, ${USERS} users`, `pack on btcw, ${USERS} users`, `undici floor, ${USERS} users`];
  assert.deepEqual(
    names,
    locust ? [...ways, `${locustRowName(LOCUST!, 'FastHttpUser')}, ${USERS} users`] : ways,
  );
  for (const run of results.engine.runs)
    assert.ok(run.requests > 0 && run.cpuPer1000 > 0 && run.peakRssMiB > 0, JSON.stringify(run));
  const { cpuPer1000, requestsPerCpuSecond, peakRssManyUsers, overFloor } = results.engine.ratios;
  for (const ratio of [cpuPer1000, requestsPerCpuSecond, peakRssManyUsers, overFloor])
    assert.ok(Number.isFinite(ratio) && ratio > 0, JSON.stringify(results.engine.ratios));
  const btcw = results.engine.spike[0];
  assert.equal(btcw.generator, 'pack on btcw');
  assert.ok(btcw.requests > 0 && Number.isFinite(btcw.addedP99Ms), JSON.stringify(btcw));
  assert.ok(Number.isInteger(btcw.usersLost) && btcw.usersLost >= 0, JSON.stringify(btcw));
}

describe('npm run bench -- --smoke engine', () => {
  it(`runs bare, btcw and Locust and prints its lines in their exact form (Locust: ${LOCUST ?? 'none'})`, {
    timeout: 240_000,
  }, () => {
    const { stdout, results } = bench(['engine']);
    checkLines(stdout);
    checkRuns(results, LOCUST !== undefined);
    if (LOCUST) {
      assert.ok(Number.isFinite(results.engine.ratios.overLocust) && results.engine.ratios.overLocust > 0);
      assert.match(stdout, /^engine \/ Locust FastHttpUser requests per CPU-second: \d+\.\d\dx$/m);
      assert.deepEqual(
        results.engine.spike.map((s: { generator: string }) => s.generator),
        ['pack on btcw', locustRowName(LOCUST, 'FastHttpUser')],
      );
      assert.deepEqual(results.engine.skipped, []);
    } else checkSkipped(stdout, results, process.env.BTCW_LOCUST_PYTHON || '/usr/bin/python3');
  });

  if (LOCUST)
    it('prints one skip line for Locust FastHttpUser where Locust is missing', { timeout: 240_000 }, () => {
      const python = path.join(tempDir('btcw-no-locust-'), 'python3'); // no such file
      const { stdout, results } = bench(['engine'], { BTCW_LOCUST_PYTHON: python });
      checkLines(stdout);
      checkRuns(results, false);
      checkSkipped(stdout, results, python);
    });
});

function checkSkipped(stdout: string, results: any, python: string): void {
  assert.equal(results.engine.ratios.overLocust, undefined);
  assert.deepEqual(
    results.engine.spike.map((s: { generator: string }) => s.generator),
    ['pack on btcw'],
  );
  assert.deepEqual(results.engine.skipped, [
    { generator: 'Locust FastHttpUser', reason: `no Locust in ${python}` },
  ]);
  assert.deepEqual(
    stdout.split('\n').filter((l) => l.includes('skipped Locust')),
    [locustSkipLine('FastHttpUser', python, 'engine')],
  );
}
