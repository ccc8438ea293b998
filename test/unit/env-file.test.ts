// An env file whose value holds an unquoted "#" is refused with one line, before the value is cut short.
import assert from 'node:assert/strict';
import { rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { loadDotenv } from '../../commands/run.js';
import { envFileProblem } from '../../lib/env-file.js';
import { UsageError } from '../../lib/usage-error.js';
import { ROOT } from '../../runner/profiles.js';

describe('env files', () => {
  it('names the file, line and key of a value a "#" would cut, and never the value', () => {
    const text = 'BTCW_TARGET=https://staging.example.com\n# a comment\nBTCW_PASSWORD=s3cr#t-value\n';
    const problem = envFileProblem(text, 'config/staging.env');
    assert.ok(problem !== null);
    assert.match(problem, /^config\/staging\.env:3: the value of BTCW_PASSWORD has a "#" inside it/);
    assert.match(problem, /first 4 characters/);
    assert.match(problem, /single quotes \(BTCW_PASSWORD='\.\.\.'\)/);
    assert.doesNotMatch(problem, /s3cr|value\b.*t-value/);
    assert.ok(!problem.includes('\n'));
  });
  it('accepts quoted values, comments after a space, and plain lines', () => {
    const ok = [
      "BTCW_PASSWORD='s3cr#t'",
      'BTCW_PASSWORD="s3cr#t"',
      'BTCW_USERNAME=loadtest # the shared account',
      '# BTCW_PASSWORD=a#b',
      'export BTCW_TARGET=http://127.0.0.1:8000',
      '',
    ].join('\n');
    assert.equal(envFileProblem(ok, 'x.env'), null);
    assert.notEqual(envFileProblem('export BTCW_PASSWORD=a#b', 'x.env'), null);
  });
  it('stops a run before loading such a file', () => {
    const name = `hash-check-${process.pid}`;
    const file = path.join(ROOT, 'config', `${name}.env`);
    writeFileSync(file, 'BTCW_HASH_CHECK=ab#cd\n');
    try {
      const vars: NodeJS.ProcessEnv = {};
      assert.throws(() => loadDotenv(['--env', name], vars), UsageError);
      assert.equal(process.env.BTCW_HASH_CHECK, undefined, 'the file was loaded anyway');
    } finally {
      rmSync(file, { force: true });
    }
  });
});
