// The README's raw `artillery run` form, with no runner around it (no BTCW_RUN_TAG): every class of the
// module runs, the webhook users included, which need a fixture strategy tagged with this run's tag; and a
// class the mix leaves out is a warning line of the verdict, not a silent pass.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { type RunningApi, startApi } from '../../reference-api/server.js';
import { ROOT } from '../helpers/pack.js';
import { tempDir } from '../helpers/temp-dir.js';

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
    const child = spawn(
      process.execPath,
      [
        path.join(ROOT, 'node_modules/artillery/bin/run'),
        'run',
        'scenarios/signal.yml',
        '-i',
        'scenarios/flows.yml',
        '-i',
        'config/environments.yml',
        '-e',
        'local',
        '--target',
        api.url,
        '--overrides',
        JSON.stringify(overrides),
        '-o',
        out,
      ],
      { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.stderr.resume();
    const code = await new Promise((resolve) => child.once('exit', resolve));
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
