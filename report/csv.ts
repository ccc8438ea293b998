// Locust-style CSV exports next to the HTML report: _stats.csv, _stats_history.csv, _failures.csv.
import { type Evaluation, failureRows } from '../grading/evaluation.js';
import type { Point } from './series.js';

function cell(v: unknown): string {
  const s =
    v === null || v === undefined
      ? ''
      : typeof v === 'number'
        ? Number.isInteger(v)
          ? String(v)
          : v.toFixed(3)
        : String(v);
  // Quote when needed, and defuse spreadsheet formulas in names that come from the server or the config.
  const safe = /^[=+\-@]/.test(s) && typeof v === 'string' ? `'${s}` : s;
  return /[",\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

const row = (values: unknown[]) => values.map(cell).join(',');

export function statsCsv(e: Evaluation): string {
  const head = [
    'Type',
    'Name',
    'Class',
    'Request Count',
    'Failure Count',
    'Median Response Time',
    'Average Response Time',
    'Min Response Time',
    'Max Response Time',
    '95%',
    '99%',
    'Requests/s',
    'Failures/s',
    'Tier',
  ];
  const rate = (n: number) => (e.durationSeconds ? n / e.durationSeconds : null);
  const lines = e.endpoints.map((x) => {
    const m = /^([A-Z]+)\s+(.*)$/.exec(x.name);
    return row([
      m?.[1] ?? '',
      m?.[2] ?? x.name,
      x.class,
      x.requests,
      x.failed,
      x.latency?.p50,
      x.latency?.mean,
      x.latency?.min,
      x.latency?.max,
      x.latency?.p95,
      x.latency?.p99,
      rate(x.requests),
      rate(x.failed),
      x.tier,
    ]);
  });
  const o = e.overall;
  lines.push(
    row([
      '',
      'Aggregated',
      '',
      o.requests,
      o.failed,
      o.latency?.p50,
      o.latency?.mean,
      o.latency?.min,
      o.latency?.max,
      o.latency?.p95,
      o.latency?.p99,
      o.throughput,
      rate(o.failed),
      o.tier,
    ]),
  );
  return `${[row(head), ...lines].join('\n')}\n`;
}

export function historyCsv(series: Point[]): string {
  const head = [
    'Timestamp',
    'User Count',
    'Requests/s',
    'Failures/s',
    '50%',
    '95%',
    '99%',
    'Total Request Count',
    'Total Failure Count',
  ];
  let requests = 0;
  let failures = 0;
  const lines = series.map((p) => {
    requests += p.requests;
    failures += p.failures;
    return row([
      Math.round(p.t / 1000),
      p.users,
      p.requestsPerSec,
      p.failuresPerSec,
      p.p50,
      p.p95,
      p.p99,
      requests,
      failures,
    ]);
  });
  return `${[row(head), ...lines].join('\n')}\n`;
}

/**
 * Locust's failures CSV: one row per request name and status or error code, exactly the failures the
 * verdict counted (`endpoints[].failures`), so the occurrences add up to its failed requests.
 */
export function failuresCsv(e: Evaluation): string {
  const lines: string[] = [];
  for (const x of e.endpoints) {
    const m = /^([A-Z]+)\s+(.*)$/.exec(x.name);
    for (const r of failureRows(x.failures))
      lines.push(row([m?.[1] ?? '', m?.[2] ?? x.name, r.label, r.count]));
  }
  return `${[row(['Method', 'Name', 'Error', 'Occurrences']), ...lines].join('\n')}\n`;
}
