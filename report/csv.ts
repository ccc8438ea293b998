// Locust-style CSV exports next to the HTML report: _stats.csv, _stats_history.csv, _failures.csv.
import { type Evaluation, failureRows } from '../grading/evaluation.js';
import type { Point } from './series.js';

function cell(value: unknown): string {
  const text =
    value === null || value === undefined
      ? ''
      : typeof value === 'number'
        ? Number.isInteger(value)
          ? String(value)
          : value.toFixed(3)
        : String(value);
  // Quote when needed, and defuse spreadsheet formulas in names that come from the server or the config.
  const safe = /^[=+\-@]/.test(text) && typeof value === 'string' ? `'${text}` : text;
  return /[",\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

const row = (values: unknown[]) => values.map(cell).join(',');

export function statsCsv(evaluation: Evaluation): string {
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
  const rate = (n: number) => (evaluation.durationSeconds ? n / evaluation.durationSeconds : null);
  const lines = evaluation.endpoints.map((endpoint) => {
    const match = /^([A-Z]+)\s+(.*)$/.exec(endpoint.name);
    return row([
      match?.[1] ?? '',
      match?.[2] ?? endpoint.name,
      endpoint.class,
      endpoint.requests,
      endpoint.failed,
      endpoint.latency?.p50,
      endpoint.latency?.mean,
      endpoint.latency?.min,
      endpoint.latency?.max,
      endpoint.latency?.p95,
      endpoint.latency?.p99,
      rate(endpoint.requests),
      rate(endpoint.failed),
      endpoint.tier,
    ]);
  });
  const overall = evaluation.overall;
  lines.push(
    row([
      '',
      'Aggregated',
      '',
      overall.requests,
      overall.failed,
      overall.latency?.p50,
      overall.latency?.mean,
      overall.latency?.min,
      overall.latency?.max,
      overall.latency?.p95,
      overall.latency?.p99,
      overall.throughput,
      rate(overall.failed),
      overall.tier,
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
  const lines = series.map((point) => {
    requests += point.requests;
    failures += point.failures;
    return row([
      Math.round(point.t / 1000),
      point.users,
      point.requestsPerSec,
      point.failuresPerSec,
      point.p50,
      point.p95,
      point.p99,
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
export function failuresCsv(evaluation: Evaluation): string {
  const lines: string[] = [];
  for (const endpoint of evaluation.endpoints) {
    const match = /^([A-Z]+)\s+(.*)$/.exec(endpoint.name);
    for (const failure of failureRows(endpoint.failures))
      lines.push(row([match?.[1] ?? '', match?.[2] ?? endpoint.name, failure.label, failure.count]));
  }
  return `${[row(['Method', 'Name', 'Error', 'Occurrences']), ...lines].join('\n')}\n`;
}
