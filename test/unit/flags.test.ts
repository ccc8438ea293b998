// Flags as the command line hands them on: a negative number stays the flag's value (so it gets the same
// range message as 0), a second --env and a --dashboard that is no port are refused in one line. Each
// command's --help names exactly the flags its parser takes (both come from one table), and a mistyped
// flag is one line naming the nearest right one.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { COMMANDS, type Command, normalizeFlags } from '../../cli/command.js';
import { parseCapacityArgs } from '../../commands/capacity-flags.js';
import { parseRehearseArgs, REHEARSE_USAGE } from '../../commands/rehearse.js';
import { dotenvEnvironment } from '../../commands/run.js';
import {
  didYouMean,
  editDistance,
  type FlagTable,
  optionLines,
  parseFlags,
  parserOptions,
  withoutFlags,
} from '../../lib/flag-table.js';
import { UsageError } from '../../lib/usage-error.js';
import { parseRunArgs, RUN_FLAGS } from '../../runner/run-options.js';

/** What a command's --help and its parser's table disagree on: a flag left out of one of the two. */
function helpProblems(command: Pick<Command, 'name' | 'flags' | 'usage'>): string[] {
  const problems: string[] = [];
  const parser = parserOptions(command.flags);
  for (const [name, option] of Object.entries(parser)) {
    if (!new RegExp(`(?<![\\w-])--${name}(?![\\w-])`).test(command.usage))
      problems.push(`${command.name}: --${name} is taken but not in --help`);
    if (option.short !== undefined && !command.usage.includes(`-${option.short}, --${name}`))
      problems.push(`${command.name}: -${option.short} is taken but not in --help`);
  }
  for (const word of new Set(command.usage.match(/(?<![\w-])--[a-z][a-z-]*/g) ?? []))
    if (!Object.hasOwn(parser, word.slice(2)))
      problems.push(`${command.name}: --help names ${word}, which its parser refuses`);
  return problems;
}

/** The message of the UsageError `act` throws, or "accepted". */
function refusal(act: () => unknown): string {
  try {
    act();
  } catch (error) {
    if (error instanceof UsageError) return error.message;
    throw error;
  }
  return 'accepted';
}

describe('flags', () => {
  it('gives --duration-factor -1 the message 0 gets', () => {
    const message = (value: string) =>
      refusal(() => parseRunArgs(normalizeFlags(['smoke', '--duration-factor', value]), {})).replace(
        `"${value}"`,
        'VALUE',
      );
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

describe('flag tables and --help', () => {
  it('types what a table parses to by flag: a name it does not hold does not compile', () => {
    const { values } = parseFlags(RUN_FLAGS, ['smoke', '--engine', 'btcw', '--no-report']);
    const engine: string | undefined = values.engine;
    const noReport: boolean | undefined = values['no-report'];
    assert.deepEqual([engine, noReport], ['btcw', true]);
    // @ts-expect-error run has no --max-user: were the values a plain record, tsc -b would stop here
    assert.equal(values['max-user'], undefined);
  });

  it('finds a flag the help leaves out and one it names that the parser refuses', () => {
    const flags: FlagTable = [
      { name: 'out', type: 'string', value: 'DIR', help: 'where' },
      { name: 'env', short: 'e', type: 'string', value: 'NAME', help: 'which' },
    ];
    assert.deepEqual(helpProblems({ name: 'made-up', flags, usage: `Usage: x\n${optionLines(flags)}` }), []);
    assert.deepEqual(
      helpProblems({ name: 'made-up', flags, usage: 'Usage: x [--out DIR] [--env NAME] [--all]' }),
      ['made-up: -e is taken but not in --help', 'made-up: --help names --all, which its parser refuses'],
    );
    assert.deepEqual(helpProblems({ name: 'made-up', flags, usage: '  -e, --env NAME  which' }), [
      'made-up: --out is taken but not in --help',
    ]);
  });

  it("names in each command's --help exactly the flags its parser takes", () => {
    assert.equal(COMMANDS.length, 8);
    assert.deepEqual(COMMANDS.flatMap(helpProblems), []);
  });

  it('lists in rehearse --help the run flags rehearse takes, and no refused one in capacity --help', () => {
    const flags = (name: string) => COMMANDS.find((command) => command.name === name)!.flags;
    const names = (name: string) => flags(name).map((flag) => flag.name);
    for (const taken of ['count', 'engine', 'request-timeout', 'no-guard', 'env', 'workers'])
      assert.ok(names('rehearse').includes(taken), taken);
    for (const refused of ['duration-factor', 'users-factor', 'dashboard', 'baseline', 'save-baseline'])
      assert.ok(!names('capacity').includes(refused), refused);
    // Capacity's table is run's, less what it refuses, plus its own: run's explanations, word for word.
    const run = flags('run');
    for (const flag of flags('capacity').filter((own) => run.some((taken) => taken.name === own.name)))
      assert.equal(
        flag,
        run.find((taken) => taken.name === flag.name),
      );
  });

  it('aligns the option lines and continues an explanation under its first line', () => {
    const lines = optionLines([
      { name: 'engine', type: 'string', value: 'E', help: 'http or btcw\ndefault: btcw' },
      { name: 'no-report', type: 'boolean', help: 'skip the HTML report' },
      { name: 'env', short: 'e', type: 'string', value: 'NAME', help: 'where' },
    ]);
    assert.equal(
      lines,
      [
        '  --engine E             http or btcw',
        '                         default: btcw',
        '  --no-report            skip the HTML report',
        '  -e, --env NAME         where',
      ].join('\n'),
    );
    // A literal table refuses the name at compile time; a wide one at run time.
    const literal = [{ name: 'out', type: 'string', help: 'where' }] as const;
    assert.throws(
      // @ts-expect-error --nope is not a flag of this table
      () => withoutFlags(literal, ['--nope']),
      /--nope is not in the table/,
    );
    assert.throws(() => withoutFlags([] as FlagTable, ['--nope']), /--nope is not in the table/);
  });

  it('parses by the run, capacity and rehearse tables: each takes its flags and refuses others', () => {
    const parsers: Array<[string, (argv: string[]) => unknown]> = [
      ['run', (argv) => parseRunArgs(['nosuchprofile', ...argv], {})],
      ['capacity', (argv) => parseCapacityArgs(argv, { BTCW_ENV: 'nosuchenv' })],
      ['rehearse', (argv) => parseRehearseArgs(['nosuchprofile', ...argv], {})],
    ];
    for (const [name, parse] of parsers) {
      const command = COMMANDS.find((each) => each.name === name)!;
      for (const flag of command.flags.filter((each) => each.name !== 'help')) {
        const given = flag.type === 'string' ? `--${flag.name}=1` : `--${flag.name}`;
        assert.doesNotMatch(
          refusal(() => parse([given])),
          /unknown option|does not apply|rehearse /,
          given,
        );
      }
      assert.match(
        refusal(() => parse(['--nosuchflag'])),
        /^unknown option --nosuchflag \(see --help\)$/,
      );
    }
  });
});

describe('did you mean', () => {
  it('counts a swap of two adjacent letters as one edit', () => {
    assert.equal(editDistance('engine', 'enigne'), 1);
    assert.equal(editDistance('count', 'coutn'), 1);
    assert.equal(editDistance('tag', 'tga'), 1);
    assert.equal(editDistance('engine', 'engin'), 1);
    assert.equal(editDistance('abc', 'ca'), 3); // optimal string alignment: no letter moves twice
    assert.equal(editDistance('', 'abc'), 3);
    assert.equal(didYouMean('--xyz', ['--duration-factor', '--env']), null);
  });

  it("names the nearest flag of the command's own table, in one line", () => {
    const flagsOf = (name: string) => COMMANDS.find((command) => command.name === name)!.flags;
    const message = (name: string, argv: string[]) => refusal(() => parseFlags(flagsOf(name), argv));
    assert.equal(
      message('run', ['smoke', '--enigne', 'btcw']),
      'unknown option --enigne: did you mean --engine? (see --help)',
    );
    assert.equal(
      message('rehearse', ['--coutn', '2']),
      'unknown option --coutn: did you mean --count? (see --help)',
    );
    assert.equal(
      message('cleanup', ['--tga', 'x']),
      'unknown option --tga: did you mean --tag? (see --help)',
    );
    assert.equal(
      message('rehearse', ['--engin', 'btcw']),
      'unknown option --engin: did you mean --engine? (see --help)',
    );
    assert.equal(
      message('rehearse', ['--request-timout', '5']),
      'unknown option --request-timout: did you mean --request-timeout? (see --help)',
    );
    assert.equal(message('compare', ['--bogus']), 'unknown option --bogus (see --help)');
    assert.equal(message('capacity', ['--start']), '--start needs a value (see --help)');
    assert.equal(message('capacity', ['--start', '--env', 'x']), '--start needs a value (see --help)');
  });

  it('says why a near flag that capacity refuses does not apply, not "did you mean" it', () => {
    const problem = refusal(() => parseCapacityArgs(['--durationfactor', '2'], {}));
    assert.equal(
      problem,
      'unknown option --durationfactor ' +
        '(--duration-factor does not apply to capacity: use --start, --settle and --max-users instead)',
    );
    assert.match(
      refusal(() => parseCapacityArgs(['--baseline=main'], {})),
      /^--baseline does not apply/,
    );
  });

  it("names in a run flag's help the variable that stands in for it", () => {
    const withVariable = (RUN_FLAGS as FlagTable).filter((flag) => flag.env !== undefined);
    assert.ok(withVariable.length >= 12, `${withVariable.length} flags`);
    for (const flag of withVariable) assert.ok(flag.help.includes(flag.env!), `--${flag.name}: ${flag.env}`);
  });

  it('reads the env file of the environment --env names, in each of its spellings', () => {
    for (const argv of [
      ['smoke', '--env', 'staging'],
      ['smoke', '--env=staging'],
      ['smoke', '-e', 'staging'],
      ['smoke', '-estaging'],
      ['--dashboard', '-estaging', 'smoke'],
    ])
      assert.equal(dotenvEnvironment(argv, { BTCW_ENV: 'production' }), 'staging', argv.join(' '));
    assert.equal(dotenvEnvironment(['smoke'], { BTCW_ENV: 'production' }), 'production');
    assert.equal(dotenvEnvironment(['smoke', '--env'], {}), 'local');
  });

  it('rehearse: refuses another environment before reading its env file; its --env is local only', () => {
    const loaded: string[] = [];
    const load = (environment: string) => loaded.push(environment);
    assert.match(
      refusal(() => parseRehearseArgs(['smoke', '--env', 'production'], {}, load)),
      /^rehearse runs against the embedded API only/,
    );
    assert.deepEqual(loaded, [], "production's env file was read");
    // the environment as the parser resolved it, -elocal included, not a second reading of argv
    assert.ok(parseRehearseArgs(['smoke', '-elocal'], { BTCW_ENV: 'staging' }, load) !== 'help');
    assert.deepEqual(loaded, ['local']);
    const envLine = REHEARSE_USAGE.split('\n').find((line) => line.trimStart().startsWith('-e, --env'));
    assert.match(envLine ?? '', /local only/);
    assert.doesNotMatch(envLine ?? '', /staging|production/);
  });

  it('takes from the environment none of what capacity and rehearse refuse as flags', () => {
    // A job-wide baseline and dashboard, set for the runs: a baseline that is not there would stop them.
    const job = { BTCW_BASELINE: 'no-such-baseline', BTCW_DASHBOARD: 'on' };
    assert.throws(() => parseRunArgs(['smoke'], job), /no-such-baseline\.json: no such file/);
    const capacity = parseCapacityArgs([], job);
    const rehearsal = parseRehearseArgs(['smoke'], job);
    assert.ok(capacity !== 'help' && rehearsal !== 'help');
    for (const opts of [capacity.run, rehearsal.opts]) {
      assert.equal(opts.baselines.baseline, undefined);
      assert.equal(opts.dashboard, null);
    }
    // Capacity refuses the scale factors too (its steps set the users and times); rehearse takes them.
    const factors = { BTCW_DURATION_FACTOR: 'abc', BTCW_USERS_FACTOR: 'abc' };
    assert.ok(parseCapacityArgs([], factors) !== 'help');
    assert.throws(() => parseRehearseArgs(['smoke'], factors), /duration-factor/);
  });
});
