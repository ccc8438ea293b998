// The targets file and the baselines folder have one resolution (runner/plan-run.ts): a run's plan, and
// the commands that grade saved files (evaluate, compare), all see the same change of either.
import assert from 'node:assert/strict';
import { copyFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { baselineFromDocument, writeBaseline } from '../../documents/baseline-file.js';
import { buildDocument } from '../../documents/evaluation-document.js';
import { runCli } from '../../harness/pack.js';
import { tempDir } from '../../harness/temp-dir.js';
import { planRun } from '../../runner/plan-run.js';
import { TARGETS_FILE } from '../../runner/profiles.js';
import { parseRunArgs } from '../../runner/run-options.js';
import { fixtureDocument, fixtureResults } from '../helpers/report-fixture.js';

describe('one resolution of the targets file and the baselines folder', () => {
  const dir = tempDir('btcw-resolution-');
  const targets = path.join(dir, 'my-targets.yml');
  copyFileSync(TARGETS_FILE, targets);
  const baselines = path.join(dir, 'my-baselines');
  const vars = { BTCW_TARGETS_FILE: targets, BTCW_BASELINES_DIR: baselines };
  const doc = fixtureDocument();
  const smoke = buildDocument(doc.evaluation, { ...doc.meta, profile: 'smoke' }, doc.intermediate);
  writeBaseline(path.join(baselines, 'smoke', 'mine.json'), baselineFromDocument(smoke, 'mine', 'now'));

  it('is what the run plan records', () => {
    const opts = parseRunArgs(['smoke'], vars);
    assert.ok(opts !== 'help');
    const plan = planRun(opts, 'tag', vars);
    assert.equal(plan.targetsFile, targets);
    assert.equal(plan.baselinesDir, baselines);
  });

  it('is where evaluate finds a baseline by name and compare finds both sides', async () => {
    const results = path.join(dir, 'smoke-x.json');
    writeFileSync(results, JSON.stringify(fixtureResults()));
    const evaluated = await runCli(['evaluate', results, '--profile', 'smoke', '--baseline', 'mine'], vars);
    assert.notEqual(evaluated.code, 2, evaluated.stderr);
    assert.match(evaluated.stdout, /against baseline mine/);
    assert.match(
      evaluated.stdout,
      new RegExp(`targets ${targets.replace(/[.\\/]/g, '\\$&')} \\(BTCW_TARGETS`),
    );
    const compared = await runCli(
      ['compare', 'mine', 'mine', '--profile', 'smoke', '--out', path.join(dir, 'c.html')],
      vars,
    );
    assert.equal(compared.code, 0, compared.stderr);
    // and without the folder, the name is not found: the variable is what moved it
    const elsewhere = await runCli(['compare', 'mine', 'mine', '--profile', 'smoke'], {
      BTCW_BASELINES_DIR: path.join(dir, 'empty'),
    });
    assert.equal(elsewhere.code, 2);
  });
});
