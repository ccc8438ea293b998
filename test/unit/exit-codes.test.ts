// The exit codes are one table: each code means one thing whichever command returns it, and the README
// and docs/running.md show exactly the table the code uses.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { EXIT_CODES } from '../../grading/evaluation.js';
import { EXIT, EXIT_MEANINGS, exitCodeTable, interruptedExit } from '../../grading/exit-codes.js';
import { REGRESSION_EXIT_CODE } from '../../grading/regression.js';
import { ROOT } from '../../lib/root.js';

describe('exit codes', () => {
  it('gives every code one meaning', () => {
    const codes = Object.values(EXIT);
    assert.equal(new Set(codes).size, codes.length, 'a code used twice');
    assert.deepEqual(Object.keys(EXIT_MEANINGS).sort(), Object.keys(EXIT).sort());
    assert.equal(EXIT_CODES.WARN, EXIT.WARN);
    assert.equal(EXIT_CODES.FAIL, EXIT.FAIL);
    assert.equal(REGRESSION_EXIT_CODE, EXIT.REGRESSION);
    assert.notEqual(EXIT.GENERATOR_LIMIT, EXIT.WARN);
    assert.equal(interruptedExit('SIGINT'), 130);
    assert.equal(interruptedExit('SIGTERM'), 143);
  });

  for (const doc of ['README.md', 'docs/running.md'])
    it(`${doc} shows the table the code uses`, () => {
      const text = readFileSync(path.join(ROOT, doc), 'utf8');
      assert.ok(text.includes(exitCodeTable()), `${doc} lacks the table of grading/exit-codes.ts`);
      // and no other row of codes beside it
      const rows = text.match(/^\| \d+ \|/gm) ?? [];
      assert.equal(rows.length, Object.keys(EXIT).length);
    });
});
