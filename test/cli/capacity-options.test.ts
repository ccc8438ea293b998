import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseCapacityArgs, stepOverrides } from '../../commands/capacity-flags.js';
import { runCli } from '../../harness/pack.js';
import { UsageError } from '../../lib/usage-error.js';

const remote = { BTCW_TARGET: 'https://btc-watcher.staging.example', BTCW_USERNAME: 'u', BTCW_PASSWORD: 'p' };

function problem(argv: string[], env: NodeJS.ProcessEnv = {}): string | null {
  try {
    parseCapacityArgs(argv, env);
  } catch (error) {
    if (error instanceof UsageError) return error.message;
    throw error;
  }
  return null;
}

describe('capacity: options', () => {
  it('reads its own flags beside the run options', () => {
    const parsed = parseCapacityArgs(
      ['--start', '40', '--step-factor=2', '--settle', '5', '--mix', 'StrategyReadUser', '--max-steps', '3'],
      {},
    );
    assert.ok(parsed !== 'help');
    assert.equal(parsed.capacity.start, 40);
    assert.equal(parsed.capacity.rules.stepFactor, 2);
    assert.equal(parsed.capacity.rules.maxSteps, 3);
    assert.equal(parsed.run.mix, 'StrategyReadUser');
    const overrides = stepOverrides(parsed.run, parsed.capacity, 40).config as {
      phases: Array<{ maxVusers: number; duration: number }>;
      variables: Record<string, unknown>;
    };
    assert.equal(overrides.phases[0]!.maxVusers, 40);
    assert.equal(overrides.variables.runSeconds, 45); // settle + three whole periods after any alignment
    assert.equal(overrides.variables.capacitySettleSeconds, 5);
  });
  it('gives one line naming the problem and the fix', () => {
    assert.equal(problem(['--start', 'x']), '--start must be a whole number from 1 to 100000, got "x"');
    assert.match(problem(['--step-factor', '1'])!, /--step-factor must be a number from 1\.05 to 4/);
    assert.match(problem(['--start'])!, /--start needs a value/);
    assert.match(problem(['--users-factor', '2'])!, /does not apply to capacity: use --start/);
    assert.match(
      problem(['--dashboard'])!,
      /--dashboard does not apply to capacity: each step is its own run/,
    );
    assert.match(problem(['--baseline', 'main'])!, /--baseline does not apply to capacity/);
    assert.match(problem(['smoke'])!, /capacity takes no profile name/);
    assert.match(problem(['--start', '50', '--max-users', '20'])!, /--start 50 is above --max-users 20/);
    assert.equal(problem(['--bogus']), 'unknown option --bogus (see --help)');
  });
  it('needs --confirm-host for any non-local host, as stress does', () => {
    assert.match(
      problem(['--env', 'staging'], remote)!,
      /refusing to run "capacity" .* add --confirm-host btc-watcher\.staging\.example/,
    );
    assert.equal(
      problem(['--env', 'staging', '--confirm-host', 'btc-watcher.staging.example'], remote),
      null,
    );
  });
  it('the command prints one line and exits 2, before any load', async () => {
    const result = await runCli(['capacity', '--settle', '1'], { BTCW_API_PORT: '9' });
    assert.equal(result.code, 2);
    assert.equal(result.stderr, 'btcw: --settle must be a whole number from 2 to 600, got "1"\n');
    assert.equal(result.stdout, '');
  });
});
