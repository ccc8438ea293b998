// Preloaded (`node --require`) into `artillery run` by the runner's --workers N and by tests and benchmarks.
// Artillery's local mode always starts max(1, os.cpus().length - 1) worker threads and ignores WORKERS and
// --count, so to choose N workers this makes os.cpus() report N + 1 entries (BTCW_WORKERS=N).
const os = require('node:os');
const workers = Number(process.env.BTCW_WORKERS);
if (Number.isInteger(workers) && workers > 0) {
  const cpus = os.cpus;
  os.cpus = () => {
    const list = cpus();
    while (list.length < workers + 1) list.push(list[0]);
    return list.slice(0, workers + 1);
  };
}
