// Two runs side by side (`npm run compare -- A B`): the per-endpoint, per-class and overall deltas sorted by
// the size of the change, with each check's verdict from the regression rule, and overlaid charts of the two
// runs per 10 s period. Pure. The deltas table is also the "against the baseline" section of a run's report.
// Charts: uPlot, inlined as the run report does (report/render-html.ts); the x axis is the period's offset
// from each run's start, so the two runs line up.

import type { Snapshot, SnapshotSubject } from '../grading/metric-snapshot.js';
import type { CheckStatus, RegressionCheck, RegressionResult } from '../grading/regression.js';
import { escapeHtml, LOCALE_SHIM, uplotAssets } from './html-primitives.js';

export interface ComparedRun {
  /** What the user passed: a baseline name or a file name. */
  label: string;
  snapshot: Snapshot;
  /** One line about where it came from (profile, run tag, time). */
  about: string;
}

const STATUS_ORDER: CheckStatus[] = [
  'regression',
  'shift',
  'noise',
  'improved',
  'ok',
  'too-few',
  'new',
  'gone',
];

/** Largest change first (regressions before anything else at the same size), then by subject. */
export function sortedChecks(checks: readonly RegressionCheck[]): RegressionCheck[] {
  const size = (check: RegressionCheck) =>
    check.change === null || !Number.isFinite(check.change)
      ? check.change === null
        ? -1
        : 1e9
      : Math.abs(check.change);
  return [...checks].sort(
    (left, right) =>
      size(right) - size(left) ||
      STATUS_ORDER.indexOf(left.status) - STATUS_ORDER.indexOf(right.status) ||
      left.subject.localeCompare(right.subject),
  );
}

const fmtValue = (check: RegressionCheck, value: number | null) =>
  value === null
    ? '–'
    : check.kind === 'latency'
      ? `${value.toFixed(1)} ms`
      : `${(value * 100).toFixed(2)} %`;

/** A change as text: latency relative (+25.0 %), error rate in points (+1.20 pt). */
export function changeText(check: RegressionCheck): string {
  if (check.change === null) return '–';
  if (!Number.isFinite(check.change)) return 'new latency';
  const sign = check.change >= 0 ? '+' : '';
  return check.kind === 'latency'
    ? `${sign}${(check.change * 100).toFixed(1)} %`
    : `${sign}${(check.change * 100).toFixed(2)} pt`;
}

const what = (check: RegressionCheck, stat: string) =>
  `${check.kind === 'latency' ? stat : 'error rate'}${check.scope === 'class' ? ' (class)' : ''}`;

/** The deltas table (sortable by the report's script): one row per check, largest change first. */
export function deltasTable(result: RegressionResult, id = 'deltas'): string {
  const stat = result.rule.statistic;
  const rows = sortedChecks(result.checks)
    .map(
      (check) =>
        `<tr class="s-${check.status}"><td class="name">${escapeHtml(check.subject)}</td>` +
        `<td>${escapeHtml(what(check, stat))}</td>` +
        `<td class="n" data-v="${check.before ?? -1}">${fmtValue(check, check.before)}</td>` +
        `<td class="n" data-v="${check.after ?? -1}">${fmtValue(check, check.after)}</td>` +
        `<td class="n" data-v="${
          check.change === null ? -1e9 : Number.isFinite(check.change) ? check.change : 1e9
        }">` +
        `${changeText(check)}</td><td><b>${escapeHtml(check.status)}</b> ${escapeHtml(check.note)}</td></tr>`,
    )
    .join('\n');
  return (
    `<table class="sortable deltas" id="${id}"><thead><tr><th>subject</th><th>check</th><th>before</th>` +
    `<th>after</th><th>change</th><th>verdict</th></tr></thead>\n<tbody>${rows}</tbody></table>`
  );
}

/** Counts by status, e.g. "2 regression, 40 ok, 12 too-few". */
export function statusCounts(result: RegressionResult): string {
  const counts = new Map<CheckStatus, number>();
  for (const check of result.checks) counts.set(check.status, (counts.get(check.status) ?? 0) + 1);
  return STATUS_ORDER.filter((s) => counts.has(s))
    .map((s) => `${counts.get(s)} ${s}`)
    .join(', ');
}

export const DELTA_STYLE = `.deltas tr.s-regression td{background:#fecaca}
.deltas tr.s-noise td,.deltas tr.s-shift td{background:#fef9c3}.deltas tr.s-improved td{background:#dcfce7}
.deltas tr.s-too-few td,.deltas tr.s-new td,.deltas tr.s-gone td{color:#6b7280}`;

// ---- charts -----------------------------------------------------------------------------------------------

interface Overlay {
  id: string;
  title: string;
  unit: string;
  lines: Array<{ label: string; color: string; dash: boolean; values: Array<number | null> }>;
}

const A_COLOR = '#6b7280';
const B_COLOR = '#2563eb';
const CLASS_COLORS = ['#2563eb', '#dc2626', '#16a34a', '#d97706', '#7c3aed', '#0891b2'];

function perPeriod(
  subject: SnapshotSubject,
  valueIn: (period: SnapshotSubject['periods'][number]) => number | null,
) {
  return subject.periods.map(valueIn);
}

function overlays(
  before: ComparedRun,
  after: ComparedRun,
  stat: keyof NonNullable<SnapshotSubject['stats']>,
) {
  const rate = (p: SnapshotSubject['periods'][number]) => p.requests / 10;
  const charts: Overlay[] = [
    {
      id: 'cmp-latency',
      title: `${stat}, all requests`,
      unit: 'ms',
      lines: [
        {
          label: before.label,
          color: A_COLOR,
          dash: true,
          values: perPeriod(before.snapshot.overall, (p) => p.stats?.[stat] ?? null),
        },
        {
          label: after.label,
          color: B_COLOR,
          dash: false,
          values: perPeriod(after.snapshot.overall, (p) => p.stats?.[stat] ?? null),
        },
      ],
    },
    {
      id: 'cmp-requests',
      title: 'Requests per second',
      unit: 'req/s',
      lines: [
        { label: before.label, color: A_COLOR, dash: true, values: perPeriod(before.snapshot.overall, rate) },
        { label: after.label, color: B_COLOR, dash: false, values: perPeriod(after.snapshot.overall, rate) },
      ],
    },
  ];
  const classes = [
    ...new Set([...before.snapshot.classes, ...after.snapshot.classes].map((c) => c.class)),
  ].sort();
  charts.push({
    id: 'cmp-classes',
    title: `${stat} per operation class (dashed: ${before.label})`,
    unit: 'ms',
    lines: classes.flatMap((cls, index) => {
      const color = CLASS_COLORS[index % CLASS_COLORS.length]!;
      const of = (r: ComparedRun) => r.snapshot.classes.find((c) => c.class === cls);
      const ca = of(before);
      const cb = of(after);
      return [
        ...(ca
          ? [
              {
                label: `${cls} ${before.label}`,
                color,
                dash: true,
                values: perPeriod(ca, (p) => p.stats?.[stat] ?? null),
              },
            ]
          : []),
        ...(cb
          ? [
              {
                label: `${cls} ${after.label}`,
                color,
                dash: false,
                values: perPeriod(cb, (p) => p.stats?.[stat] ?? null),
              },
            ]
          : []),
      ];
    }),
  });
  return charts;
}

// x: seconds from each run's start, period by period (10 s each).
const COMPARE_SCRIPT = `(function () {
  if (typeof uPlot === 'undefined') return;
  var data = JSON.parse(document.getElementById('compare-data').textContent);
  data.charts.forEach(function (c) {
    var fig = document.getElementById(c.id);
    if (!fig) return;
    var box = fig.querySelector('.plot');
    var n = Math.max.apply(null, c.lines.map(function (l) { return l.values.length; }).concat([1]));
    var xs = []; for (var i = 0; i < n; i++) xs.push(i * 10);
    var series = [{ label: 'elapsed', value: function (u, v) { return v == null ? '–' : '+' + v + ' s'; } }]
      .concat(c.lines.map(function (l) {
        return { label: l.label, stroke: l.color, width: 2, dash: l.dash ? [6, 4] : undefined,
          points: { show: n < 4 },
          value: function (u, v) { return v == null ? '–' : v.toFixed(1) + ' ' + c.unit; } };
      }));
    var values = c.lines.map(function (l) {
      var out = l.values.slice(); while (out.length < n) out.push(null); return out;
    });
    new uPlot({ width: Math.max(300, box.clientWidth), height: 230, series: series,
      cursor: { sync: { key: 'cmp' } }, scales: { x: { time: false } },
      axes: [{ values: function (u, v) { return v.map(function (s) { return '+' + s + 's'; }); } },
        { size: 56 }]
    }, [xs].concat(values), box);
  });
})();`;

const STYLE = `body{font:14px/1.45 system-ui,sans-serif;margin:0;color:#111827;background:#f9fafb}
main{max-width:1200px;margin:0 auto;padding:20px}h1{font-size:22px}h2{font-size:17px;margin:18px 0 8px}
table{border-collapse:collapse;width:100%;background:#fff;margin-bottom:16px}
th,td{border-bottom:1px solid #e5e7eb;padding:4px 8px;text-align:left;vertical-align:top}
th{background:#f3f4f6;white-space:nowrap;cursor:pointer}
td.n{text-align:right;font-variant-numeric:tabular-nums}
td.name{font-family:ui-monospace,monospace;font-size:12px;word-break:break-all}
.charts{display:grid;grid-template-columns:repeat(auto-fit,minmax(520px,1fr));gap:12px;margin-bottom:16px}
.chart{margin:0;background:#fff;border:1px solid #e5e7eb;border-radius:6px;padding:8px;min-width:0}
figcaption{font-weight:600;margin-bottom:4px}.unit{font-weight:400;color:#6b7280}
.banner{padding:12px 16px;border-radius:8px;color:#fff}.bad{background:#b91c1c}.good{background:#15803d}
.u-legend{font-size:12px;text-align:left}`;

const SORT = `document.querySelectorAll('table.sortable thead th').forEach(function (th, i) {
  th.addEventListener('click', function () {
    var table = th.closest('table'), tbody = table.tBodies[0];
    var dir = th.dataset.dir === 'desc' ? 1 : -1; th.dataset.dir = dir === 1 ? 'asc' : 'desc';
    Array.prototype.slice.call(tbody.rows).sort(function (a, b) {
      var x = a.cells[i], y = b.cells[i];
      var vx = x.dataset.v !== undefined ? parseFloat(x.dataset.v) : x.textContent;
      var vy = y.dataset.v !== undefined ? parseFloat(y.dataset.v) : y.textContent;
      return (vx > vy ? 1 : vx < vy ? -1 : 0) * dir;
    }).forEach(function (r) { tbody.appendChild(r); });
  });
});`;

/** The comparison as one self-contained HTML file: A is "before", B "after". */
export function renderCompare(before: ComparedRun, after: ComparedRun, result: RegressionResult): string {
  const stat = result.rule.statistic;
  const charts = overlays(before, after, stat);
  const json = JSON.stringify({
    charts: charts.map((chart) => ({
      id: chart.id,
      unit: chart.unit,
      lines: chart.lines.map((line) => ({
        ...line,
        values: line.values.map((v) => (v === null ? null : Math.round(v * 100) / 100)),
      })),
    })),
  }).replace(/</g, '\\u003c');
  const figures = charts
    .filter((c) => c.lines.length > 0)
    .map(
      (chart) =>
        `<figure class="chart" id="${chart.id}"><figcaption>${escapeHtml(chart.title)} ` +
        `<span class="unit">(${escapeHtml(chart.unit)} per 10 s period)</span></figcaption>` +
        '<div class="plot"></div>' +
        '<noscript>charts need scripts; the table below has every figure</noscript></figure>',
    )
    .join('\n');
  const assets = uplotAssets();
  const title =
    `${before.label} → ${after.label}: ` +
    `${result.regressions} regression${result.regressions === 1 ? '' : 's'}`;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1">
<title>${escapeHtml(title)}</title><style>${assets.css}</style><style>${STYLE}\n${DELTA_STYLE}</style></head>
<body><main>
<section class="banner ${result.regressions > 0 ? 'bad' : 'good'}" id="verdict"><h1>${escapeHtml(title)}</h1>
<div>${escapeHtml(statusCounts(result))}</div></section>
<table class="meta"><tbody>
<tr><td>before (A)</td><td>${escapeHtml(before.label)}: ${escapeHtml(before.about)}</td></tr>
<tr><td>after (B)</td><td>${escapeHtml(after.label)}: ${escapeHtml(after.about)}</td></tr>
<tr><td>rule</td><td>${escapeHtml(ruleText(result))}</td></tr>
</tbody></table>
<section class="charts">${figures}</section>
<script type="application/json" id="compare-data">${json}</script>
<h2>Deltas <small>(largest change first; click a heading to sort)</small></h2>
${deltasTable(result)}
</main><script>${LOCALE_SHIM}${assets.js}</script>
<script>${COMPARE_SCRIPT}</script><script>${SORT}</script></body></html>
`;
}

/** The rule in one line, for the report and the console. */
export function ruleText(result: RegressionResult): string {
  const rule = result.rule;
  return (
    `${rule.statistic} may worsen by ${(rule.latency * 100).toFixed(0)} %, the error rate rise by ` +
    `${(rule.errorRate * 100).toFixed(2)} points; ` +
    `at least ${rule.minRequests} requests and ${rule.minChangeMs} ms; ` +
    "beyond DDSketch's 1 % and the 10 s periods' spread (one-sided tests at 5 %), " +
    `judged against the run's common shift ×${result.shift.toFixed(2)} ` +
    'and beyond 3 × its run-to-run spread ' +
    `(×${Math.exp(result.spread).toFixed(2)} a standard deviation)` +
    (result.source === 'server'
      ? "; endpoints and classes on the server's own time (Server-Timing), which a busy generator spares"
      : '')
  );
}
