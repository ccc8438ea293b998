// A report fixture: a graded synthetic run with 12 ten-second periods, failures, and hostile request names.
import type { ArtilleryReport, Summary } from '../../plugin/evaluate.js';
import { evaluate } from '../../plugin/evaluate.js';
import { loadTargets } from '../../plugin/targets.js';
import type { EvaluationDocument } from '../../report/render-html.js';
import { ROOT } from './pack.js';

export const HOSTILE_NAME = 'GET /strategies/ [<script>window.__pwned=1</script>]';
export const HOSTILE_ERROR = '<img src=x onerror="window.__pwned=2">';
const MBE = 'plugins.metrics-by-endpoint.';

const s = (p95: number, count: number): Summary => ({
  min: 1,
  max: p95 * 2,
  count,
  mean: p95 / 2,
  p50: p95 / 2,
  p95,
  p99: p95 * 1.4,
});

export function fixtureDocument(errorEvery = 50): EvaluationDocument {
  const t0 = 1_800_000_000_000;
  const intermediate: ArtilleryReport[] = [];
  const aggCounters: Record<string, number> = {};
  const add = (k: string, n: number) => {
    aggCounters[k] = (aggCounters[k] ?? 0) + n;
  };
  for (let i = 0; i < 12; i++) {
    const ok = 200 + i * 20;
    const failed = Math.floor(ok / errorEvery);
    const counters: Record<string, number> = {
      'http.requests': ok + failed + 5,
      [`${MBE}GET /strategies/ [LIST].codes.200`]: ok,
      [`${MBE}POST /strategies/ [CREATE].codes.500`]: failed,
      [`${MBE}POST /strategies/ [CREATE].codes.200`]: 5,
      [`${MBE}${HOSTILE_NAME}.errors.${HOSTILE_ERROR}`]: 1,
      'plugins.btcw-targets.responses': ok + failed + 5,
      'plugins.btcw-targets.failed.POST /strategies/ [CREATE]': failed,
      [`plugins.btcw-targets.failed.${HOSTILE_NAME}`]: 1,
      // 2 users at first, one more each period up to 10
      'btcw.users_started.StrategyReadUser': Math.min(10, 2 + i) - Math.min(10, 1 + i),
    };
    for (const [k, v] of Object.entries(counters)) add(k, v);
    intermediate.push({
      period: t0 + i * 10_000,
      firstMetricAt: t0 + i * 10_000,
      lastMetricAt: t0 + i * 10_000 + 9_900,
      counters,
      summaries: {
        'http.response_time': s(20 + i * 8, ok),
      },
    });
  }
  aggCounters['btcw.logins'] = 9;
  aggCounters['btcw.users_started.StrategyReadUser'] = 10;
  const aggregate: ArtilleryReport = {
    firstMetricAt: t0,
    lastMetricAt: t0 + 119_900,
    counters: aggCounters,
    summaries: {
      'http.response_time': s(80, 3000),
      [`${MBE}response_time.GET /strategies/ [LIST]`]: s(60, 3000),
      [`${MBE}response_time.POST /strategies/ [CREATE]`]: s(120, 60),
    },
  };
  const evaluation = evaluate({ aggregate, intermediate }, loadTargets(`${ROOT}/config/targets.yml`));
  return {
    kind: 'btcw-evaluation',
    meta: {
      profile: 'smoke',
      environment: 'local',
      target: 'http://127.0.0.1:8000',
      runTag: 'fixture',
      seed: '42',
    },
    evaluation,
    intermediate,
  };
}
