// The README's raw `artillery run` form, with no runner around it (no BTCW_RUN_TAG): every class of the
// module runs, the webhook users included, which need a fixture strategy tagged with this run's tag; and a
// class the mix leaves out is a warning line of the verdict, not a silent pass.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { tempDir } from '../../harness/temp-dir.js';
import { type RunningApi, startApi } from '../../reference-api/server.js';
import { rawArtilleryRun } from '../helpers/raw-artillery.js';

describe('the raw artillery form', () => {
  let api: RunningApi;
  before(async () => {
    api = await startApi({ port: 0, bcryptCost: 4 });
  });
  after(() => api.close());

  it('runs every class of the signal module, and warns of the class the mix leaves out', async () => {
    const out = path.join(tempDir('btcw-raw-'), 'signal.json');
    const overrides = {
      config: {
        phases: [{ duration: 2, arrivalRate: 5, maxVusers: 10 }],
        variables: { runSeconds: 20, thinkFactor: 0.1 },
      },
    };
    const env: NodeJS.ProcessEnv = { ...process.env, ARTILLERY_DISABLE_TELEMETRY: 'true' };
    delete env.BTCW_RUN_TAG;
    delete env.BTCW_PLAN;
    const { code, stdout } = await rawArtilleryRun('scenarios/signal.yml', api.url, { overrides, out, env });
    assert.equal(code, 0, stdout.slice(-2000));
    const evaluation = JSON.parse(
      readFileSync(out.replace(/\.json$/, '.evaluation.json'), 'utf8'),
    ).evaluation;
    const webhook = evaluation.classes.find((c: { class: string }) => c.class === 'webhook');
    assert.ok(webhook.requests > 0, 'no webhook request: its tasks found no strategy of the run');
    assert.deepEqual(evaluation.pack.skipped, {}, 'steps were skipped for want of an id');
    assert.match(stdout, /WARN write made no requests: no user of the run did its requests/);
  });
});
