// Help and flags as a new user meets them: `btcw --help` lists every command on one line, each command's
// --help exits 0 with its usage, and a mistyped command or flag is answered with the nearest right one.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, it } from 'node:test';
import { COMMANDS } from '../../cli/command.js';
import { ROOT } from '../../lib/root.js';

const BIN = path.join(ROOT, 'bin', 'btcw.js');
const btcw = (...args: string[]) =>
  spawnSync(process.execPath, [BIN, ...args], {
    encoding: 'utf8',
    env: { ...process.env, ARTILLERY_DISABLE_TELEMETRY: 'true' },
  });

describe('help', () => {
  it('lists every command, one line each, and exits 0', () => {
    for (const args of [['--help'], []]) {
      const result = btcw(...args);
      assert.equal(result.status, 0, result.stderr);
      for (const command of COMMANDS)
        assert.match(
          result.stdout,
          new RegExp(`^ {2}${command.name} +${command.summary.replace(/[()]/g, '\\$&')}$`, 'm'),
        );
    }
  });

  it('gives each command its usage and exit 0', () => {
    for (const command of COMMANDS) {
      const result = btcw(command.name, '--help');
      assert.equal(result.status, 0, `${command.name}: ${result.stderr}`);
      assert.equal(result.stdout.trim(), command.usage.trim());
    }
  });

  it('capacity --help lists none of the flags capacity refuses', () => {
    const usage = COMMANDS.find((command) => command.name === 'capacity')!.usage;
    for (const refused of [
      '--baseline',
      '--save-baseline',
      '--dashboard',
      '--duration-factor',
      '--users-factor',
    ])
      assert.doesNotMatch(usage, new RegExp(`${refused}\\b(?!-)`), refused);
    for (const accepted of ['--env', '--mix', '--think-factor', '--workers', '--confirm-host', '--start'])
      assert.match(usage, new RegExp(`^ {2}(-[a-z], )?${accepted} `, 'm'), accepted);
  });

  it('suggests the command or flag that was meant, in one line with exit 2', () => {
    const command = btcw('rn');
    assert.equal(command.status, 2);
    assert.match(command.stderr, /^btcw: unknown command "rn" \(did you mean "run"\?\)/);
    const flag = btcw('run', 'smoke', '--durationfactor', '2');
    assert.equal(flag.status, 2);
    assert.equal(
      flag.stderr.trim(),
      'btcw: unknown option --durationfactor: did you mean --duration-factor? (see --help)',
    );
  });

  // Which flag is nearest is test/unit/flags.test.ts's; here, that every command answers in one line.
  it('answers an unknown flag of any command in one line, exit 2', () => {
    const capacity = btcw('capacity', '--durationfactor', '2');
    assert.equal(capacity.status, 2);
    assert.equal(
      capacity.stderr,
      'btcw: unknown option --durationfactor (--duration-factor does not apply to capacity: ' +
        'use --start, --settle and --max-users instead)\n',
    );
    // No command hands on parseArgs' own text ("Unknown option '--x'. To specify a positional ...").
    for (const command of COMMANDS) {
      const result = btcw(command.name, '--nosuchflag');
      assert.equal(result.status, 2, command.name);
      assert.equal(result.stderr, 'btcw: unknown option --nosuchflag (see --help)\n', command.name);
    }
  });
});
