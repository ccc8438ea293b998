// rehearse refuses the baseline flags it cannot honour, in one line with exit 2, before starting anything.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { it } from 'node:test';
import { ROOT } from '../../lib/root.js';

it('rehearse refuses --baseline and --save-baseline', () => {
  for (const flag of [['--baseline', 'main'], ['--save-baseline=main']]) {
    const result = spawnSync(
      process.execPath,
      [path.join(ROOT, 'bin', 'btcw.js'), 'rehearse', '--count', '2', 'smoke', ...flag],
      {
        encoding: 'utf8',
        env: { ...process.env, ARTILLERY_DISABLE_TELEMETRY: 'true' },
      },
    );
    assert.equal(result.status, 2, result.stderr);
    assert.match(result.stderr, /^btcw: rehearse grades without a baseline/);
    assert.equal(result.stderr.trim().split('\n').length, 1);
  }
});
