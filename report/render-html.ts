// One self-contained HTML file per run: the verdict and its findings first, then the classes, charts over
// time, the per-endpoint table, codes and failures, the pack's own counters, and the run's metadata.
// Everything from the server or the config is escaped.
//
// Charts: uPlot (inlined from node_modules, MIT, about 50 KB) draws them when scripts run: time axes with
// elapsed and wall-clock ticks, values on hover, cursors in step across charts, series toggled from the
// legend. Chosen over more hand-drawn SVG because it is built for time series and gives all of that for
// 50 KB. Under each one the same chart is drawn as inline SVG at render time, with the same ticks, so a
// viewer that blocks scripts still shows it.
import path from 'node:path';
import type { EvaluationDocument } from '../documents/evaluation-document.js';
import type { EndpointResult, Evaluation } from '../grading/evaluation.js';
import { failureRows } from '../grading/evaluation.js';
import { evidenceNote } from '../grading/evidence.js';
import { findings } from '../grading/findings.js';
import { shownVerdict } from '../grading/run-stop.js';
import { baselineSection } from './baseline-section.js';
import { escapeHtml, LOCALE_SHIM, uplotAssets } from './html-primitives.js';
import { CAPACITY_SCRIPT, renderCapacity, shownRow } from './render-capacity.js';
import { type ChartSeries, chartSeries, type Point, type Values } from './series.js';

export type { EvaluationDocument };
export { escapeHtml };

const num = (value: number | null | undefined, digits = 1) =>
  value === null || value === undefined || !Number.isFinite(value) ? '–' : value.toFixed(digits);
const pct = (r: number) => `${(r * 100).toFixed(2)} %`;
const TIER_CLASS: Record<string, string> = {
  excellent: 't-ex',
  good: 't-good',
  acceptable: 't-acc',
  poor: 't-poor',
  unacceptable: 't-bad',
};
const PALETTE = [
  '#2563eb',
  '#dc2626',
  '#16a34a',
  '#d97706',
  '#7c3aed',
  '#0891b2',
  '#db2777',
  '#65a30d',
  '#92400e',
  '#475569',
  '#0d9488',
  '#9333ea',
  '#ca8a04',
];

// ---- time axis --------------------------------------------------------------------------------------------

const STEPS_S = [5, 10, 15, 20, 30, 60, 120, 180, 300, 600, 900, 1200, 1800, 3600, 7200];

/** Tick positions (ms): multiples of a round step after the run's start, about `most` of them. */
export function timeTicks(t0: number, t1: number, most = 7): number[] {
  const span = Math.max(1, (t1 - t0) / 1000);
  const step = (STEPS_S.find((s) => span / s <= most) ?? 3600 * Math.ceil(span / most / 3600)) * 1000;
  const out: number[] = [];
  for (let tick = t0; tick <= t1 + 1; tick += step) out.push(tick);
  return out;
}

export function elapsedLabel(ms: number): string {
  const seconds = Math.round(ms / 1000);
  const minutes = Math.floor(seconds / 60);
  const secondsLeft = seconds % 60;
  return minutes === 0
    ? `+${secondsLeft}s`
    : secondsLeft === 0
      ? `+${minutes}m`
      : `+${minutes}m${String(secondsLeft).padStart(2, '0')}s`;
}

export function clockLabel(ms: number): string {
  return new Date(ms).toISOString().slice(11, 19);
}

// ---- charts -----------------------------------------------------------------------------------------------

interface Line {
  label: string;
  color: string;
  values: Values;
}

interface Chart {
  id: string;
  title: string;
  unit: string;
  lines: Line[];
  note?: string;
}

/** A moment marked on every chart: the guard's warnings and its stop (epoch ms). */
export interface ChartMark {
  t: number;
  kind: 'warn' | 'stop';
  label: string;
}

/** A chart as inline SVG with its time ticks; data-points lets tests check that it has data. */
export function lineChart(
  chart: Chart,
  times: number[],
  t0: number,
  width = 560,
  height = 230,
  marks: readonly ChartMark[] = [],
): string {
  const pad = { l: 52, r: 12, t: 10, b: 44 };
  const all = chart.lines
    .flatMap((l) => l.values)
    .filter((v): v is number => v !== null && Number.isFinite(v));
  const max = Math.max(1, ...all) * 1.1;
  const t1 = times[times.length - 1] ?? t0 + 1;
  const span = Math.max(1, t1 - t0);
  const xOf = (t: number) => pad.l + ((t - t0) / span) * (width - pad.l - pad.r);
  const yOf = (v: number) => height - pad.b - (v / max) * (height - pad.t - pad.b);
  const grid = [0, 0.25, 0.5, 0.75, 1]
    .map((fraction) => {
      const value = max * fraction;
      return (
        `<line x1="${pad.l}" x2="${width - pad.r}" y1="${yOf(value)}" y2="${yOf(value)}" class="grid"/>` +
        `<text x="${pad.l - 6}" y="${yOf(value) + 4}" text-anchor="end">` +
        `${num(value, value < 10 ? 1 : 0)}</text>`
      );
    })
    .join('');
  const ticks =
    times.length > 0
      ? timeTicks(t0, t1)
          .map((tick) => {
            const tx = xOf(tick).toFixed(1);
            const base = height - pad.b;
            return (
              `<line x1="${tx}" x2="${tx}" y1="${base}" y2="${base + 4}" class="tick"/>` +
              `<text x="${tx}" y="${base + 16}" text-anchor="middle">${elapsedLabel(tick - t0)}</text>` +
              `<text x="${tx}" y="${base + 29}" text-anchor="middle" class="clock">${clockLabel(tick)}</text>`
            );
          })
          .join('')
      : '';
  let points = 0;
  const paths = chart.lines
    .map((line) => {
      const pts = line.values
        .map((value, index) =>
          value === null || !Number.isFinite(value)
            ? null
            : `${xOf(times[index]!).toFixed(1)},${yOf(value).toFixed(1)}`,
        )
        .filter((p): p is string => p !== null);
      points += pts.length;
      // A single period still gets a visible mark.
      const [cx, cy] = pts.length === 1 ? pts[0]!.split(',') : [];
      const dot = cx === undefined ? '' : `<circle cx="${cx}" cy="${cy}" r="3" fill="${line.color}"/>`;
      return (
        `<polyline fill="none" stroke="${line.color}" stroke-width="2" points="${pts.join(' ')}"/>` + `${dot}`
      );
    })
    .join('');
  const legend = chart.lines
    .map((l) => `<span style="color:${l.color}">■</span> ${escapeHtml(l.label)}`)
    .join(' &nbsp; ');
  const bottom = height - pad.b;
  const axis = `<line x1="${pad.l}" x2="${width - pad.r}" y1="${bottom}" y2="${bottom}" class="axis"/>`;
  const marked = marks
    .map((mark) => {
      const mx = xOf(Math.min(Math.max(mark.t, t0), t1)).toFixed(1);
      return (
        `<line x1="${mx}" x2="${mx}" y1="${pad.t}" y2="${bottom}" class="mark ${mark.kind}">` +
        `<title>${escapeHtml(mark.label)}</title></line>`
      );
    })
    .join('');
  return (
    `<div class="static"><svg viewBox="0 0 ${width} ${height}" role="img" ` +
    `aria-label="${escapeHtml(chart.title)}" data-points="${points}">` +
    `${grid}${axis}${ticks}${paths}${marked}</svg>` +
    `<div class="legend">${legend}</div></div>`
  );
}

function chartsOf(series: ChartSeries): Chart[] {
  const points = series.points;
  const colored = (entries: Array<[string, Values]>, offset = 0): Line[] =>
    entries.map(([label, values], i) => ({ label, values, color: PALETTE[(i + offset) % PALETTE.length]! }));
  const classes = [...series.requestsByClass].sort((a, b) => a[0].localeCompare(b[0]));
  const byCode = [...series.failuresByCode].sort(
    (a, b) => b[1].reduce<number>((x, v) => x + (v ?? 0), 0) - a[1].reduce<number>((x, v) => x + (v ?? 0), 0),
  );
  const users = [...series.usersByClass].sort((a, b) => a[0].localeCompare(b[0]));
  return [
    {
      id: 'chart-requests',
      title: 'Requests per second',
      unit: 'req/s',
      lines: [
        { label: 'all', color: '#111827', values: points.map((x) => x.requestsPerSec) },
        ...colored(classes),
      ],
    },
    {
      id: 'chart-latency',
      title: 'Response time',
      unit: 'ms',
      note: 'time to first byte, all requests',
      lines: [
        { label: 'p50', color: '#16a34a', values: points.map((x) => x.p50) },
        { label: 'p95', color: '#d97706', values: points.map((x) => x.p95) },
        { label: 'p99', color: '#dc2626', values: points.map((x) => x.p99) },
      ],
    },
    {
      id: 'chart-classes',
      title: 'Response time per operation class',
      unit: 'ms',
      note: 'p95 per 10 s period',
      lines: colored([...series.p95ByClass].sort((a, b) => a[0].localeCompare(b[0]))),
    },
    {
      id: 'chart-worst',
      title: `p95 of the ${series.p95ByEndpoint.size} slowest endpoints`,
      unit: 'ms',
      note: 'slowest by p95 over the run',
      lines: colored([...series.p95ByEndpoint], 1),
    },
    {
      id: 'chart-failures',
      title: 'Failures per second by status or error code',
      unit: 'failed/s',
      note: 'the requests the verdict counts as failed',
      lines: [
        { label: 'all', color: '#111827', values: points.map((x) => x.failuresPerSec) },
        ...colored(byCode.slice(0, 8), 1),
      ],
    },
    {
      id: 'chart-users',
      title: 'Users per class',
      unit: 'users',
      note: series.usersByClassAlive
        ? 'alive per period'
        : 'started so far (this run did not count ends per class)',
      lines: [
        { label: 'all alive', color: '#111827', values: points.map((x) => x.users) },
        ...colored(users),
      ],
    },
  ];
}

/** The charts' data for the script: JSON, with `<` escaped so no name can close the script element. */
function chartJson(charts: Chart[], points: Point[], t0: number, marks: readonly ChartMark[]): string {
  const round = (v: number | null) => (v === null || !Number.isFinite(v) ? null : Math.round(v * 100) / 100);
  const data = {
    t0: t0 / 1000,
    marks: marks.map((m) => ({ t: m.t / 1000, kind: m.kind })),
    t: points.map((x) => x.t / 1000),
    charts: charts.map((chart) => ({
      id: chart.id,
      unit: chart.unit,
      lines: chart.lines.map((l) => ({ label: l.label, color: l.color, values: l.values.map(round) })),
    })),
  };
  return JSON.stringify(data).replace(/</g, '\\u003c');
}

function chartsSection(series: ChartSeries, t0: number, marks: readonly ChartMark[] = []): string {
  // a run stopped before its first 10 s period ended has totals but no time series
  if (series.points.length === 0)
    return '<section class="charts"><p class="note">No reporting period completed: no charts.</p></section>';
  const charts = chartsOf(series);
  const times = series.points.map((x) => x.t);
  const figures = charts
    .filter((c) => c.lines.length > 0)
    .map(
      (chart) =>
        `<figure class="chart" id="${chart.id}"><figcaption>${escapeHtml(chart.title)} ` +
        `<span class="unit">(${escapeHtml(chart.unit)}` +
        `${chart.note ? `; ${escapeHtml(chart.note)}` : ''})</span>` +
        '</figcaption>\n' +
        `<div class="plot"></div>${lineChart(chart, times, t0, 560, 230, marks)}</figure>`,
    )
    .join('\n');
  return `<section class="charts">
${figures}
</section>
<script type="application/json" id="chart-data">${chartJson(charts, series.points, t0, marks)}</script>`;
}

// The charts with uPlot: x in seconds since the epoch; ticks at round steps after the run's start, labelled
// with the elapsed time and the UTC clock; the legend shows the values under the cursor.
const CHART_SCRIPT = `(function () {
  var source = document.getElementById('chart-data');
  if (typeof uPlot === 'undefined' || !source) return;
  var data = JSON.parse(source.textContent);
  var t0 = data.t0, tEnd = Math.max(t0 + 10, data.t.length ? data.t[data.t.length - 1] : t0);
  var STEPS = [5, 10, 15, 20, 30, 60, 120, 180, 300, 600, 900, 1200, 1800, 3600, 7200];
  function pad(n) { return (n < 10 ? '0' : '') + n; }
  function clock(s) {
    var d = new Date(s * 1000);
    return pad(d.getUTCHours()) + ':' + pad(d.getUTCMinutes()) + ':' + pad(d.getUTCSeconds());
  }
  function elapsed(s) {
    var e = Math.round(s - t0), m = Math.floor(e / 60), r = e % 60;
    return m === 0 ? '+' + r + 's' : r === 0 ? '+' + m + 'm' : '+' + m + 'm' + pad(r) + 's';
  }
  function fmt(v) {
    var a = Math.abs(v);
    return a >= 100 ? v.toFixed(0) : a >= 10 ? v.toFixed(1) : v.toFixed(2);
  }
  function splits(u, i, min, max) {
    var span = Math.max(1, max - min), step = STEPS[STEPS.length - 1];
    for (var k = 0; k < STEPS.length; k++) if (span / STEPS[k] <= 7) { step = STEPS[k]; break; }
    var out = [];
    var v = t0 + Math.ceil((min - t0) / step) * step;
    for (; v <= max + 1e-6 && out.length < 20; v += step) out.push(v);
    return out;
  }
  var plots = [];
  data.charts.forEach(function (c) {
    var fig = document.getElementById(c.id);
    if (!fig) return;
    var box = fig.querySelector('.plot');
    var opts = {
      width: Math.max(300, box.clientWidth), height: 230,
      cursor: { sync: { key: 'btcw' }, points: { size: 7 } },
      legend: { live: true },
      // room on the right for the last tick's label, which is centred on the plot's edge
      padding: [12, 36, 0, 0],
      // the run's own span, never uPlot's guess: for a lone point it widens x to [0, 2t], and the
      // ticks of that span froze the page
      scales: { x: { time: false, range: function () { return [t0, tEnd]; } } },
      series: [{ label: 'time',
          value: function (u, v) { return v == null ? '–' : elapsed(v) + ' (' + clock(v) + ' UTC)'; } }]
        .concat(c.lines.map(function (l) {
          // dots where a value has no neighbour to draw a line to
          var lone = l.values.some(function (v, i) {
            return v != null && l.values[i - 1] == null && l.values[i + 1] == null;
          });
          return { label: l.label, stroke: l.color, width: 2, points: { show: lone || data.t.length < 4 },
            value: function (u, v) { return v == null ? '–' : fmt(v) + ' ' + c.unit; } };
        })),
      // the guard's warnings (amber) and stop (red), as the static chart marks them
      hooks: { draw: [function (u) {
        (data.marks || []).forEach(function (m) {
          var px = u.valToPos(Math.min(Math.max(m.t, t0), tEnd), 'x', true);
          var ctx = u.ctx;
          ctx.save();
          ctx.strokeStyle = m.kind === 'stop' ? '#b91c1c' : '#d97706';
          ctx.lineWidth = 2 * devicePixelRatio;
          ctx.setLineDash([6 * devicePixelRatio, 4 * devicePixelRatio]);
          ctx.beginPath();
          ctx.moveTo(px, u.bbox.top);
          ctx.lineTo(px, u.bbox.top + u.bbox.height);
          ctx.stroke();
          ctx.restore();
        });
      }] },
      axes: [
        { splits: splits, size: 44, values: function (u, vals) {
          return vals.map(function (v) { return elapsed(v) + '\\n' + clock(v); });
        } },
        { size: 56 }
      ]
    };
    plots.push([new uPlot(opts, [data.t].concat(c.lines.map(function (l) { return l.values; })), box), box]);
    fig.classList.add('live');
  });
  window.addEventListener('resize', function () {
    plots.forEach(function (p) { p[0].setSize({ width: Math.max(300, p[1].clientWidth), height: 230 }); });
  });
})();`;

// ---- tables -----------------------------------------------------------------------------------------------

const LATENCY_COLUMNS = ['mean', 'p50', 'p95', 'p99', 'max'] as const;

/** A table head from column names. */
const thead = (cols: string[]) =>
  `<thead><tr>${cols.map((c) => `<th>${escapeHtml(c)}</th>`).join('')}</tr></thead>`;

/** What the sample shows where it did not decide alone (grading/evidence.ts): no pass, no fail. */
function evidenceCell(ep: EndpointResult): string {
  const evidence = ep.evidence;
  if (!evidence || (evidence.status !== 'too-few' && evidence.status !== 'unproven')) return '';
  const why = evidence.status === 'too-few' ? 'too few to judge alone' : 'not shown';
  const title = escapeHtml(evidenceNote(evidence));
  return ` <small class="evidence" title="${title}">${why}: graded in its class</small>`;
}

function endpointRows(eps: EndpointResult[]): string {
  return eps
    .map(
      (ep) => `<tr>
<td class="name">${escapeHtml(ep.name)}</td><td>${escapeHtml(ep.class)}</td>
<td class="n" data-v="${ep.requests}">${ep.requests}</td><td class="n" data-v="${ep.failed}">${ep.failed}</td>
<td class="n" data-v="${ep.errorRate}">${pct(ep.errorRate)}</td>
<td class="n" data-v="${ep.throughput ?? 0}">${num(ep.throughput, 2)}</td>
${LATENCY_COLUMNS.map(
  (k) => `<td class="n" data-v="${ep.latency?.[k] ?? -1}">${num(ep.latency?.[k])}</td>`,
).join('')}
<td class="${TIER_CLASS[ep.tier ?? ''] ?? ''}">${escapeHtml(ep.tier ?? 'no responses')}${
        ep.meetsTarget ? '' : ` <small>(target ${escapeHtml(ep.targetTier)})</small>`
      }${evidenceCell(ep)}</td></tr>`,
    )
    .join('\n');
}

/** Status codes received, and the failures exactly as the verdict counted them (endpoints[].failures). */
function breakdown(evaluation: Evaluation): string {
  const codes = new Map<string, number>();
  for (const endpoint of evaluation.endpoints)
    for (const [code, count] of Object.entries(endpoint.codes))
      codes.set(code, (codes.get(code) ?? 0) + count);
  const codeRows = [...codes]
    .sort()
    .map(([code, count]) => `<tr><td>${escapeHtml(code)}</td><td class="n">${count}</td></tr>`)
    .join('');
  const failures = evaluation.endpoints
    .flatMap((x) => failureRows(x.failures).map((r) => ({ name: x.name, ...r })))
    .sort((a, b) => b.count - a.count || a.name.localeCompare(b.name));
  const failureRowsHtml = failures
    .map(
      (failure) =>
        `<tr><td class="name">${escapeHtml(failure.name)}</td><td>${escapeHtml(failure.label)}</td>` +
        `<td class="n" data-v="${failure.count}">${failure.count}</td></tr>`,
    )
    .join('');
  const total = failures.reduce((a, f) => a + f.count, 0);
  return `<section class="two"><div><h2>Status codes</h2>
<table>${thead(['code', 'responses'])}
<tbody>${codeRows || '<tr><td colspan="2">none</td></tr>'}</tbody></table></div>
<div><h2>Failures <small>(as the verdict counts them: a status the request does not expect, or a network
error)</small></h2><table class="sortable" id="failures">${thead(['request', 'status or error', 'count'])}
<tbody>${failureRowsHtml || '<tr><td colspan="3">no failed requests</td></tr>'}</tbody>
<tfoot><tr><td>all failed requests</td><td></td><td class="n" id="failures-total">${total}</td></tr></tfoot>
</table></div></section>`;
}

const SORT_SCRIPT = `document.querySelectorAll('table.sortable').forEach(function (table) {
  table.querySelectorAll('thead th').forEach(function (th, i) {
    th.title = 'sort';
    th.addEventListener('click', function () {
      var tbody = table.tBodies[0];
      var dir = th.dataset.dir === 'desc' ? 1 : -1; th.dataset.dir = dir === 1 ? 'asc' : 'desc';
      table.querySelectorAll('thead th').forEach(function (o) { if (o !== th) delete o.dataset.dir; });
      Array.prototype.slice.call(tbody.rows).sort(function (a, b) {
        var x = a.cells[i], y = b.cells[i];
        if (!x || !y) return 0;
        var vx = x.dataset.v !== undefined ? parseFloat(x.dataset.v) : x.textContent;
        var vy = y.dataset.v !== undefined ? parseFloat(y.dataset.v) : y.textContent;
        return (vx > vy ? 1 : vx < vy ? -1 : 0) * dir;
      }).forEach(function (r) { tbody.appendChild(r); });
    });
  });
});`;

const STYLE = `body{font:14px/1.45 system-ui,sans-serif;margin:0;color:#111827;background:#f9fafb}
main{max-width:1200px;margin:0 auto;padding:20px}
.banner{padding:16px 20px;border-radius:8px;color:#fff;margin-bottom:16px}.banner.ABORTED{background:#7f1d1d}
line.mark{stroke-width:2;stroke-dasharray:6 4}line.mark.stop{stroke:#b91c1c}line.mark.warn{stroke:#d97706}
.banner h1{margin:0 0 6px;font-size:24px}.banner .headline{font-size:16px;font-weight:600;margin:8px 0 4px}
.banner ol{margin:4px 0 0;padding-left:24px}.banner li{margin:2px 0}
.banner .tag{font-size:11px;font-weight:700;border:1px solid #fff9;border-radius:3px;padding:0 4px;
margin-right:6px}
.banner details{margin-top:8px}.banner summary{cursor:pointer;opacity:.9}
.banner details ul{margin:4px 0;padding-left:20px;font-size:13px}
.banner.step{background:#475569}.PASS{background:#15803d}.WARN{background:#b45309}.FAIL{background:#b91c1c}
.INTERRUPTED,.KILLED{background:#4b5563}
table{border-collapse:collapse;width:100%;background:#fff;margin-bottom:16px}
th,td{border-bottom:1px solid #e5e7eb;padding:4px 8px;text-align:left;vertical-align:top}
th{background:#f3f4f6;white-space:nowrap}table.sortable th{cursor:pointer}
th[data-dir=asc]::after{content:" ▲"}th[data-dir=desc]::after{content:" ▼"}
td.n{text-align:right;font-variant-numeric:tabular-nums}tfoot td{font-weight:600}
td.name{font-family:ui-monospace,monospace;font-size:12px;word-break:break-all}
.t-ex{background:#dcfce7}.t-good{background:#ecfccb}.t-acc{background:#fef9c3}
.t-poor{background:#fed7aa}.t-bad{background:#fecaca}
.charts{display:grid;grid-template-columns:repeat(auto-fit,minmax(520px,1fr));gap:12px;margin-bottom:16px}
.chart{margin:0;background:#fff;border:1px solid #e5e7eb;border-radius:6px;padding:8px;min-width:0}
figcaption{font-weight:600;margin-bottom:4px}.unit{font-weight:400;color:#6b7280}
.chart.live .static{display:none}.chart .legend{font-size:12px;color:#374151}
.uplot{width:100%}.u-legend{font-size:12px;text-align:left}.u-legend .u-series>*{padding:1px 4px}
svg{width:100%;height:auto;font-size:11px}svg .grid{stroke:#e5e7eb}svg .axis,svg .tick{stroke:#9ca3af}
svg text{fill:#6b7280}svg text.clock{fill:#9ca3af}
.two{display:grid;grid-template-columns:1fr 2fr;gap:12px}.meta td:first-child{color:#6b7280;width:180px}
.note{background:#eff6ff;border-left:4px solid #2563eb;padding:8px 12px;margin:12px 0}
h2{font-size:17px;margin:18px 0 8px}h2 small{font-weight:400;color:#6b7280;font-size:13px}`;

function metaRows(doc: EvaluationDocument, points: Point[]): string {
  const meta = doc.meta ?? {};
  const evaluation = doc.evaluation;
  const start = points[0] ? new Date(points[0].t - 10_000).toISOString() : null;
  const end = points.length ? new Date(points[points.length - 1]!.t).toISOString() : null;
  const rows: Array<[string, unknown]> = [
    ['profile', meta.profile],
    ['user mix', meta.userMix],
    ['engine', meta.engine],
    ['environment', meta.environment],
    ['target', meta.target],
    ['run tag', meta.runTag],
    ['seed', meta.seed],
    ['containers', meta.containers],
    ['started (about)', start],
    ['ended', end],
    [
      'measured duration',
      evaluation.durationSeconds === null ? null : `${num(evaluation.durationSeconds, 0)} s`,
    ],
    ['statistic graded', evaluation.statistic],
    ['targets file', meta.targetsFile ? path.basename(meta.targetsFile) : null],
    [
      '[ADMIN LOGIN] expects',
      meta.adminLogin ? `${meta.adminLogin.status}: ${meta.adminLogin.reason}` : null,
    ],
    ['Artillery', meta.artillery],
    ['Node', meta.node],
    ['interrupted', meta.interrupted ? 'yes: partial results' : 'no'],
  ];
  return rows
    .filter(([, value]) => value !== undefined && value !== null && value !== '')
    .map(([label, value]) => `<tr><td>${escapeHtml(label)}</td><td>${escapeHtml(value)}</td></tr>`)
    .join('');
}

const ONE_OFF =
  '<p class="note"><b>one-off</b>: the class\'s traffic was set-up, not the steady load (most of it in ' +
  "the run's first half, e.g. start-up logins), so no throughput verdict is given.</p>";
const NOT_EXERCISED =
  '<p class="note"><b>not-exercised</b>: the load offered stayed below the throughput target while the ' +
  'server kept up, so the target was not tested; the rate achieved is shown.</p>';
const ENDPOINT_COLUMNS = [
  'request',
  'class',
  'requests',
  'failed',
  'error %',
  'req/s',
  'mean',
  'p50',
  'p95',
  'p99',
  'max',
  'tier',
];

const CLASS_COLUMNS = (stat: string) => [
  'class',
  'requests',
  'failed',
  'req/s',
  'target req/s',
  'throughput',
  `${stat} ms`,
  'tier',
];

function findingsHtml(evaluation: Evaluation): string {
  const ranked = findings(evaluation);
  const items = ranked.lines
    .map(
      (x) => `<li class="finding ${x.kind}"><span class="tag">${x.verdict}</span>${escapeHtml(x.text)}</li>`,
    )
    .join('');
  const all =
    ranked.all.length > 0
      ? `<details id="all-reasons"><summary>Every reason of the verdict (${ranked.all.length})</summary>` +
        `<ul>${ranked.all.map((r) => `<li><b>${r.verdict}</b> ${escapeHtml(r.message)}</li>`).join('')}` +
        '</ul></details>'
      : '';
  const list = items ? `<ol id="findings">${items}</ol>` : '';
  return `<p class="headline" id="headline">${escapeHtml(ranked.headline)}</p>${list}${all}`;
}

/** The guard's warnings and its stop; a regraded run keeps only its stop's moment (RunStop.at). */
function chartMarks(graded: Evaluation): ChartMark[] {
  const { guard, stop } = graded;
  const events = (guard?.events ?? []).filter((event) => event.action !== 'none');
  const marks: ChartMark[] = events.map((event) => ({
    t: event.at,
    kind: event.action === 'stop' ? 'stop' : 'warn',
    label: event.message,
  }));
  if (stop?.kind === 'ABORTED' && stop.at !== undefined && !marks.some((mark) => mark.kind === 'stop'))
    marks.push({ t: stop.at, kind: 'stop', label: stop.line });
  return marks;
}

export function renderHtml(doc: EvaluationDocument): string {
  const graded = doc.evaluation;
  const periods = doc.intermediate ?? [];
  const series = chartSeries(periods, graded);
  const t0 = Math.min(...periods.map((p) => p.firstMetricAt ?? Infinity), series.points[0]?.t ?? 0);
  const pack = graded.pack;
  // A run that ended early shows how it ended, not the grade of its partial periods alone.
  const early = graded.stop ? `graded so far: ${graded.verdict}, partial results` : null;
  const note = [doc.meta?.profile, early ?? (doc.meta?.interrupted ? 'interrupted: partial results' : null)]
    .filter(Boolean)
    .join(', ');
  const capacity = doc.capacity;
  const shown = capacity ? shownRow(capacity) : undefined;
  const title = capacity
    ? `BTC Watcher ${capacity.answer.line}`
    : `BTC Watcher load test: ${shownVerdict(graded)}${note ? ` (${String(note)})` : ''}`;
  // A capacity report's banner is one step's own verdict, under the answer, in no verdict's colour. It
  // grades the step's whole run, its login wave included, which the finder's grading leaves out.
  const bannerTitle = capacity
    ? `Step ${shown?.index ?? '–'} (${shown?.users ?? '–'} users) graded as a whole run, start-up ` +
      `included: ${shownVerdict(graded)}`
    : title;
  const bannerClass = capacity ? 'step' : shownVerdict(graded);
  const marks = chartMarks(graded);
  const classRows = graded.classes
    .map(
      (
        classResult,
      ) => `<tr><td>${escapeHtml(classResult.class)}</td><td class="n">${classResult.requests}</td>
<td class="n">${pct(classResult.errorRate)}</td><td class="n">${num(classResult.throughput, 2)}</td>
<td class="n">${classResult.throughputTarget ?? '–'}</td><td>${escapeHtml(classResult.throughputStatus)}</td>
<td class="n">${num(classResult.value)}${classResult.latencyApproximate ? '*' : ''}</td>
<td class="${TIER_CLASS[classResult.tier ?? ''] ?? ''}">${escapeHtml(classResult.tier ?? '–')}</td></tr>`,
    )
    .join('');
  const kv = (counts: Record<string, number>) =>
    Object.entries(counts)
      .map(([name, count]) => `${escapeHtml(name)} ${count}`)
      .join(', ') || 'none';
  const assets = uplotAssets();
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1">
<title>${escapeHtml(title)}</title><style>${assets.css}</style><style>${STYLE}</style></head>
<body><main>
${capacity ? renderCapacity(capacity) : ''}
<section class="banner ${bannerClass}" id="verdict"><h1>${escapeHtml(bannerTitle)}</h1>
${graded.stop ? `<div class="headline">${escapeHtml(graded.stop.line)}</div>` : ''}
<div>${graded.overall.requests} requests · ${pct(graded.overall.errorRate)} failed
(${escapeHtml(graded.overall.errorLevel)}) ·
${escapeHtml(graded.statistic)} ${num(graded.overall.value)} ms (${escapeHtml(graded.overall.tier ?? '–')}) ·
${num(graded.overall.throughput, 2)} req/s · exit code ${graded.exitCode}</div>
${findingsHtml(graded)}</section>
<h2>Operation classes</h2>
<table>${thead(CLASS_COLUMNS(graded.statistic))}
<tbody>${classRows}</tbody></table>
${graded.classes.some((c) => c.throughputStatus === 'not-exercised') ? NOT_EXERCISED : ''}
${graded.classes.some((c) => c.throughputStatus === 'one-off') ? ONE_OFF : ''}
${chartsSection(series, t0, marks)}
<h2>Endpoints <small>(click a heading to sort)</small></h2>
<table class="sortable" id="endpoints">${thead(ENDPOINT_COLUMNS)}
<tbody>${endpointRows(graded.endpoints)}</tbody></table>
${baselineSection(graded)}
${breakdown(graded)}
<h2>Users</h2>
<table class="meta"><tbody>
<tr><td>started</td><td>${kv(pack.usersStarted)}</td></tr>
<tr><td>peak concurrent</td><td>${pack.peakConcurrentUsers ?? '–'}</td></tr>
<tr><td>logins / re-logins / retries</td><td>${pack.logins} / ${pack.relogins} / ${pack.loginRetries ?? 0}${
    pack.unexpected401 ? ` (unexpected 401s: ${pack.unexpected401})` : ''
  }</td></tr>
<tr><td>stopped early</td><td>${kv(pack.usersStopped)}</td></tr>
<tr><td>steps skipped (no id)</td><td>${kv(pack.skipped)}</td></tr>
</tbody></table>
<p class="note">Users loop with think time (a closed model, like Locust): when the server slows down, users
send less, so latency under saturation is understated (coordinated omission). Use an arrival-rate run to
measure capacity.
Response times are time to first byte.</p>
<h2>Run</h2><table class="meta"><tbody>${metaRows(doc, series.points)}</tbody></table>
</main><script>${LOCALE_SHIM}${assets.js}</script><script>${CHART_SCRIPT}</script>
${doc.capacity ? `<script>${CAPACITY_SCRIPT}</script>` : ''}
<script>${SORT_SCRIPT}</script></body></html>
`;
}
