// Flags as the command line hands them on: a negative number stays the flag's value (so it gets the same
// range message as 0), a second --env and a --dashboard that is no port are refused in one line.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { normalizeFlags } from '../../cli/command.js';
import { UsageError } from '../../lib/usage-error.js';
import { parseRunArgs } from '../../runner/run-options.js';

describe('flags', () => {
  it('gives --duration-factor -1 the message 0 gets', () => {
    const message = (value: string) => {
      try {
        parseRunArgs(normalizeFlags(['smoke', '--duration-factor', value]), {});
      } catch (error) {
        return (error as Error).message.replace(`"${value}"`, 'VALUE');
      }
      return 'accepted';
    };
    assert.equal(message('-1'), message('0'));
    assert.match(message('-1'), /must be a number above 0/);
  });

  it('refuses a second --env and a --dashboard that is no port', () => {
    assert.throws(() => normalizeFlags(['smoke', '--env', 'staging', '--env', 'local']), UsageError);
    assert.throws(() => normalizeFlags(['smoke', '-e', 'staging', '--env=local']), /more than once/);
    assert.throws(() => normalizeFlags(['smoke', '--dashboard', 'abc']), /--dashboard takes a port number/);
    assert.deepEqual(normalizeFlags(['--dashboard', 'smoke']), ['--dashboard', 'smoke']);
    assert.deepEqual(normalizeFlags(['smoke', '--dashboard', '8090']), ['smoke', '--dashboard', '8090']);
  });
});
