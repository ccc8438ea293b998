// A results folder that cannot take the results is refused before any load, with one line.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { tempDir } from '../../harness/temp-dir.js';
import { outDirProblem } from '../../lib/out-dir.js';

describe('results folder', () => {
  it('is made when missing, and left without the probe file', () => {
    const dir = path.join(tempDir('btcw-out-'), 'a', 'b');
    assert.equal(outDirProblem(dir), null);
    assert.ok(existsSync(dir));
    assert.deepEqual(readdirSync(dir), []);
  });
  it('inside a file, or a file itself: one line naming the folder and the fix', () => {
    const file = path.join(tempDir('btcw-out-'), 'passwd');
    writeFileSync(file, 'x');
    for (const dir of [path.join(file, 'x'), file]) {
      const problem = outDirProblem(dir);
      assert.ok(problem !== null, dir);
      assert.match(problem, new RegExp(`^the results folder ${dir} is (inside a file|a file)`));
      assert.match(problem, /choose another with --out DIR$/);
    }
  });
});
