// Two local runs at once: the second uses the embedded API the first started, and that API must outlive
// the first run while the second still needs it, then stop when the last run leaves (or dies).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { RunRegistry } from '../../reference-api/run-registry.js';
import { ensureLocalTarget } from '../../runner/embedded-target.js';
import { unusedPort } from '../helpers/ports.js';

async function answers(url: URL): Promise<boolean> {
  try {
    const response = await fetch(new URL('/health', url), { signal: AbortSignal.timeout(1000) });
    await response.arrayBuffer();
    return response.ok;
  } catch {
    return false;
  }
}

/** Waits up to `ms` for the API at `url` to stop answering. */
async function gone(url: URL, ms: number): Promise<boolean> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (!(await answers(url))) return true;
    await new Promise((r) => setTimeout(r, 200));
  }
  return false;
}

describe('runs sharing the embedded API', () => {
  it('keep it up until the last one leaves', async () => {
    const url = new URL(`http://127.0.0.1:${await unusedPort()}`);
    const lines: string[] = [];
    const firstRun = await ensureLocalTarget(url, (l) => lines.push(`A ${l}`));
    assert.equal(firstRun.started, true);
    const secondRun = await ensureLocalTarget(url, (l) => lines.push(`B ${l}`));
    try {
      assert.equal(secondRun.started, false);
      assert.match(lines.join('\n'), /B using the API already listening .*shared with 1 other run/);
      await firstRun.stop();
      assert.match(lines.join('\n'), /A the embedded API stays up for 1 other run\(s\) using it/);
      assert.ok(await answers(url), 'the API stopped while the second run still used it');
    } finally {
      await secondRun.stop();
    }
    assert.ok(await gone(url, 10_000), 'the API outlived the last run using it');
  });

  it('stop it at once when no other run uses it', async () => {
    const url = new URL(`http://127.0.0.1:${await unusedPort()}`);
    const target = await ensureLocalTarget(url, () => {});
    await target.stop();
    assert.equal(await answers(url), false);
  });
});

describe('run registry', () => {
  it('drops runs whose process has ended, and is idle only once used', () => {
    const dead = new Set<number>();
    const registry = new RunRegistry((pid) => !dead.has(pid));
    assert.equal(registry.idle(), false, 'a new API is not idle');
    registry.add('a', 101);
    registry.add('b', 102);
    assert.deepEqual(registry.live(), ['a', 'b']);
    dead.add(102);
    assert.deepEqual(registry.live(), ['a']);
    registry.remove('a');
    assert.equal(registry.idle(), true);
  });
});
