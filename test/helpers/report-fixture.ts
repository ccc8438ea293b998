// A report fixture: a graded synthetic run with 12 ten-second periods, three classes of users, failures of
// every sort the verdict counts (5xx, an unexpected 200, network errors) next to expected rejections (401s
// that are successes), and hostile request names.

import { buildDocument, type EvaluationDocument } from '../../documents/evaluation-document.js';
import { loadTargets } from '../../documents/targets-file.js';
import type { ArtilleryReport, Evaluation } from '../../grading/evaluation.js';
import { evaluate, failureRows } from '../../grading/evaluation.js';
import { ROOT } from '../../harness/pack.js';
import {
  BY_ENDPOINT,
  CLASS_RESPONSE_TIME,
  failedCode,
  failedError,
  HTTP_REQUESTS,
  HTTP_RESPONSE_TIME,
  JUDGED_RESPONSES,
  LOGINS,
  USERS_ENDED,
  USERS_ENDED_BY_CLASS,
  USERS_STARTED,
  USERS_STOPPED,
} from '../../lib/metrics.js';
import { summaryAt } from './summaries.js';

export const HOSTILE_NAME = 'GET /strategies/ [<script>window.__pwned=1</script>]';
export const HOSTILE_ERROR = '<img src=x onerror="window.__pwned=2">';
export const LIST = 'GET /strategies/ [LIST]';
export const CREATE = 'POST /strategies/ [CREATE]';
export const ADMIN = 'POST /auth/token [ADMIN LOGIN]';
export const INVALID = 'POST /auth/token [INVALID LOGIN]';
export const START = 'POST /strategies/{id}/start [START]';

const summary = (p95: number, count: number) => summaryAt(p95, count, { max: p95 * 2, p99: p95 * 1.4 });

export interface FixtureOptions {
  /** One CREATE in this many answers 500. */
  errorEvery?: number;
  /** Count user ends per class (btcw.users_ended.<Class>), as processors do once they emit it. */
  endsByClass?: boolean;
  /** Reporting periods in the run (12 unless told): a run cut short has fewer, down to none. */
  periods?: number;
}

export function fixtureResults(opts: FixtureOptions = {}): {
  aggregate: ArtilleryReport;
  intermediate: ArtilleryReport[];
} {
  const errorEvery = opts.errorEvery ?? 50;
  const t0 = 1_800_000_000_000;
  const intermediate: ArtilleryReport[] = [];
  const aggCounters: Record<string, number> = {};
  const add = (name: string, count: number) => {
    aggCounters[name] = (aggCounters[name] ?? 0) + count;
  };
  const periods = opts.periods ?? 12;
  for (let period = 0; period < periods; period++) {
    const ok = 200 + period * 20;
    const failed = Math.floor(ok / errorEvery);
    const counters: Record<string, number> = {
      [`${BY_ENDPOINT}${LIST}.codes.200`]: ok,
      [`${BY_ENDPOINT}${CREATE}.codes.500`]: failed,
      [`${BY_ENDPOINT}${CREATE}.codes.200`]: 5,
      [failedCode(CREATE, 500)]: failed,
      // [ADMIN LOGIN] answered 200 where 401 was expected: failed, with a status below 400
      [`${BY_ENDPOINT}${ADMIN}.codes.200`]: 1,
      [failedCode(ADMIN, 200)]: 1,
      // [INVALID LOGIN]'s 401s are what it expects: successes
      [`${BY_ENDPOINT}${INVALID}.codes.401`]: 2,
      // [START] expects 202: a 200 fails it
      [`${BY_ENDPOINT}${START}.codes.202`]: 3,
      [`${BY_ENDPOINT}${START}.codes.200`]: period % 4 === 0 ? 1 : 0,
      [failedCode(START, 200)]: period % 4 === 0 ? 1 : 0,
      [`${BY_ENDPOINT}${HOSTILE_NAME}.errors.${HOSTILE_ERROR}`]: 1,
      [failedError(HOSTILE_NAME, HOSTILE_ERROR)]: 1,
      [`${BY_ENDPOINT}${LIST}.errors.ECONNRESET`]: period === 6 ? 2 : 0,
      [failedError(LIST, 'ECONNRESET')]: period === 6 ? 2 : 0,
      [`${USERS_STARTED}StrategyReadUser`]: period === 0 ? 2 : period < 8 ? 1 : 0,
      [`${USERS_STARTED}AuthenticationUser`]: period < 3 ? 1 : 0,
      [`${USERS_STARTED}StrategyOperationsUser`]: period === 1 ? 2 : 0,
    };
    counters[HTTP_REQUESTS] =
      ok + failed + 5 + 1 + 2 + 3 + (period % 4 === 0 ? 1 : 0) + 1 + (period === 6 ? 2 : 0);
    counters[JUDGED_RESPONSES] = counters[HTTP_REQUESTS]! - 1 - (period === 6 ? 2 : 0);
    if (period === 6) {
      // a network error ends the user
      counters[`${USERS_STOPPED}network_error`] = 1;
      counters[USERS_ENDED] = 1;
      if (opts.endsByClass ?? true) counters[`${USERS_ENDED_BY_CLASS}StrategyReadUser`] = 1;
    }
    for (const [name, count] of Object.entries(counters)) add(name, count);
    intermediate.push({
      period: t0 + period * 10_000,
      firstMetricAt: t0 + period * 10_000,
      lastMetricAt: t0 + period * 10_000 + 9_900,
      counters,
      summaries: {
        [HTTP_RESPONSE_TIME]: summary(20 + period * 8, ok),
        [`${CLASS_RESPONSE_TIME}read`]: summary(15 + period * 6, ok),
        [`${CLASS_RESPONSE_TIME}write`]: summary(60 + period * 12, failed + 8),
        [`${CLASS_RESPONSE_TIME}auth`]: summary(180 + period * 5, 3),
        [`${BY_ENDPOINT}response_time.${LIST}`]: summary(15 + period * 6, ok),
        [`${BY_ENDPOINT}response_time.${CREATE}`]: summary(60 + period * 12, failed + 5),
        [`${BY_ENDPOINT}response_time.${ADMIN}`]: summary(180 + period * 5, 1),
        [`${BY_ENDPOINT}response_time.${START}`]: summary(40 + period, 3),
      },
    });
  }
  aggCounters[LOGINS] = 9;
  const aggregate: ArtilleryReport = {
    firstMetricAt: t0,
    lastMetricAt: t0 + 119_900,
    counters: aggCounters,
    summaries: {
      [HTTP_RESPONSE_TIME]: summary(80, 3000),
      [`${CLASS_RESPONSE_TIME}read`]: summary(60, 3000),
      [`${CLASS_RESPONSE_TIME}write`]: summary(120, 100),
      [`${CLASS_RESPONSE_TIME}auth`]: summary(210, 36),
      [`${BY_ENDPOINT}response_time.${LIST}`]: summary(60, 3000),
      [`${BY_ENDPOINT}response_time.${CREATE}`]: summary(120, 60),
      [`${BY_ENDPOINT}response_time.${ADMIN}`]: summary(210, 12),
      [`${BY_ENDPOINT}response_time.${START}`]: summary(45, 36),
    },
  };
  return { aggregate, intermediate };
}

export function fixtureDocument(opts: FixtureOptions | number = {}): EvaluationDocument {
  const options = typeof opts === 'number' ? { errorEvery: opts } : opts;
  const results = fixtureResults(options);
  const evaluation = evaluate(results, loadTargets(`${ROOT}/config/targets.yml`));
  return buildDocument(
    evaluation,
    {
      profile: 'smoke',
      environment: 'local',
      target: 'http://127.0.0.1:8000',
      runTag: 'fixture',
      engine: 'btcw',
      seed: '42',
    },
    results.intermediate,
  );
}

// ---- the failures as each output shows them, as sorted "name | status or error | count" lines -------------

const unescapeHtml = (html: string) =>
  html
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&');

export function failuresOfEvaluation(evaluation: Evaluation): string[] {
  return evaluation.endpoints
    .flatMap((x) => failureRows(x.failures).map((r) => `${x.name} | ${r.label} | ${r.count}`))
    .sort();
}

/** The rows of the report's Failures table (id="failures"). */
export function failuresOfHtml(html: string): string[] {
  const table = /<table class="sortable" id="failures">([\s\S]*?)<\/table>/.exec(html)?.[1] ?? '';
  const body = /<tbody>([\s\S]*?)<\/tbody>/.exec(table)?.[1] ?? '';
  return [
    ...body.matchAll(
      /<tr><td class="name">(.*?)<\/td><td>(.*?)<\/td><td class="n" data-v="\d+">(\d+)<\/td><\/tr>/g,
    ),
  ]
    .map((m) => `${unescapeHtml(m[1]!)} | ${unescapeHtml(m[2]!)} | ${m[3]}`)
    .sort();
}

function csvRows(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let index = 0; index < text.length; index++) {
    const char = text[index]!;
    if (quoted) {
      if (char === '"' && text[index + 1] === '"') {
        cell += '"';
        index++;
      } else if (char === '"') quoted = false;
      else cell += char;
    } else if (char === '"') quoted = true;
    else if (char === ',') {
      row.push(cell);
      cell = '';
    } else if (char === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
    } else cell += char;
  }
  return rows;
}

/** The rows of `<run>_failures.csv` (Method, Name, Error, Occurrences). */
export function failuresOfCsv(csv: string): string[] {
  return csvRows(csv)
    .slice(1)
    .map(
      ([method, name, error, occurrences]) =>
        `${method ? `${method} ${name}` : name} | ${error} | ${occurrences}`,
    )
    .sort();
}
