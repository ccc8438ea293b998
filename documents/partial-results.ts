// Artillery's `-o` results file as the pack writes it when Artillery cannot: a run interrupted (Artillery
// writes no `-o` then) and a run whose Artillery was killed. While a run goes, the plugin appends each
// 10 s period and the aggregate so far to `<results>.partial.jsonl` (one line a period: linear, and a
// line cut by a kill is only the last one lost); the runner turns what is there into the `-o` file, which
// `npm run evaluate` and `npm run report` grade as any other.
import { appendFileSync, existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import type { ArtilleryReport } from '../grading/evaluation.js';
import { type RunStop, STOP_KINDS } from '../grading/types.js';

/** `results/smoke-x.json` gives `results/smoke-x.partial.jsonl`. */
export function partialResultsPath(results: string): string {
  return `${results.replace(/\.json$/i, '')}.partial.jsonl`;
}

interface PartialLine {
  period: ArtilleryReport;
  aggregate: ArtilleryReport;
}

export function appendPartialPeriod(file: string, period: ArtilleryReport, aggregate: ArtilleryReport): void {
  appendFileSync(file, `${JSON.stringify({ period, aggregate } satisfies PartialLine)}\n`);
}

/** Artillery's `-o` shape: `histograms` repeat the summaries, as Artillery's own file does. */
export function artilleryResults(
  aggregate: ArtilleryReport,
  intermediate: readonly ArtilleryReport[],
  stop: RunStop | null,
): Record<string, unknown> {
  const withHistograms = (r: ArtilleryReport) => ({ ...r, histograms: r.summaries ?? {} });
  return {
    aggregate: withHistograms(aggregate),
    intermediate: intermediate.map(withHistograms),
    // Not Artillery's: how the run ended, so that regrading it says so too.
    ...(stop ? { stop } : {}),
  };
}

export function writeArtilleryResults(
  file: string,
  aggregate: ArtilleryReport,
  intermediate: readonly ArtilleryReport[],
  stop: RunStop | null,
): void {
  writeFileSync(file, JSON.stringify(artilleryResults(aggregate, intermediate, stop), null, 1));
}

/** The periods recorded so far, or null when none was; a last line cut short by a kill is left out. */
export function readPartialPeriods(
  file: string,
): { aggregate: ArtilleryReport; intermediate: ArtilleryReport[] } | null {
  if (!existsSync(file)) return null;
  const intermediate: ArtilleryReport[] = [];
  let aggregate: ArtilleryReport | null = null;
  for (const text of readFileSync(file, 'utf8').split('\n')) {
    if (text.trim() === '') continue;
    try {
      const line = JSON.parse(text) as PartialLine;
      intermediate.push(line.period);
      aggregate = line.aggregate;
    } catch {
      break;
    }
  }
  return aggregate === null ? null : { aggregate, intermediate };
}

/** Turns the partial periods into the `-o` file; false when there were none. The partial file goes. */
export function promotePartialResults(results: string, stop: RunStop | null): boolean {
  const partial = partialResultsPath(results);
  const periods = readPartialPeriods(partial);
  if (periods !== null) writeArtilleryResults(results, periods.aggregate, periods.intermediate, stop);
  rmSync(partial, { force: true });
  return periods !== null;
}

/** The periods so far are no longer needed once Artillery or the plugin wrote the `-o` file. */
export function discardPartialResults(results: string): void {
  rmSync(partialResultsPath(results), { force: true });
}

/** The stop recorded in a results file, when it is one the pack wrote for a run that ended early. */
export function recordedStop(results: unknown): RunStop | null {
  const stop = (results as { stop?: Partial<RunStop> } | null)?.stop;
  if (typeof stop !== 'object' || stop === null) return null;
  if (!STOP_KINDS.includes(stop.kind as RunStop['kind']) || typeof stop.exitCode !== 'number') return null;
  return {
    kind: stop.kind as RunStop['kind'],
    signal: typeof stop.signal === 'string' ? stop.signal : null,
    exitCode: stop.exitCode,
    line: typeof stop.line === 'string' ? stop.line : String(stop.kind),
  };
}
