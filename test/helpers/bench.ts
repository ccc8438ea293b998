// Runs the benchmark script (`npm run bench -- --smoke`) on core 1, as `npm run bench` pins it, and reads
// the figures it wrote.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ROOT } from '../../harness/pack.js';
import { tempDir } from '../../harness/temp-dir.js';

export function bench(args: string[], env: Record<string, string> = {}) {
  const out = path.join(tempDir('btcw-bench-'), 'bench.json');
  const result = spawnSync(
    'taskset',
    [
      '-c',
      '1',
      process.execPath,
      path.join(ROOT, 'build/bench/run-all.js'),
      '--smoke',
      '--out',
      out,
      ...args,
    ],
    { cwd: ROOT, encoding: 'utf8', env: { ...process.env, ARTILLERY_DISABLE_TELEMETRY: 'true', ...env } },
  );
  assert.equal(result.status, 0, result.stderr + result.stdout.slice(-2000));
  return { stdout: result.stdout, results: JSON.parse(readFileSync(out, 'utf8')) };
}
