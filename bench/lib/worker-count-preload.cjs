// Preloaded into `artillery run` by bench/workers.ts only: Artillery's local mode always starts
// max(1, os.cpus().length - 1) workers (it ignores WORKERS and --count), so to measure one worker per core
// the benchmark makes os.cpus() report BTCW_BENCH_CPUS entries.
const os = require('node:os');
const wanted = Number(process.env.BTCW_BENCH_CPUS);
const cpus = os.cpus;
if (wanted > 0) {
  os.cpus = () => {
    const list = cpus();
    while (list.length < wanted) list.push(list[0]);
    return list.slice(0, wanted);
  };
}
