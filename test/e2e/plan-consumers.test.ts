// Every consumer of the run plan (lib/run-plan.ts) takes its settings from the plan, not from the shell it
// inherited: the plugin (targets file, profile, baseline and its folder, run tag, seed, admin credentials'
// source), the processors (run tag, seed, admin expectation) and the worker-count preload (workers). Each
// setting is given one value in the plan and a contradicting one in the shell; each consumer must show the
// plan's. The engine travels as flows.yml's engineWeights (--overrides), and the guard switch shows only
// when the guard acts: test/unit/live-guard.test.ts checks that the plan's `guard: false` decides.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { baselineFromDocument, baselinePath, writeBaseline } from '../../documents/baseline-file.js';
import { tempDir } from '../../harness/temp-dir.js';
import { PLAN_ENV, type RunPlan, writeRunPlan } from '../../lib/run-plan.js';
import { newRunTag, tagSuffix } from '../../lib/tagged-cleanup.js';
import type { VUContext } from '../../processors/artillery-types.js';
import { beginRun, endRun } from '../../processors/run-hooks.js';
import { type RunningApi, startApi } from '../../reference-api/server.js';
import { TARGETS_FILE, WORKER_COUNT_PRELOAD } from '../../runner/profiles.js';
import { rawArtilleryRun } from '../helpers/raw-artillery.js';
import { fixtureDocument } from '../helpers/report-fixture.js';

const dir = tempDir('btcw-plan-consumers-');
const targetsCopy = path.join(dir, 'plan-targets.yml');
copyFileSync(TARGETS_FILE, targetsCopy);

function planned(overrides: Partial<RunPlan> = {}): { plan: RunPlan; file: string } {
  const plan: RunPlan = {
    version: 1,
    profile: 'smoke',
    runTag: newRunTag(),
    seed: '4242',
    environment: 'local',
    targetsFile: targetsCopy,
    baselinesDir: path.join(dir, 'baselines'),
    baseline: null,
    adminCredentials: 'given',
    workers: 2,
    engine: 'http',
    guard: false,
    ...overrides,
  };
  return { plan, file: writeRunPlan(plan, dir) };
}

/** The shell's contradicting values: were any consumer to read them, its answer would show it. */
const SHELL: NodeJS.ProcessEnv = {
  BTCW_RUN_TAG: 'shell-tag',
  BTCW_SEED: '1',
  BTCW_WORKERS: '1',
  BTCW_TARGETS_FILE: path.join(dir, 'no-such-targets.yml'),
  BTCW_GUARD: 'on',
  // a baseline the shell names in a folder the shell names: neither exists, so reading them stops the run
  BTCW_BASELINE: 'shell-baseline',
  BTCW_BASELINES_DIR: path.join(dir, 'no-such-baselines'),
};

function shellEnv(planFile: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    ...SHELL,
    ARTILLERY_DISABLE_TELEMETRY: 'true',
    [PLAN_ENV]: planFile,
  };
  delete env.BTCW_ADMIN_USERNAME;
  delete env.BTCW_ADMIN_PASSWORD;
  return env;
}

const taggedWith = (api: RunningApi, runTag: string): number =>
  api.state.store.activeStrategies().filter((strategy) => strategy.name.endsWith(tagSuffix(runTag))).length;

describe('every consumer of the run plan', () => {
  let api: RunningApi;
  before(async () => {
    api = await startApi({ port: 0, bcryptCost: 4 });
  });
  after(() => api.close());

  it('the worker-count preload: the plan says 2 workers, the shell 1', () => {
    const { file } = planned();
    const probe = spawnSync(
      process.execPath,
      ['--require', WORKER_COUNT_PRELOAD, '-e', "console.log(require('node:os').cpus().length)"],
      { env: shellEnv(file), encoding: 'utf8' },
    );
    assert.equal(probe.status, 0, probe.stderr);
    // Artillery starts cpus - 1 worker threads
    assert.equal(Number(probe.stdout.trim()) - 1, 2);
  });

  it('the processors: run tag, seed and admin expectation from the plan', async () => {
    // staging: an admin login given is expected to work (200), the default one refused (401)
    const { plan, file } = planned({ environment: 'staging' });
    const saved = { ...process.env };
    Object.assign(process.env, shellEnv(file), { BTCW_USERNAME: 'testuser', BTCW_PASSWORD: 'testpass123' });
    const context = {
      vars: { runSeconds: 10, target: api.url, $environment: 'staging', fixtureStrategies: 1 },
    } as unknown as VUContext;
    try {
      await beginRun(context, {} as never);
      assert.equal(context.vars.sharedRunTag, plan.runTag);
      assert.equal(context.vars.runSeed, 4242);
      assert.equal(context.vars.adminLoginStatus, 200);
      const tagged = taggedWith(api, plan.runTag);
      assert.equal(tagged, 1, "the fixture carries the plan's tag");
    } finally {
      await endRun(context, {} as never);
      process.env = saved;
    }
    assert.equal(taggedWith(api, plan.runTag), 0);
  });

  it("the plugin, in a raw run: the plan's targets, profile, tag, seed, admin source, baseline", async () => {
    // The plan's baseline, in the plan's folder: a saved smoke run on http (its endpoints need not match).
    const saved = fixtureDocument();
    writeBaseline(
      baselinePath(path.join(dir, 'baselines'), 'smoke', 'main'),
      baselineFromDocument({ ...saved, meta: { ...saved.meta, engine: 'http' } }, 'main', 'then'),
    );
    const { plan, file } = planned({ baseline: 'main' });
    const out = path.join(dir, 'smoke.json');
    const overrides = {
      config: {
        phases: [{ duration: 2, arrivalRate: 3, maxVusers: 6 }],
        variables: { runSeconds: 12, thinkFactor: 0.1 },
      },
    };
    const { code, stdout, stderr } = await rawArtilleryRun('scenarios/smoke.yml', api.url, {
      overrides,
      out,
      env: shellEnv(file),
    });
    // the shell's BTCW_TARGETS_FILE and BTCW_BASELINE name no file: reading either stops the run, exit 2
    assert.notEqual(code, 2, `${stderr}\n${stdout.slice(-2000)}`);
    const { meta, evaluation } = JSON.parse(readFileSync(out.replace(/\.json$/, '.evaluation.json'), 'utf8'));
    assert.equal(evaluation.regression?.baseline.name, 'main', "graded against the plan's baseline");
    assert.equal(meta.targetsFile, targetsCopy);
    assert.equal(meta.profile, 'smoke');
    assert.equal(meta.runTag, plan.runTag);
    assert.equal(meta.seed, '4242');
    assert.match(meta.adminLogin.reason, /admin credentials given/);
    // the processors' after hook deleted what the plan's tag marks, and nothing is left
    assert.match(stdout, new RegExp(`cleanup: deleted \\d+ strategies tagged ${plan.runTag}`));
    assert.equal(taggedWith(api, plan.runTag), 0);
  });
});
