// One self-contained HTML file per run: verdict first, then charts over time (inline SVG, drawn at render time,
// so they show without JavaScript or network, also under a CSP), the per-endpoint table, codes and errors,
// the pack's own counters, and the run's metadata. Everything from the server or the config is escaped.
import type { ArtilleryReport, EndpointResult, Evaluation } from '../plugin/evaluate.js';
import { type Point, seriesOf } from './series.js';

export interface EvaluationDocument {
  kind?: string;
  meta?: Record<string, unknown>;
  evaluation: Evaluation;
  intermediate?: ArtilleryReport[];
}

export function escapeHtml(v: unknown): string {
  return String(v ?? '').replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
  );
}

const num = (n: number | null | undefined, digits = 1) =>
  n === null || n === undefined || !Number.isFinite(n) ? '–' : n.toFixed(digits);
const pct = (r: number) => `${(r * 100).toFixed(2)} %`;
const TIER_CLASS: Record<string, string> = {
  excellent: 't-ex',
  good: 't-good',
  acceptable: 't-acc',
  poor: 't-poor',
  unacceptable: 't-bad',
};

interface Line {
  label: string;
  color: string;
  values: Array<number | null>;
}

/** An SVG line chart; the data-points attribute lets tests check that every chart has data. */
export function lineChart(
  title: string,
  unit: string,
  times: number[],
  lines: Line[],
  width = 560,
  height = 220,
): string {
  const pad = { l: 52, r: 12, t: 26, b: 34 };
  const all = lines.flatMap((l) => l.values).filter((v): v is number => v !== null && Number.isFinite(v));
  const max = Math.max(1, ...all) * 1.1;
  const t0 = times[0] ?? 0;
  const t1 = times[times.length - 1] ?? t0 + 1;
  const span = Math.max(1, t1 - t0);
  const x = (t: number) => pad.l + ((t - t0) / span) * (width - pad.l - pad.r);
  const y = (v: number) => height - pad.b - (v / max) * (height - pad.t - pad.b);
  const grid = [0, 0.25, 0.5, 0.75, 1]
    .map((f) => {
      const v = max * f;
      return `<line x1="${pad.l}" x2="${width - pad.r}" y1="${y(v)}" y2="${y(v)}" class="grid"/><text x="${pad.l - 6}" y="${y(v) + 4}" text-anchor="end">${num(v, v < 10 ? 1 : 0)}</text>`;
    })
    .join('');
  const xLabels =
    times.length > 0
      ? [t0, t1]
          .map(
            (t, i) =>
              `<text x="${x(t)}" y="${height - 12}" text-anchor="${i === 0 ? 'start' : 'end'}">+${Math.round((t - t0) / 1000)} s</text>`,
          )
          .join('')
      : '';
  let points = 0;
  const paths = lines
    .map((l) => {
      const pts = l.values
        .map((v, i) =>
          v === null || !Number.isFinite(v) ? null : `${x(times[i]!).toFixed(1)},${y(v).toFixed(1)}`,
        )
        .filter((p): p is string => p !== null);
      points += pts.length;
      // A single period still gets a visible mark.
      const dots =
        pts.length === 1
          ? `<circle cx="${pts[0]!.split(',')[0]}" cy="${pts[0]!.split(',')[1]}" r="3" fill="${l.color}"/>`
          : '';
      return `<polyline fill="none" stroke="${l.color}" stroke-width="2" points="${pts.join(' ')}"/>${dots}`;
    })
    .join('');
  const legend = lines
    .map(
      (l, i) =>
        `<text x="${pad.l + i * 110}" y="16" fill="${l.color}" class="legend">■ ${escapeHtml(l.label)}</text>`,
    )
    .join('');
  return `<figure class="chart"><figcaption>${escapeHtml(title)} <span class="unit">(${escapeHtml(unit)})</span></figcaption>
<svg viewBox="0 0 ${width} ${height}" role="img" aria-label="${escapeHtml(title)}" data-points="${points}">${grid}${xLabels}${legend}${paths}</svg></figure>`;
}

function charts(series: Point[]): string {
  const times = series.map((p) => p.t);
  return `<section class="charts">
${lineChart('Requests per second', 'req/s', times, [{ label: 'requests/s', color: '#2563eb', values: series.map((p) => p.requestsPerSec) }])}
${lineChart('Response time', 'ms, time to first byte', times, [
  { label: 'p50', color: '#16a34a', values: series.map((p) => p.p50) },
  { label: 'p95', color: '#d97706', values: series.map((p) => p.p95) },
  { label: 'p99', color: '#dc2626', values: series.map((p) => p.p99) },
])}
${lineChart('Failures per second', 'failed requests/s', times, [{ label: 'failures/s', color: '#dc2626', values: series.map((p) => p.failuresPerSec) }])}
${lineChart('Concurrent users', 'alive per period', times, [{ label: 'users', color: '#7c3aed', values: series.map((p) => p.users) }])}
</section>`;
}

function endpointRows(eps: EndpointResult[]): string {
  return eps
    .map(
      (e) => `<tr>
<td class="name">${escapeHtml(e.name)}</td><td>${escapeHtml(e.class)}</td><td class="n" data-v="${e.requests}">${e.requests}</td>
<td class="n" data-v="${e.failed}">${e.failed}</td><td class="n" data-v="${e.errorRate}">${pct(e.errorRate)}</td>
<td class="n" data-v="${e.throughput ?? 0}">${num(e.throughput, 2)}</td>
${(['mean', 'p50', 'p95', 'p99', 'max'] as const).map((k) => `<td class="n" data-v="${e.latency?.[k] ?? -1}">${num(e.latency?.[k])}</td>`).join('')}
<td class="${TIER_CLASS[e.tier ?? ''] ?? ''}">${escapeHtml(e.tier ?? 'no responses')}${e.meetsTarget ? '' : ` <small>(target ${escapeHtml(e.targetTier)})</small>`}</td></tr>`,
    )
    .join('\n');
}

function breakdown(eps: EndpointResult[]): string {
  const codes = new Map<string, number>();
  const errors: Array<[string, string, number]> = [];
  for (const e of eps) {
    for (const [c, n] of Object.entries(e.codes)) codes.set(c, (codes.get(c) ?? 0) + n);
    for (const [err, n] of Object.entries(e.errors)) errors.push([e.name, err, n]);
    if (e.failed > 0)
      for (const [c, n] of Object.entries(e.codes))
        if (Number(c) >= 400) errors.push([e.name, `HTTP ${c}`, n]);
  }
  const codeRows = [...codes]
    .sort()
    .map(([c, n]) => `<tr><td>${escapeHtml(c)}</td><td class="n">${n}</td></tr>`)
    .join('');
  const errorRows = errors
    .sort((a, b) => b[2] - a[2])
    .map(
      ([name, err, n]) =>
        `<tr><td class="name">${escapeHtml(name)}</td><td>${escapeHtml(err)}</td><td class="n">${n}</td></tr>`,
    )
    .join('');
  return `<section class="two"><div><h2>Status codes</h2><table><thead><tr><th>code</th><th>responses</th></tr></thead><tbody>${codeRows || '<tr><td colspan="2">none</td></tr>'}</tbody></table></div>
<div><h2>Failures</h2><table><thead><tr><th>request</th><th>error</th><th>count</th></tr></thead><tbody>${errorRows || '<tr><td colspan="3">no failed requests</td></tr>'}</tbody></table></div></section>`;
}

const SORT_SCRIPT = `document.querySelectorAll('table.sortable th').forEach(function (th, i) {
  th.addEventListener('click', function () {
    var tbody = th.closest('table').querySelector('tbody');
    var dir = th.dataset.dir === 'asc' ? -1 : 1; th.dataset.dir = dir === 1 ? 'asc' : 'desc';
    Array.prototype.slice.call(tbody.rows).sort(function (a, b) {
      var x = a.cells[i], y = b.cells[i];
      var vx = x.dataset.v !== undefined ? parseFloat(x.dataset.v) : x.textContent, vy = y.dataset.v !== undefined ? parseFloat(y.dataset.v) : y.textContent;
      return (vx > vy ? 1 : vx < vy ? -1 : 0) * dir;
    }).forEach(function (r) { tbody.appendChild(r); });
  });
});`;

const STYLE = `body{font:14px/1.45 system-ui,sans-serif;margin:0;color:#111827;background:#f9fafb}
main{max-width:1200px;margin:0 auto;padding:20px}
.banner{padding:16px 20px;border-radius:8px;color:#fff;margin-bottom:16px}
.banner h1{margin:0 0 6px;font-size:24px}.banner ul{margin:6px 0 0;padding-left:20px}
.PASS{background:#15803d}.WARN{background:#b45309}.FAIL{background:#b91c1c}
table{border-collapse:collapse;width:100%;background:#fff;margin-bottom:16px}
th,td{border-bottom:1px solid #e5e7eb;padding:4px 8px;text-align:left;vertical-align:top}
th{background:#f3f4f6;cursor:pointer;white-space:nowrap}td.n{text-align:right;font-variant-numeric:tabular-nums}
td.name{font-family:ui-monospace,monospace;font-size:12px;word-break:break-all}
.t-ex{background:#dcfce7}.t-good{background:#ecfccb}.t-acc{background:#fef9c3}.t-poor{background:#fed7aa}.t-bad{background:#fecaca}
.charts{display:grid;grid-template-columns:repeat(auto-fit,minmax(460px,1fr));gap:12px;margin-bottom:16px}
.chart{margin:0;background:#fff;border:1px solid #e5e7eb;border-radius:6px;padding:8px}
figcaption{font-weight:600}.unit{font-weight:400;color:#6b7280}
svg{width:100%;height:auto;font-size:11px}svg .grid{stroke:#e5e7eb}svg text{fill:#6b7280}svg text.legend{font-size:12px}
.two{display:grid;grid-template-columns:1fr 2fr;gap:12px}.meta td:first-child{color:#6b7280;width:180px}
.note{background:#eff6ff;border-left:4px solid #2563eb;padding:8px 12px;margin:12px 0}
h2{font-size:17px;margin:18px 0 8px}`;

function metaRows(doc: EvaluationDocument, series: Point[]): string {
  const m = doc.meta ?? {};
  const e = doc.evaluation;
  const start = series[0] ? new Date(series[0].t - 10_000).toISOString() : null;
  const end = series.length ? new Date(series[series.length - 1]!.t).toISOString() : null;
  const rows: Array<[string, unknown]> = [
    ['profile', m.profile],
    ['user mix', m.userMix],
    ['environment', m.environment],
    ['target', m.target],
    ['run tag', m.runTag],
    ['seed', m.seed],
    ['started (about)', start],
    ['ended', end],
    ['measured duration', e.durationSeconds === null ? null : `${num(e.durationSeconds, 0)} s`],
    ['statistic graded', e.statistic],
    ['Artillery', m.artillery],
    ['Node', m.node],
    ['interrupted', m.interrupted ? 'yes: partial results' : 'no'],
  ];
  return rows
    .filter(([, v]) => v !== undefined && v !== null && v !== '')
    .map(([k, v]) => `<tr><td>${escapeHtml(k)}</td><td>${escapeHtml(v)}</td></tr>`)
    .join('');
}

export function renderHtml(doc: EvaluationDocument): string {
  const e = doc.evaluation;
  const series = seriesOf(doc.intermediate ?? []);
  const p = e.pack;
  const note = [doc.meta?.profile, doc.meta?.interrupted ? 'interrupted: partial results' : null]
    .filter(Boolean)
    .join(', ');
  const title = `BTC Watcher load test: ${e.verdict}${note ? ` (${String(note)})` : ''}`;
  const reasons =
    e.reasons.length > 0
      ? `<ul>${e.reasons.map((r) => `<li><b>${r.verdict}</b> ${escapeHtml(r.message)}</li>`).join('')}</ul>`
      : '<p>Every target met.</p>';
  const classRows = e.classes
    .map(
      (
        c,
      ) => `<tr><td>${escapeHtml(c.class)}</td><td class="n">${c.requests}</td><td class="n">${pct(c.errorRate)}</td>
<td class="n">${num(c.throughput, 2)}</td><td class="n">${c.throughputTarget ?? '–'}</td><td>${escapeHtml(c.throughputStatus)}</td>
<td class="n">${num(c.value)}${c.latencyApproximate ? '*' : ''}</td><td class="${TIER_CLASS[c.tier ?? ''] ?? ''}">${escapeHtml(c.tier ?? '–')}</td></tr>`,
    )
    .join('');
  const kv = (o: Record<string, number>) =>
    Object.entries(o)
      .map(([k, v]) => `${escapeHtml(k)} ${v}`)
      .join(', ') || 'none';
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${escapeHtml(title)}</title><style>${STYLE}</style></head>
<body><main>
<section class="banner ${e.verdict}" id="verdict"><h1>${escapeHtml(title)}</h1>
<div>${e.overall.requests} requests · ${pct(e.overall.errorRate)} failed (${escapeHtml(e.overall.errorLevel)}) · ${escapeHtml(e.statistic)} ${num(e.overall.value)} ms (${escapeHtml(e.overall.tier ?? '–')}) · ${num(e.overall.throughput, 2)} req/s · exit code ${e.exitCode}</div>
${reasons}</section>
<h2>Operation classes</h2>
<table><thead><tr><th>class</th><th>requests</th><th>failed</th><th>req/s</th><th>target req/s</th><th>throughput</th><th>${escapeHtml(e.statistic)} ms</th><th>tier</th></tr></thead><tbody>${classRows}</tbody></table>
${e.classes.some((c) => c.throughputStatus === 'not-exercised') ? '<p class="note"><b>not-exercised</b>: the load offered stayed below the throughput target while the server kept up, so the target was not tested; the rate achieved is shown.</p>' : ''}
${charts(series)}
<h2>Endpoints <small>(click a heading to sort)</small></h2>
<table class="sortable" id="endpoints"><thead><tr><th>request</th><th>class</th><th>requests</th><th>failed</th><th>error %</th><th>req/s</th><th>mean</th><th>p50</th><th>p95</th><th>p99</th><th>max</th><th>tier</th></tr></thead>
<tbody>${endpointRows(e.endpoints)}</tbody></table>
${breakdown(e.endpoints)}
<h2>Users</h2>
<table class="meta"><tbody>
<tr><td>started</td><td>${kv(p.usersStarted)}</td></tr>
<tr><td>peak concurrent</td><td>${p.peakConcurrentUsers ?? '–'}</td></tr>
<tr><td>logins / re-logins</td><td>${p.logins} / ${p.relogins}${p.unexpected401 ? ` (unexpected 401s: ${p.unexpected401})` : ''}</td></tr>
<tr><td>stopped early</td><td>${kv(p.usersStopped)}</td></tr>
<tr><td>steps skipped (no id)</td><td>${kv(p.skipped)}</td></tr>
</tbody></table>
<p class="note">Users loop with think time (a closed model, like Locust): when the server slows down, users send less, so
latency under saturation is understated (coordinated omission). Use an arrival-rate run to measure capacity.
Response times are time to first byte.</p>
<h2>Run</h2><table class="meta"><tbody>${metaRows(doc, series)}</tbody></table>
</main><script>${SORT_SCRIPT}</script></body></html>
`;
}
