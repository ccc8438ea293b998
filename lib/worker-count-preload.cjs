// Preloaded (`node --require`) into `artillery run` by the runner's --workers N and by tests and benchmarks.
// Artillery's local mode always starts max(1, os.cpus().length - 1) worker threads and ignores WORKERS and
// --count, so to choose N workers this makes os.cpus() report N + 1 entries. N is the run plan's `workers`
// (BTCW_PLAN, lib/run-plan.ts) when a command started the run, else BTCW_WORKERS (tests, benchmarks).
const { readFileSync } = require('node:fs');
const os = require('node:os');

function plannedWorkers() {
  const file = process.env.BTCW_PLAN;
  if (!file) return Number(process.env.BTCW_WORKERS);
  try {
    return Number(JSON.parse(readFileSync(file, 'utf8')).workers);
  } catch {
    return Number.NaN; // the plugin names an unreadable plan and stops the run
  }
}

const workers = plannedWorkers();
if (Number.isInteger(workers) && workers > 0) {
  const cpus = os.cpus;
  os.cpus = () => {
    const list = cpus();
    while (list.length < workers + 1) list.push(list[0]);
    return list.slice(0, workers + 1);
  };
}
