// The live dashboard's page: one HTML document with uPlot inlined (as the report does: no CDN, works offline)
// and a small script that reads the SSE stream and redraws. Every value from the run is set as text
// (textContent), never as markup, so request names cannot inject anything. The report's locale shim comes
// first: uPlot fails to load under a browser whose language Intl refuses (LANG=C).
import { LOCALE_SHIM, uplotAssets } from '../report/html-primitives.js';

const STYLE = `body{font:14px/1.45 system-ui,sans-serif;margin:0;color:#111827;background:#f9fafb}
main{max-width:1280px;margin:0 auto;padding:16px 20px}
header{display:flex;flex-wrap:wrap;align-items:center;gap:12px 20px;padding:12px 16px;border-radius:8px;
background:#1f2937;color:#fff;margin-bottom:12px}
header h1{font-size:19px;margin:0;flex:1 1 auto}header .st{font-weight:600}
#verdict{font-weight:700;padding:2px 10px;border-radius:4px;background:#6b7280}
#verdict.PASS{background:#15803d}#verdict.WARN{background:#b45309}#verdict.FAIL{background:#b91c1c}
#verdict.ABORTED{background:#7f1d1d}#guard{background:#fef3c7;border-left:4px solid #d97706;padding:8px 12px;
margin-bottom:12px}#guard.stop{background:#fee2e2;border-left-color:#b91c1c}#guard div{margin:2px 0}
#stop{font:inherit;font-weight:700;padding:6px 16px;border:0;border-radius:5px;background:#dc2626;color:#fff;
cursor:pointer}#stop:disabled{background:#9ca3af;cursor:default}
.tiles{display:grid;grid-template-columns:repeat(auto-fit,minmax(150px,1fr));gap:10px;margin-bottom:12px}
.tile{background:#fff;border:1px solid #e5e7eb;border-radius:6px;padding:8px 12px}
.tile b{display:block;font-size:22px;font-variant-numeric:tabular-nums}
.tile span{color:#6b7280;font-size:12px}
.charts{display:grid;grid-template-columns:repeat(auto-fit,minmax(400px,1fr));gap:10px;margin-bottom:12px}
.chart{margin:0;background:#fff;border:1px solid #e5e7eb;border-radius:6px;padding:8px;min-width:0;
min-height:250px}figcaption{font-weight:600}.uplot{width:100%}.u-legend{font-size:12px}
table{border-collapse:collapse;width:100%;background:#fff;margin-bottom:12px}
th,td{border-bottom:1px solid #e5e7eb;padding:3px 8px;text-align:left}th{background:#f3f4f6}
td.n{text-align:right;font-variant-numeric:tabular-nums}td.name{font-family:ui-monospace,monospace;
font-size:12px;word-break:break-all}.miss{background:#fecaca}.meet{background:#dcfce7}
.two{display:grid;grid-template-columns:1fr 1fr;gap:12px}h2{font-size:16px;margin:14px 0 6px}
#files{background:#eff6ff;border-left:4px solid #2563eb;padding:8px 12px;margin-bottom:12px}
#files a{margin-right:14px}#reasons li{margin:2px 0}.muted{color:#6b7280}`;

const BODY = `<main>
<header><h1>BTC Watcher live: <span id="run"></span></h1>
<span>status <span class="st" id="status">connecting</span></span>
<span>elapsed <b id="elapsed">0:00</b> · remaining <b id="remaining">–</b></span>
<span><span id="verdict-label">verdict so far</span> <span id="verdict">–</span></span>
<button id="stop" type="button">Stop</button></header>
<div id="guard" hidden></div>
<div id="files" hidden>Run over: <span id="exit"></span> <span id="links"></span></div>
<div class="tiles">
<div class="tile"><b id="requests">0</b><span>requests</span></div>
<div class="tile"><b id="rps">–</b><span>requests/s now</span></div>
<div class="tile"><b id="failures">0</b><span>failures</span></div>
<div class="tile"><b id="fps">–</b><span>failures/s now</span></div>
<div class="tile"><b id="users-total">0</b><span>users of <span id="users-run"></span></span></div>
</div>
<div class="charts">
<figure class="chart" id="chart-rps"><figcaption>Requests and failures per second</figcaption></figure>
<figure class="chart" id="chart-latency"><figcaption>Response time (ms)</figcaption></figure>
<figure class="chart" id="chart-users"><figcaption>Users, total and per class</figcaption></figure>
</div>
<div class="two"><div><h2>Users per class</h2>
<table id="users-by-class"><thead><tr><th>class</th><th>users</th></tr></thead><tbody></tbody></table></div>
<div><h2><span id="reasons-title">Verdict so far</span> <small class="muted" id="periods"></small></h2>
<ul id="reasons"></ul></div></div>
<h2>Endpoints</h2>
<table id="endpoints"><thead><tr><th>request</th><th>class</th><th>requests</th><th>failures</th>
<th>p50</th><th>p95</th><th>p99</th><th>tier / target</th></tr></thead><tbody></tbody></table>
<h2>Failures by endpoint and code</h2>
<table id="failures-table"><thead><tr><th>request</th><th>failure</th><th>count</th></tr></thead>
<tbody></tbody></table>
<p class="muted">Charts and tables: Artillery's 10 s periods. Requests/s now: the last 2 s.</p>
</main>`;

// Plain ES5 in the page: no build step for the browser side.
const SCRIPT = `(function () {
  var token = new URLSearchParams(location.search).get('token');
  var q = token ? '?token=' + encodeURIComponent(token) : '';
  var $ = function (id) { return document.getElementById(id); };
  var COLORS = ['#2563eb','#dc2626','#16a34a','#d97706','#7c3aed','#0891b2','#db2777','#65a30d','#92400e',
    '#475569','#0d9488','#9333ea','#ca8a04'];
  var charts = {};
  var last = null;
  var receivedAt = 0;
  function mmss(s) {
    s = Math.max(0, Math.round(s));
    return Math.floor(s / 60) + ':' + ('0' + s % 60).slice(-2);
  }
  function fmt(v, d) { return v == null ? '–' : Number(v).toFixed(d == null ? 1 : d); }
  function rows(id, list, cells) {
    var body = $(id).tBodies[0];
    body.textContent = '';
    list.forEach(function (item) {
      var tr = body.insertRow();
      cells(item).forEach(function (c) {
        var td = tr.insertCell();
        td.textContent = c[0];
        if (c[1]) td.className = c[1];
      });
    });
  }
  function chart(id, names, data) {
    var box = $(id);
    var key = id + ':' + names.join('|');
    if (!charts[id] || charts[id].key !== key) {
      if (charts[id]) charts[id].plot.destroy();
      var opts = { width: Math.max(300, box.clientWidth - 16), height: 200,
        scales: { x: { time: true } },
        series: [{}].concat(names.map(function (n, i) {
          return { label: n, stroke: COLORS[i % COLORS.length], width: 2, spanGaps: true };
        })) };
      charts[id] = { key: key, plot: new uPlot(opts, data, box) };
    } else charts[id].plot.setData(data);
  }
  var OVER = { finished: 1, stopped: 1, aborted: 1 };
  function tick() {
    if (!last) return;
    var over = OVER[last.status] === 1;
    var extra = over ? 0 : (Date.now() - receivedAt) / 1000;
    $('elapsed').textContent = mmss(last.elapsedSeconds + extra);
    // a run cut short has no time remaining to show
    $('remaining').textContent = over && last.status !== 'finished' ? '–'
      : mmss(Math.max(0, last.remainingSeconds - extra));
  }
  function show(s) {
    last = s; receivedAt = Date.now();
    $('run').textContent = s.run.profile + ' · ' + s.run.runTag;
    $('status').textContent = s.status;
    $('requests').textContent = String(s.requests);
    $('failures').textContent = String(s.failures);
    $('rps').textContent = s.now ? fmt(s.now.requestsPerSec) : '–';
    $('fps').textContent = s.now ? fmt(s.now.failuresPerSec) : '–';
    $('users-total').textContent = String(s.usersNow.total);
    $('users-run').textContent = String(s.run.users);
    var v = s.verdict;
    $('verdict').textContent = v ? v.verdict : '–';
    $('verdict').className = v ? v.verdict : '';
    $('verdict-label').textContent = v && v.final ? 'verdict' : 'verdict so far';
    $('reasons-title').textContent = v && v.final ? 'Final verdict' : 'Verdict so far';
    $('periods').textContent = v ? '(' + v.periods + ' periods graded)' : '(after the first 10 s period)';
    var guard = $('guard'); guard.textContent = '';
    guard.hidden = s.guard.lines.length === 0 && !s.guard.stop;
    guard.className = s.guard.stop ? 'stop' : '';
    s.guard.lines.forEach(function (l) {
      var d = document.createElement('div'); d.textContent = l; guard.appendChild(d);
    });
    var reasons = $('reasons'); reasons.textContent = '';
    (v ? (v.reasons.length ? v.reasons : ['every target met so far']) : []).forEach(function (r) {
      var li = document.createElement('li'); li.textContent = r; reasons.appendChild(li);
    });
    var classes = Object.keys(s.usersNow.byClass).sort();
    rows('users-by-class', classes, function (c) {
      return [[c, 'name'], [String(s.usersNow.byClass[c]), 'n']];
    });
    rows('endpoints', s.endpoints, function (e) {
      return [[e.name, 'name'], [e['class']], [String(e.requests), 'n'], [String(e.failures), 'n'],
        [fmt(e.p50), 'n'], [fmt(e.p95), 'n'], [fmt(e.p99), 'n'],
        [(e.tier || '–') + ' / ' + e.targetTier, e.tier ? (e.meetsTarget ? 'meet' : 'miss') : '']];
    });
    rows('failures-table', s.failureRows, function (f) {
      return [[f.endpoint, 'name'], [f.failure], [String(f.count), 'n']];
    });
    var t = s.series.t.map(function (x) { return x / 1000; });
    if (t.length > 0 && typeof uPlot !== 'undefined') {
      chart('chart-rps', ['requests/s', 'failures/s'], [t, s.series.requestsPerSec, s.series.failuresPerSec]);
      chart('chart-latency', ['p50', 'p95', 'p99'], [t, s.series.p50, s.series.p95, s.series.p99]);
      chart('chart-users', ['all users'].concat(classes),
        [t, s.series.users].concat(classes.map(function (c) { return s.usersByClass[c]; })));
    }
    var stop = $('stop');
    stop.disabled = s.status !== 'running' && s.status !== 'starting';
    if (s.status === 'stopping') stop.textContent = 'Stopping…';
    if (OVER[s.status] === 1) {
      stop.textContent = { finished: 'Finished', aborted: 'Aborted', stopped: 'Stopped' }[s.status];
      $('files').hidden = false;
      $('exit').textContent = 'exit code ' + s.exitCode + '.';
      var links = $('links'); links.textContent = '';
      s.files.forEach(function (f) {
        var a = document.createElement('a');
        a.href = 'files/' + encodeURIComponent(f) + q;
        a.textContent = f;
        // The report opens in a new tab: leaving this page would close its stream, and the runner serves
        // the files only while a page is connected.
        if (/\\.html$/.test(f)) a.target = '_blank';
        else a.setAttribute('download', f);
        links.appendChild(a);
      });
      // The stream stays open: the runner serves these links while a page is connected.
      if (s.files.length === 0) links.textContent = 'no report was written (--no-report).';
    }
    tick();
  }
  $('stop').addEventListener('click', function () {
    $('stop').disabled = true;
    $('stop').textContent = 'Stopping…';
    fetch('stop' + q, { method: 'POST', headers: { 'x-btcw-stop': '1' } });
  });
  var source = new EventSource('events' + q);
  source.onmessage = function (m) { show(JSON.parse(m.data)); };
  source.onerror = function () {
    if (!last || OVER[last.status] !== 1) $('status').textContent = 'reconnecting';
  };
  setInterval(tick, 1000);
})();`;

let page: string | null = null;

/** The page, built once: it holds no run data (that comes over the stream), so every request gets it. */
export function dashboardPage(): string {
  if (page === null) {
    const { js, css } = uplotAssets();
    page = `<!doctype html><html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1"><title>BTC Watcher load test: live</title>
<style>${css}</style><style>${STYLE}</style></head><body>${BODY}
<script>${LOCALE_SHIM}${js}</script><script>${SCRIPT}</script></body></html>`;
  }
  return page;
}
