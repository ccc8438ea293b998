// How long the HTML report and CSV files take for a 10-minute stress run: 60 ten-second periods and every
// request name of all 13 classes. The goal: under 2 s. Part of `npm run bench` (section "report").

import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { buildDocument } from '../documents/evaluation-document.js';
import { loadTargets } from '../documents/targets-file.js';
import type { ArtilleryReport, Summary } from '../grading/evaluation.js';
import { evaluate } from '../grading/evaluation.js';
import { failuresCsv, historyCsv, statsCsv } from '../report/csv.js';
import { renderHtml } from '../report/render-html.js';
import { seriesOf } from '../report/series.js';
import { NAMES_BY_CLASS } from '../test/helpers/expected-names.js';
import { ROOT } from './lib/pinned-api.js';

const MBE = 'plugins.metrics-by-endpoint.';
const names = [...new Set(Object.values(NAMES_BY_CLASS).flat())];
const s = (p95: number, count: number): Summary => ({
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
  for (let i = 0; i < 60; i++) {
    const c: Record<string, number> = { 'http.requests': 0, 'plugins.btcw-targets.responses': 0 };
    const summaries: Record<string, Summary> = {
      'http.response_time': s(40 + i, 5000),
    };
    // Every class's users start in the first period; a few end in each later one.
    for (const cls of Object.keys(NAMES_BY_CLASS)) {
      if (i === 0) c[`btcw.users_started.${cls}`] = 38;
      else c[`btcw.users_ended.${cls}`] = i % 3;
    }
    for (const cls of ['read', 'write', 'auth', 'webhook'])
      summaries[`plugins.btcw-targets.response_time.${cls}`] = s(30 + i, 1000);
    names.forEach((n, j) => {
      const ok = 50 + j;
      c[`${MBE}${n}.codes.200`] = ok;
      c[`${MBE}${n}.codes.500`] = j % 7;
      c[`plugins.btcw-targets.failed.${n}.codes.500`] = j % 7;
      c['http.requests']! += ok + (j % 7);
      summaries[`${MBE}response_time.${n}`] = s(20 + j, ok);
    });
    for (const [k, v] of Object.entries(c)) counters[k] = (counters[k] ?? 0) + v;
    intermediate.push({
      period: t0 + i * 10_000,
      firstMetricAt: t0 + i * 10_000,
      lastMetricAt: t0 + i * 10_000 + 9_990,
      counters: c,
      summaries,
    });
  }
  const summaries: Record<string, Summary> = { 'http.response_time': s(60, 300_000) };
  names.forEach((n, j) => {
    summaries[`${MBE}response_time.${n}`] = s(20 + j, 3000);
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
  for (let i = 0; i < renders; i++) {
    const start = performance.now();
    const html = renderHtml(doc);
    const series = seriesOf(doc.intermediate);
    const csv = statsCsv(evaluation) + historyCsv(series) + failuresCsv(evaluation);
    times.push(performance.now() - start);
    bytes = html.length + csv.length;
  }
  times.sort((a, b) => a - b);
  const r = {
    requestNames: names.length,
    renders,
    medianMs: Math.round(times[Math.floor(renders / 2)]! * 10) / 10,
    maxMs: Math.round(times[renders - 1]! * 10) / 10,
    kib: Math.round(bytes / 1024),
  };
  console.log(
    `report for a 10-minute stress run (60 periods, ${r.requestNames} request names): ` +
      `median ${r.medianMs} ms, max ${r.maxMs} ms over ${renders} renders; ${r.kib} KiB written`,
  );
  return r;
}
