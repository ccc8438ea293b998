// The capacity finder's part of the report: the answer line, one row per step, and a chart of achieved
// throughput and p95 against the offered load, where the knee shows: throughput flattens while p95 climbs.
// The chart is drawn by uPlot when scripts run (the report already inlines it), and as inline SVG under it
// for viewers that block scripts, as the report's other charts are.
import { type CapacityResult, type CapacityStepRow, generatorFailed } from '../grading/capacity-grading.js';
import { escapeHtml } from './html-primitives.js';

const num = (value: number | null | undefined, digits = 1) =>
  value === null || value === undefined || !Number.isFinite(value) ? '–' : value.toFixed(digits);
const pct = (r: number | null) => (r === null ? '–' : `${(r * 100).toFixed(r < 0.1 ? 2 : 1)} %`);

/** The slowest class's p95 of a step: what the chart's latency line shows. */
export function stepP95(row: CapacityStepRow): number | null {
  const p95s = row.classes.map((c) => c.p95).filter((x): x is number => x !== null);
  return p95s.length === 0 ? null : Math.max(...p95s);
}

function limitCell(row: CapacityStepRow): string {
  if (row.passed) return 'meets every target';
  if (row.limits.length === 0) return 'too few requests to judge';
  return row.limits.map((l) => `<b>${escapeHtml(l.subject)}</b>: ${escapeHtml(l.message)}`).join('<br>');
}

function generatorCell(row: CapacityStepRow): string {
  const cpu =
    row.generator.share === null
      ? '–'
      : `${(row.generator.share * 100).toFixed(0)} % of ${row.generator.budget}`;
  const added = row.generator.addedP95;
  return added === null || added === undefined ? cpu : `${cpu}<br>added p95 ${num(added)} ms`;
}

function classesCell(row: CapacityStepRow): string {
  return row.classes
    .map((c) => `${escapeHtml(c.class)} ${num(c.p50, 0)} / ${num(c.p95, 0)} / ${num(c.p99, 0)}`)
    .join('<br>');
}

/** Inline SVG: achieved req/s (left scale) and p95 ms (right scale) over users. */
export function capacitySvg(rows: readonly CapacityStepRow[], width = 560, height = 230): string {
  const pts = [...rows].sort((a, b) => a.users - b.users);
  if (pts.length === 0) return '';
  const pad = { l: 50, r: 50, t: 10, b: 30 };
  const xMax = Math.max(...pts.map((p) => p.users)) * 1.05;
  const yMax = Math.max(1, ...pts.map((p) => p.achieved ?? 0)) * 1.1;
  const lMax = Math.max(1, ...pts.map((p) => stepP95(p) ?? 0)) * 1.1;
  const xOf = (u: number) => pad.l + (u / xMax) * (width - pad.l - pad.r);
  const yOf = (v: number, max: number) => height - pad.b - (v / max) * (height - pad.t - pad.b);
  const line = (values: Array<[number, number | null]>, max: number, color: string) => {
    const ok = values.filter((v): v is [number, number] => v[1] !== null);
    const points = ok
      .map(([users, value]) => `${xOf(users).toFixed(1)},${yOf(value, max).toFixed(1)}`)
      .join(' ');
    const dots = ok
      .map(
        ([users, value]) =>
          `<circle cx="${xOf(users).toFixed(1)}" cy="${yOf(value, max).toFixed(1)}" r="3" fill="${color}"/>`,
      )
      .join('');
    return `<polyline fill="none" stroke="${color}" stroke-width="2" points="${points}"/>${dots}`;
  };
  const base = height - pad.b;
  const axis = `<line x1="${pad.l}" y1="${base}" x2="${width - pad.r}" y2="${base}" stroke="#999"/>`;
  const labels = pts
    .map(
      (step) =>
        `<text x="${xOf(step.users).toFixed(1)}" y="${height - 12}" font-size="11" ` +
        `text-anchor="middle">${step.users}</text>`,
    )
    .join('');
  const scale =
    `<text x="4" y="${pad.t + 10}" font-size="11" fill="#2563eb">${num(yMax, 0)} req/s</text>` +
    `<text x="${width - 4}" y="${pad.t + 10}" font-size="11" text-anchor="end" fill="#dc2626">` +
    `${num(lMax, 0)} ms</text>`;
  return (
    `<svg class="static" viewBox="0 0 ${width} ${height}" width="100%" role="img" ` +
    `aria-label="achieved req/s and p95 against offered users">${axis}${labels}${scale}` +
    `${line(
      pts.map((p) => [p.users, p.achieved]),
      yMax,
      '#2563eb',
    )}` +
    `${line(
      pts.map((p) => [p.users, stepP95(p)]),
      lMax,
      '#dc2626',
    )}</svg>`
  );
}

/** Which step's whole run the rest of the report shows: the best passing one, else the last one. */
export function shownRow(result: CapacityResult): CapacityStepRow | undefined {
  return result.steps.find((r) => r.passed && r.users === result.answer.users) ?? result.steps.at(-1);
}

function shownStep(result: CapacityResult): string {
  const row = shownRow(result);
  return row
    ? `The sections below show step ${row.index}'s whole run (${row.users} users, settle included).`
    : '';
}

export function renderCapacity(result: CapacityResult): string {
  const rows = result.steps
    .map(
      (row) => `<tr class="${row.passed ? 'pass' : 'break'}"><td class="n">${row.index}</td>
<td class="n">${row.users}</td>
<td class="n">${num(row.achieved)}</td><td>${classesCell(row)}</td><td class="n">${pct(row.errorRate)}</td>
<td class="n">${generatorCell(row)}${
        row.generatorBound
          ? generatorFailed(row)
            ? " <b>users lost to the load generator's own errors</b>"
            : ' <b>bounded by the load generator, not the API</b>'
          : ''
      }</td><td>${limitCell(row)}</td></tr>`,
    )
    .join('\n');
  const sorted = [...result.steps].sort((a, b) => a.users - b.users);
  const data = {
    users: sorted.map((r) => r.users),
    achieved: sorted.map((r) => r.achieved),
    p95: sorted.map((r) => stepP95(r)),
  };
  // The answer leads the report: a capacity run's verdict is its answer, not the shown step's PASS.
  return (
    `<section id="capacity"><h1 id="capacity-answer">${escapeHtml(result.answer.line)}</h1>
<p class="note">Offered load: concurrent users of the mix ${escapeHtml(result.mix)} ` +
    `(a closed model: each user logs
in, then loops task and think time, think factor ${result.thinkFactor}). ` +
    `Each step ran ${result.stepSeconds} s; the
${result.settleSeconds} s settle time is not graded. The finder stopped: ${escapeHtml(result.stoppedBecause)}.
${shownStep(result)}</p>
<table id="capacity-steps"><thead><tr><th>step</th><th>offered (users)</th><th>achieved req/s</th>
<th>p50 / p95 / p99 ms per class</th><th>error rate</th><th>generator CPU (cores), added latency</th>
<th>limit broken</th></tr>
</thead><tbody>
${rows}
</tbody></table>
<figure class="chart" id="capacity-chart"><figcaption>Achieved throughput and the slowest class's p95
against offered users <span class="unit">(req/s, left, blue; ms, right, red)</span></figcaption>
<div class="plot"></div>${capacitySvg(result.steps)}</figure>
<script type="application/json" id="capacity-data">${JSON.stringify(data).replace(/</g, '\\u003c')}</script>
</section>`
  );
}

/** Draws the capacity chart with uPlot once it is loaded; nothing when the report has no capacity part. */
export const CAPACITY_SCRIPT = `(function () {
  var el = document.getElementById('capacity-data');
  if (!el || typeof uPlot === 'undefined') return;
  var d = JSON.parse(el.textContent), fig = document.getElementById('capacity-chart');
  var box = fig.querySelector('.plot');
  // From zero, so that a flattening throughput line reads as the knee it is.
  function fromZero(u, min, max) { return [0, max > 0 ? max * 1.1 : 1]; }
  var opts = { width: Math.max(300, box.clientWidth), height: 230, legend: { live: true },
    scales: { x: { time: false }, rps: { range: fromZero }, ms: { range: fromZero } },
    series: [{ label: 'users' },
      { label: 'achieved req/s', stroke: '#2563eb', width: 2, scale: 'rps', points: { show: true } },
      { label: 'p95 ms', stroke: '#dc2626', width: 2, scale: 'ms', points: { show: true } }],
    axes: [{ label: 'offered users' }, { scale: 'rps', label: 'req/s', size: 56 },
      { scale: 'ms', side: 1, label: 'ms', size: 56, grid: { show: false } }] };
  new uPlot(opts, [d.users, d.achieved, d.p95], box);
  fig.classList.add('live');
})();`;
