// What the pack costs as a load generator, against bare Artillery on the same request mix (issue #7, items
// 1 and 2): generator CPU-seconds per 1,000 requests, start-up (command to first request at the server),
// and peak RSS at 50 and at 1,000 users. The embedded API runs on core 0, Artillery on core 1.
//   npm run bench:generator      (about 3 minutes; BENCH_RUN_SECONDS=20 per run by default)
import { writeFileSync, mkdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ROOT, startPinnedApi } from './lib/pinned-api.js';
import { type GeneratorRun, measureArtillery } from './lib/measure-generator.js';

const RUN_SECONDS = Number(process.env.BENCH_RUN_SECONDS ?? 20);

async function main(): Promise<void> {
  const api = await startPinnedApi(['--seed-strategies', '100', '--bcrypt-cost', '4']);
  const cycles = Math.max(1, Math.round((RUN_SECONDS * 24) / 38)); // about 24 tasks/s per user at 40 ms think
  // flows.yml first: the processor path resolves relative to the first input file.
  const pack = ['scenarios/flows.yml', '-i', 'bench/flows/pack-profile.yml', '-i', 'config/environments.yml', '-e', 'local'];
  const results: GeneratorRun[] = [];
  try {
    const vars = (o: Record<string, unknown>) => ['-v', JSON.stringify(o)];
    results.push(await measureArtillery('bare YAML, 50 users', ['bench/flows/strategy-read-bare.yml', ...vars({ cycles })], api.url));
    results.push(await measureArtillery('bare YAML + JS processor, 50 users', ['bench/flows/strategy-read-bare.yml', '-i', 'bench/flows/bare-with-processor.yml', ...vars({ cycles })], api.url));
    const packEnv = { BTCW_TARGETS_FILE: path.join(ROOT, 'config/targets.yml') };
    results.push(await measureArtillery('pack (flows.yml), 50 users', [...pack, '--overrides', JSON.stringify({ config: { variables: { runSeconds: RUN_SECONDS } } })], api.url, { env: packEnv }));
    const thousand = { config: { phases: [{ duration: 5, arrivalRate: 200, maxVusers: 1000 }] } };
    // 1,000 users that stay for the whole run: mean think 0.5 s on both sides (38 tasks ~ 19 s).
    results.push(await measureArtillery('bare YAML, 1000 users', ['bench/flows/strategy-read-bare.yml', '--overrides', JSON.stringify(thousand), ...vars({ cycles: 1, thinkMs: 500 })], api.url));
    results.push(await measureArtillery('pack (flows.yml), 1000 users', [...pack, '--overrides', JSON.stringify({ config: { ...thousand.config, variables: { runSeconds: RUN_SECONDS, thinkFactor: 0.25 } } })], api.url, { env: packEnv }));
  } finally {
    api.stop();
  }
  const out = path.join(ROOT, 'bench', 'results');
  mkdirSync(out, { recursive: true });
  writeFileSync(path.join(out, "generator-cost.json"), JSON.stringify({ date: new Date().toISOString(), node: process.version, cpu: os.cpus()[0]?.model, runSeconds: RUN_SECONDS, results: results.map(({ stdout: _o, series: _s, ...r }) => r) }, null, 1));
  const [bare, bareJs, packed, bare1000, pack1000] = results as [GeneratorRun, GeneratorRun, GeneratorRun, GeneratorRun, GeneratorRun];
  console.log(`pack / bare CPU per 1000 requests: ${(packed.cpuPer1000 / bare.cpuPer1000).toFixed(2)}x (goal <= 1.10x)`);
  console.log(`pack / bare+JS-processor start-up: ${(packed.startupMs / bareJs.startupMs).toFixed(2)}x (goal <= 1x)`);
  console.log(`pack / bare peak RSS at 1000 users: ${(pack1000.peakRssMiB / bare1000.peakRssMiB).toFixed(2)}x (goal <= 1.10x)`);
}

await main();
