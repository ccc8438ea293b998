// A run that ended early tells the truth: its verdict is the way it ended (INTERRUPTED, KILLED), its exit
// code is the one the process returns, and the grade of the periods measured before the stop is kept as
// the "graded so far" part. Pure; the plugin, the runner and the regrading commands all mark a stop here.

import type { Evaluation } from './evaluation.js';
import { EXIT, interruptedExit } from './exit-codes.js';
import type { GuardEvent, RunStop } from './types.js';

export function interruption(signal: string): RunStop {
  return {
    kind: 'INTERRUPTED',
    signal,
    exitCode: interruptedExit(signal),
    line: `interrupted by ${signal}: the verdict covers the periods completed before the stop`,
  };
}

/** Artillery's process ended by a signal the pack did not send: SIGKILL is most often the OOM killer. */
export function artilleryKilled(signal: string): RunStop {
  return {
    kind: 'KILLED',
    signal,
    exitCode: EXIT.ARTILLERY_KILLED,
    line: `Artillery ended by ${signal}${signal === 'SIGKILL' ? ' (out of memory?)' : ''}`,
  };
}

/** The live guard stopped the run (grading/error-rate-guard.ts): its line is the verdict's first line. */
export function guardAbort(event: GuardEvent): RunStop {
  return { kind: 'ABORTED', signal: null, exitCode: EXIT.GUARD_ABORTED, line: event.message, at: event.at };
}

/** The evaluation of a run that stopped early: the stop's exit code replaces the grade's. */
export function withStop(evaluation: Evaluation, stop: RunStop): Evaluation {
  return { ...evaluation, stop, exitCode: stop.exitCode };
}

/** The verdict a person sees: the way the run ended when it stopped early, else the grade. */
export function shownVerdict(evaluation: Pick<Evaluation, 'verdict' | 'stop'>): string {
  return evaluation.stop?.kind ?? evaluation.verdict;
}

/** "INTERRUPTED (graded so far: PASS)", or the verdict alone for a run that ended by itself. */
export function verdictLabel(evaluation: Pick<Evaluation, 'verdict' | 'stop'>): string {
  const { stop, verdict } = evaluation;
  return stop ? `${stop.kind} (graded so far: ${verdict})` : verdict;
}
