// The run plan is the one resolution of a run's settings: each setting changed at its source shows in the
// plan, survives the file Artillery is handed, and is what the plugin grades by.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { ROOT } from '../../lib/root.js';
import {
  engineVariables,
  PLAN_ENV,
  type RunPlan,
  readRunPlan,
  resolveEngine,
  writeRunPlan,
} from '../../lib/run-plan.js';
import { gradingFor, targetsFileForScript } from '../../plugin/index.js';
import { planRun } from '../../runner/plan-run.js';
import { parseRunArgs, type RunOptions } from '../../runner/run-options.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'btcw-plan-'));
const options = (argv: string[], vars: NodeJS.ProcessEnv = {}): RunOptions => {
  const parsed = parseRunArgs(argv, vars);
  assert.notEqual(parsed, 'help');
  return parsed as RunOptions;
};
const script = { config: { plugins: { 'btcw-targets': {} }, variables: { profile: 'load' } } };

describe('the run plan', () => {
  it('takes each setting from its one source', () => {
    const plain = planRun(options(['smoke']), 'tag1', {});
    assert.equal(plain.profile, 'smoke');
    assert.equal(plain.targetsFile, path.join(ROOT, 'config', 'targets.yml'));
    assert.equal(plain.baselinesDir, path.join(ROOT, 'baselines'));
    assert.equal(plain.adminCredentials, 'default');
    assert.equal(plain.workers, null);
    assert.equal(plain.engine, 'http');
    assert.equal(plain.seed, null);
    assert.equal(plain.guard, true);

    const vars = {
      BTCW_TARGETS_FILE: '/elsewhere/targets.yml',
      BTCW_BASELINES_DIR: '/elsewhere/baselines',
      BTCW_ADMIN_USERNAME: 'root',
      BTCW_ADMIN_PASSWORD: 'secret-admin-pass',
    };
    const changed = planRun(
      options(['stress', '--workers', '3', '--seed', '77', '--no-guard'], vars),
      'tag2',
      vars,
    );
    assert.equal(changed.profile, 'stress');
    assert.equal(changed.targetsFile, '/elsewhere/targets.yml');
    assert.equal(changed.baselinesDir, '/elsewhere/baselines');
    assert.equal(changed.adminCredentials, 'given');
    assert.equal(changed.workers, 3);
    assert.equal(changed.seed, '77');
    assert.equal(changed.guard, false);
    assert.ok(!JSON.stringify(changed).includes('secret-admin-pass'), 'the plan holds no secret');
  });

  it('resolves the engine in one place: the flag, else the profile', () => {
    for (const profile of ['load', 'stress', 'spike', 'capacity'])
      assert.equal(resolveEngine(profile), 'btcw', profile);
    for (const profile of ['smoke', 'auth', 'strategy', 'signal'])
      assert.equal(resolveEngine(profile), 'http', profile);
    assert.equal(resolveEngine('load', 'http'), 'http');
    assert.equal(resolveEngine('smoke', 'btcw'), 'btcw');
    assert.equal(planRun(options(['load', '--engine', 'http']), 't', {}).engine, 'http');
    assert.equal(planRun(options(['smoke'], { BTCW_ENGINE: 'btcw' }), 't', {}).engine, 'btcw');
    assert.throws(
      () => options(['load', '--engine', 'locust']),
      /--engine must be http or btcw, got "locust"/,
    );
  });

  it('gives flows.yml the weights that put every user on the chosen engine', () => {
    assert.deepEqual(engineVariables('btcw'), { engineWeights: { http: 0, btcw: 1 } });
    assert.deepEqual(engineVariables('http'), { engineWeights: { http: 1, btcw: 0 } });
  });

  it('travels as one file and is validated when read', () => {
    const plan = planRun(options(['smoke']), 'tag3', {});
    const file = writeRunPlan(plan, dir);
    assert.deepEqual(readRunPlan({ [PLAN_ENV]: file }), plan);
    assert.equal(readRunPlan({}), null);
    const broken = path.join(dir, 'broken.plan.json');
    writeFileSync(broken, JSON.stringify({ ...plan, workers: -1 }));
    assert.throws(
      () => readRunPlan({ [PLAN_ENV]: broken }),
      /run plan .*broken\.plan\.json is not valid: workers/,
    );
  });

  it('is what the plugin grades by: its targets file and profile, not the script', () => {
    const targetsFile = path.join(dir, 'targets.yml');
    const shipped = readFileSync(path.join(ROOT, 'config', 'targets.yml'), 'utf8');
    writeFileSync(targetsFile, shipped.replace(/^statistic: .*$/m, 'statistic: p99'));
    const plan: RunPlan = { ...planRun(options(['smoke']), 'tag4', {}), targetsFile };
    const graded = gradingFor(script as never, undefined, plan);
    assert.equal(graded.targetsFile, targetsFile);
    assert.equal(graded.profile, 'smoke');
    assert.equal(graded.targets.statistic, 'p99');
    const unplanned = gradingFor(script as never, path.join(ROOT, 'scenarios', 'load.yml'), null);
    assert.equal(unplanned.profile, 'load');
    assert.equal(unplanned.targetsFile, path.join(ROOT, 'config', 'targets.yml'));
  });

  it('reads an empty BTCW_TARGETS_FILE as unset, in the plan and in the plugin without one', () => {
    const shipped = path.join(ROOT, 'config', 'targets.yml');
    assert.equal(planRun(options(['smoke']), 'tag5', { BTCW_TARGETS_FILE: '' }).targetsFile, shipped);
    const saved = process.env.BTCW_TARGETS_FILE;
    // Synchronous from here to the restore: no other test can see the change.
    try {
      process.env.BTCW_TARGETS_FILE = '';
      const scriptPath = path.join(ROOT, 'scenarios', 'load.yml');
      assert.equal(targetsFileForScript(script as never, scriptPath), shipped);
      process.env.BTCW_TARGETS_FILE = '/elsewhere/targets.yml';
      assert.equal(targetsFileForScript(script as never, undefined), '/elsewhere/targets.yml');
    } finally {
      if (saved === undefined) delete process.env.BTCW_TARGETS_FILE;
      else process.env.BTCW_TARGETS_FILE = saved;
    }
  });
});
