// How long the HTML report and CSV files take for a 10-minute stress run: 60 ten-second periods and every
// request name of all 13 classes. The goal: under 2 s. Part of `npm run bench` (section "report").

import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { buildDocument } from '../documents/evaluation-document.js';
import { loadTargets } from '../documents/targets-file.js';
import type { ArtilleryReport, Summary } from '../grading/evaluation.js';
import { evaluate } from '../grading/evaluation.js';
import { NAMES_BY_CLASS } from '../harness/expected-names.js';
import { failuresCsv, historyCsv, statsCsv } from '../report/csv.js';
import { renderHtml } from '../report/render-html.js';
import { seriesOf } from '../report/series.js';
import { ROOT } from './lib/pinned-api.js';

const MBE = 'plugins.metrics-by-endpoint.';
const names = [...new Set(Object.values(NAMES_BY_CLASS).flat())];
const summary = (p95: number, count: number): Summary => ({
  min: 1,
  max: p95 * 3,
  count,
  mean: p95 / 2,
  p50: p95 / 2,
  p95,
  p99: p95 * 1.5,
});

export function stressResults(): { aggregate: ArtilleryReport; intermediate: ArtilleryReport[] } {
  const t0 = Date.now();
  const intermediate: ArtilleryReport[] = [];
  const counters: Record<string, number> = {};
  for (let period = 0; period < 60; period++) {
    const periodCounters: Record<string, number> = {
      'http.requests': 0,
      'plugins.btcw-targets.responses': 0,
    };
    const summaries: Record<string, Summary> = {
      'http.response_time': summary(40 + period, 5000),
    };
    // Every class's users start in the first period; a few end in each later one.
    for (const cls of Object.keys(NAMES_BY_CLASS)) {
      if (period === 0) periodCounters[`btcw.users_started.${cls}`] = 38;
      else periodCounters[`btcw.users_ended.${cls}`] = period % 3;
    }
    for (const cls of ['read', 'write', 'auth', 'webhook'])
      summaries[`plugins.btcw-targets.response_time.${cls}`] = summary(30 + period, 1000);
    names.forEach((name, index) => {
      const ok = 50 + index;
      periodCounters[`${MBE}${name}.codes.200`] = ok;
      periodCounters[`${MBE}${name}.codes.500`] = index % 7;
      periodCounters[`plugins.btcw-targets.failed.${name}.codes.500`] = index % 7;
      periodCounters['http.requests']! += ok + (index % 7);
      summaries[`${MBE}response_time.${name}`] = summary(20 + index, ok);
    });
    for (const [key, value] of Object.entries(periodCounters)) counters[key] = (counters[key] ?? 0) + value;
    intermediate.push({
      period: t0 + period * 10_000,
      firstMetricAt: t0 + period * 10_000,
      lastMetricAt: t0 + period * 10_000 + 9_990,
      counters: periodCounters,
      summaries,
    });
  }
  const summaries: Record<string, Summary> = { 'http.response_time': summary(60, 300_000) };
  names.forEach((name, index) => {
    summaries[`${MBE}response_time.${name}`] = summary(20 + index, 3000);
  });
  return { aggregate: { counters, summaries, firstMetricAt: t0, lastMetricAt: t0 + 599_990 }, intermediate };
}

export interface RenderResult {
  requestNames: number;
  renders: number;
  medianMs: number;
  maxMs: number;
  kib: number;
}

export function reportRender(renders: number): RenderResult {
  const results = stressResults();
  const evaluation = evaluate(results, loadTargets(path.join(ROOT, 'config/targets.yml')));
  const doc = buildDocument(evaluation, { profile: 'stress' }, results.intermediate);
  const times: number[] = [];
  let bytes = 0;
  for (let render = 0; render < renders; render++) {
    const start = performance.now();
    const html = renderHtml(doc);
    const series = seriesOf(doc.intermediate);
    const csv = statsCsv(evaluation) + historyCsv(series) + failuresCsv(evaluation);
    times.push(performance.now() - start);
    bytes = html.length + csv.length;
  }
  times.sort((a, b) => a - b);
  const result = {
    requestNames: names.length,
    renders,
    medianMs: Math.round(times[Math.floor(renders / 2)]! * 10) / 10,
    maxMs: Math.round(times[renders - 1]! * 10) / 10,
    kib: Math.round(bytes / 1024),
  };
  console.log(
    `report for a 10-minute stress run (60 periods, ${result.requestNames} request names): ` +
      `median ${result.medianMs} ms, max ${result.maxMs} ms over ${renders} renders; ` +
      `${result.kib} KiB written`,
  );
  return result;
}
