// `npm run bench`: every benchmark of BENCHMARKS.md in one bounded run (about 25 minutes), loopback only.
//   npm run bench                        all sections
//   npm run bench -- spike generator     chosen sections (target, generator, workers, spike, report,
//                                        dashboard, engine)
//   npm run bench -- --smoke             seconds-long settings, to check the script itself (CI)
// Writes bench/results/bench.json (or --out FILE) with the machine, versions and every figure. Without Locust
// (BTCW_LOCUST_PYTHON, default /usr/bin/python3) the spike section skips its Locust rows, one line each.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { dashboardCost } from './dashboard-cost.js';
import { engineCost } from './engine-cost.js';
import { generatorCost } from './generator-cost.js';
import { fail } from './lib/bench-flags.js';
import { ROOT } from './lib/pinned-api.js';
import { reportRender } from './report-render.js';
import { locustVersion, spikeFidelity } from './spike-fidelity.js';
import { targetCapacity } from './target-capacity.js';
import { workerCounts } from './workers.js';

const FULL = {
  targetSeconds: 5,
  generator: { runSeconds: 20, users: 50, manyUsers: 1000, startupRepeats: 3 },
  workers: { seconds: 20, users: 200 },
  spike: { seconds: 45, users: 1000 },
  renders: 5,
  dashboard: { runSeconds: 25, users: 50, repeats: 5 },
  engine: {
    runSeconds: 20,
    users: 50,
    manyUsers: 1000,
    startupRepeats: 3,
    spike: { seconds: 45, users: 1000 },
    withHttp: true,
  },
};
const SMOKE = {
  targetSeconds: 1,
  generator: { runSeconds: 6, users: 5, manyUsers: 20, startupRepeats: 1 },
  workers: { seconds: 6, users: 20 },
  spike: { seconds: 8, users: 40 },
  renders: 1,
  dashboard: { runSeconds: 6, users: 5, repeats: 1 },
  engine: {
    runSeconds: 3,
    users: 5,
    manyUsers: 5,
    startupRepeats: 0,
    spike: { seconds: 4, users: 10 },
    withHttp: false,
  },
};
const SECTIONS = ['target', 'generator', 'workers', 'spike', 'report', 'dashboard', 'engine'] as const;
type Section = (typeof SECTIONS)[number];

function versions(): Record<string, string> {
  const pkg = (name: string) =>
    (
      JSON.parse(readFileSync(path.join(ROOT, 'node_modules', name, 'package.json'), 'utf8')) as {
        version: string;
      }
    ).version;
  return { node: process.version, artillery: pkg('artillery'), locust: locustVersion() ?? 'not installed' };
}

async function main(): Promise<void> {
  let parsed: { values: { smoke?: boolean; out?: string }; positionals: string[] };
  try {
    parsed = parseArgs({
      allowPositionals: true,
      options: { smoke: { type: 'boolean' }, out: { type: 'string' } },
    });
  } catch (error) {
    fail(
      `${(error as Error).message}; ` +
        `usage: npm run bench [-- [--smoke] [--out FILE] [${SECTIONS.join('|')} ...]]`,
    );
  }
  const unknown = parsed.positionals.filter((p) => !(SECTIONS as readonly string[]).includes(p));
  if (unknown.length > 0) fail(`unknown section "${unknown[0]}": choose from ${SECTIONS.join(', ')}`);
  const sections = new Set<Section>(
    parsed.positionals.length > 0 ? (parsed.positionals as Section[]) : SECTIONS,
  );
  const sizes = parsed.values.smoke ? SMOKE : FULL;
  const started = Date.now();
  const results: Record<string, unknown> = {
    date: new Date().toISOString(),
    mode: parsed.values.smoke ? 'smoke' : 'full',
    machine: {
      cores: os.cpus().length,
      cpu: os.cpus()[0]?.model,
      memGiB: Math.round(os.totalmem() / 2 ** 30),
      kernel: os.release(),
    },
    versions: versions(),
    settings: sizes,
  };
  if (sections.has('target')) {
    console.log("\n== the embedded API's capacity");
    results.target = await targetCapacity(sizes.targetSeconds);
  }
  if (sections.has('generator')) {
    console.log('\n== generator cost: the pack against bare Artillery');
    results.generator = await generatorCost(sizes.generator);
  }
  if (sections.has('workers')) {
    console.log('\n== worker count at saturation');
    results.workers = await workerCounts(sizes.workers.seconds, sizes.workers.users);
  }
  if (sections.has('spike')) {
    console.log(`\n== spike fidelity: ${sizes.spike.users} users, the pack against Locust`);
    const spike = await spikeFidelity(sizes.spike.seconds, sizes.spike.users);
    results.spike = spike.rows;
    results.spikeSkipped = spike.skipped;
  }
  if (sections.has('report')) {
    console.log('\n== report rendering');
    results.report = reportRender(sizes.renders);
  }
  if (sections.has('dashboard')) {
    console.log('\n== the live dashboard: generator CPU with it closed and open');
    results.dashboard = await dashboardCost(sizes.dashboard);
  }
  if (sections.has('engine')) {
    console.log('\n== the btcw engine: against bare Artillery, the HTTP engine and Locust FastHttpUser');
    results.engine = await engineCost(sizes.engine);
  }
  results.wallSeconds = Math.round((Date.now() - started) / 1000);
  const out = parsed.values.out ?? path.join(ROOT, 'bench', 'results', 'bench.json');
  mkdirSync(path.dirname(out), { recursive: true });
  writeFileSync(out, JSON.stringify(results, null, 1));
  console.log(`\nbench: ${results.wallSeconds} s; results in ${path.relative(process.cwd(), out)}`);
}

// A failed measurement (a generator that exits non-zero, an API that will not start) ends the run with its
// message, not a stack trace; nothing is written, so no half-measured figures are kept.
await main().catch((error: Error) => {
  console.error(`bench: ${error.message}`);
  process.exit(1);
});
