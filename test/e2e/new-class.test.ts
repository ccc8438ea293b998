// Adding a user class is one new file plus its line in processors/classes/index.ts: a toy class is written
// into a copy of the pack, which is built (flows.yml regenerated) and run for a few seconds.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { appendFileSync, cpSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ROOT } from '../../harness/pack.js';
import { tempDir } from '../../harness/temp-dir.js';
import { type RunningApi, startApi } from '../../reference-api/server.js';

const TOY = `import { ifFound, request, task, userClass } from '../user-class.js';

export default userClass({
  name: 'ToyUser',
  module: 'strategy',
  comprehensive: false,
  thinkSeconds: [0.5, 1],
  login: 'POST /auth/token [LOGIN AT START]',
  tasks: [
    task('TOY-1', 3, request('GET /strategies/overview [TOY OVERVIEW]', '/strategies/overview')),
    task(
      'TOY-2',
      1,
      request('GET /signals/ [TOY PICK]', '/signals/?limit=3', { pick: { list: 'signals' } }),
      ifFound(request('GET /signals/{id} [TOY DETAIL]', '/signals/{{ signalId }}')),
    ),
  ],
});
`;

describe('a new user class', () => {
  let api: RunningApi;
  let copy: string;
  before(async () => {
    api = await startApi({ port: 0, bcryptCost: 4 });
    copy = tempDir('btcw-toy-class-');
    const skip = new Set(['node_modules', 'build', '.git', 'results']);
    cpSync(ROOT, copy, { recursive: true, filter: (src) => !skip.has(path.basename(src)) || src === ROOT });
    symlinkSync(path.join(ROOT, 'node_modules'), path.join(copy, 'node_modules'));
  });
  after(() => api.close());

  it('is one file and one line, built into flows.yml and run against the embedded API', async () => {
    writeFileSync(path.join(copy, 'processors/classes/toy-user.ts'), TOY);
    appendFileSync(
      path.join(copy, 'processors/classes/index.ts'),
      "export { default as ToyUser } from './toy-user.js';\n",
    );
    const node = process.execPath;
    const build = spawnSync(
      node,
      [path.join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.json'],
      {
        cwd: copy,
        encoding: 'utf8',
      },
    );
    assert.equal(build.status, 0, build.stdout + build.stderr);
    const gen = spawnSync(node, ['build/tools/generate-flows.js'], { cwd: copy, encoding: 'utf8' });
    assert.equal(gen.status, 0, gen.stderr);
    assert.match(readFileSync(path.join(copy, 'scenarios/flows.yml'), 'utf8'), /over: cls\.ToyUser/);
    assert.match(readFileSync(path.join(copy, 'docs', 'locust-mapping.md'), 'utf8'), /ToyUser \(0\.5–1\)/);

    const out = path.join(copy, 'results');
    // Asynchronously: the API under test answers from this process's event loop.
    const run = await new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve) => {
      const child = spawn(
        node,
        [
          'build/cli/main.js',
          'run',
          'smoke',
          '--mix',
          'ToyUser',
          '--duration-factor',
          '0.08',
          '--users-factor',
          '0.4',
          '--think-factor',
          '0.05',
          '--no-report',
          '--out',
          out,
        ],
        {
          cwd: copy,
          env: { ...process.env, BTCW_API_PORT: String(api.port), ARTILLERY_DISABLE_TELEMETRY: 'true' },
        },
      );
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (chunk: Buffer) => {
        stdout += chunk.toString();
      });
      child.stderr.on('data', (chunk: Buffer) => {
        stderr += chunk.toString();
      });
      child.once('exit', (status) => resolve({ status, stdout, stderr }));
    });
    assert.equal(run.status, 0, run.stdout.slice(-3000) + run.stderr);
    assert.match(run.stdout, /BTC Watcher performance targets: PASS/);
    assert.match(run.stdout, /users: 4 started/);
    const evaluation = readFileSync(
      path.join(out, (run.stdout.match(/smoke-[\w-]+\.evaluation\.json/) ?? [''])[0]),
      'utf8',
    );
    for (const name of ['GET /strategies/overview [TOY OVERVIEW]', 'GET /signals/ [TOY PICK]'])
      assert.ok(evaluation.includes(JSON.stringify(name)), `${name} was not sent`);
  });
});
