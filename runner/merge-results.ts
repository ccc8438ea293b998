// Merges the containers' metrics into one `-o` JSON the way run-fargate's collector does
// (platform/aws-ecs/legacy/sqs-reporter.js, then run-cluster.js): each 10 s period's metrics from all
// containers go through SSMS.mergeBuckets (counters added, DDSketches merged), the merged periods through
// SSMS.pack into the aggregate, and every sketch is summarized with SSMS.summarizeHistogram. The file then
// gets run-cluster's shape, histograms replaced by their summaries, so `npm run evaluate` and `npm run
// report` read it like any other results file.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { loadSsms, type PeriodData, type Ssms } from './artillery-internals.js';
import { ROOT } from './profiles.js';

export interface MergedResults {
  aggregate: PeriodData;
  intermediate: PeriodData[];
}

function summarize(ssms: Ssms, pd: PeriodData): void {
  pd.summaries = {};
  for (const [name, sketch] of Object.entries(pd.histograms ?? {}))
    pd.summaries[name] = ssms.summarizeHistogram(sketch);
}

/** Merges serialized period metrics (one per line, as SSMS.serializeMetrics wrote them), one file each. */
export async function mergeMetricStreams(files: string[]): Promise<MergedResults> {
  const ssms = await loadSsms();
  const byPeriod = new Map<string, PeriodData[]>();
  for (const file of files) {
    for (const line of readFileSync(file, 'utf8').split('\n')) {
      if (line.trim() === '') continue;
      const pd = ssms.deserializeMetrics(line);
      const key = String(pd.period);
      byPeriod.set(key, [...(byPeriod.get(key) ?? []), pd]);
    }
  }
  const intermediate = [...byPeriod.keys()]
    .sort((a, b) => Number(a) - Number(b))
    .map((key) => {
      const merged = ssms.mergeBuckets(byPeriod.get(key)!)[key]!;
      summarize(ssms, merged);
      return merged;
    });
  const aggregate = ssms.pack(intermediate);
  summarize(ssms, aggregate);
  // What run.js and run-cluster.js write with -o: summaries in place of the sketches.
  for (const pd of [...intermediate, aggregate])
    pd.histograms = pd.summaries as unknown as PeriodData['histograms'];
  return { aggregate, intermediate };
}

export interface ResultsMetadata {
  testId: string;
  /** Containers merged. */
  count: number;
  /** Artillery-style tags: `profile` says which targets apply, `engine` what the users ran on. */
  tags: Array<{ name: string; value: string }>;
  extra?: Record<string, unknown>;
}

/** The merged results as run-fargate's `-o` file: intermediate, aggregate, testId, metadata, ensure. */
export function resultsDocument(merged: MergedResults, meta: ResultsMetadata): Record<string, unknown> {
  const artillery = JSON.parse(
    readFileSync(path.join(ROOT, 'node_modules', 'artillery', 'package.json'), 'utf8'),
  ) as { version: string };
  return {
    intermediate: merged.intermediate,
    aggregate: merged.aggregate,
    testId: meta.testId,
    metadata: {
      tags: meta.tags,
      count: meta.count,
      region: 'local',
      cluster: 'rehearsal',
      artilleryVersion: { core: artillery.version },
      ...meta.extra,
    },
    ensure: [],
  };
}
