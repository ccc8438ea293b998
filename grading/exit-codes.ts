// The pack's exit codes, one table for every command: each code means one thing whichever command returns
// it. The README and docs/running.md show this table; test/unit/exit-codes.test.ts holds them to it. A new
// way for a run to end (an outcome of grading/run-stop.ts) adds its row here.

export const EXIT = {
  /** Every target met, or only warnings that targets.yml `failOn` does not list; a capacity was found. */
  PASS: 0,
  /** Nothing could be graded: Artillery (or every capacity step) ended without results. */
  NOTHING_GRADED: 1,
  /** Bad input: a flag, config, baseline or document; or a failed preflight. Before any load. */
  BAD_INPUT: 2,
  /** FAIL: a target was missed (it outranks a regression); capacity: the first step already broke. */
  FAIL: 3,
  /** WARN, when `failOn` lists WARN. */
  WARN: 4,
  /** A regression against the baseline (`failOn` lists REGRESSION); also `compare` finding one. */
  REGRESSION: 5,
  /** capacity: the load generator, not the API, was the limit, or it lost users to its own errors. */
  GENERATOR_LIMIT: 6,
  /** ABORTED by the live error-rate guard (targets.yml `guard:`): the API was breaking, the run stopped. */
  GUARD_ABORTED: 8,
  /** Interrupted by SIGINT: Ctrl-C or the dashboard's Stop. */
  INTERRUPTED_SIGINT: 130,
  /** Artillery ended by a signal the pack did not send, most often SIGKILL (the out-of-memory killer). */
  ARTILLERY_KILLED: 137,
  /** Interrupted by SIGTERM (CI cancelling the job, `timeout`). */
  INTERRUPTED_SIGTERM: 143,
} as const;

export type ExitName = keyof typeof EXIT;

/** One line per code, for the docs' table: the code and what it means. */
export const EXIT_MEANINGS: Readonly<Record<ExitName, string>> = {
  PASS: 'pass, or warn without WARN in failOn, and no regression; capacity: a capacity or a bound was found',
  NOTHING_GRADED: 'nothing could be graded: Artillery or every capacity step ended without results',
  BAD_INPUT: 'bad input (flags, config, a baseline or document that does not fit) or a failed preflight',
  FAIL: 'FAIL: a target was missed; capacity: the first step already broke',
  WARN: 'WARN, when failOn lists WARN',
  REGRESSION: 'REGRESSION against the baseline (REGRESSION in failOn, as shipped); compare found one',
  GENERATOR_LIMIT: 'capacity: the load generator, not the API, was the limit or lost users to its own errors',
  GUARD_ABORTED: 'ABORTED by the live error-rate guard (targets.yml guard:; --no-guard turns it off)',
  INTERRUPTED_SIGINT: 'INTERRUPTED by SIGINT (Ctrl-C, the dashboard Stop)',
  ARTILLERY_KILLED: 'Artillery ended by a signal the pack did not send (SIGKILL: out of memory?)',
  INTERRUPTED_SIGTERM: 'INTERRUPTED by SIGTERM (a cancelled CI job, timeout)',
};

/** The exit code of an interruption by this signal. */
export function interruptedExit(signal: string): number {
  return signal === 'SIGINT' ? EXIT.INTERRUPTED_SIGINT : EXIT.INTERRUPTED_SIGTERM;
}

/** The table as the README and docs/running.md show it (a test holds both to it). */
export function exitCodeTable(): string {
  const rows = (Object.keys(EXIT) as ExitName[])
    .sort((a, b) => EXIT[a] - EXIT[b])
    .map((name) => `| ${EXIT[name]} | ${EXIT_MEANINGS[name]} |`);
  return ['| code | meaning (the same for every command) |', '|---|---|', ...rows].join('\n');
}
