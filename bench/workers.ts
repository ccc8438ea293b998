// Using the machine: requests/s at saturation with Artillery's default local worker count
// (max(1, cores - 1): one on these 2-core machines) and with one worker per core. Local mode ignores WORKERS
// and --count, so the second case preloads lib/worker-count-preload.cjs; Artillery then splits the
// same users over the workers. The API is another process on the same cores, as the embedded API is in
// `npm start`; the pack runs StrategyReadUser at near-zero think so the generator saturates. Part of
// `npm run bench` (section "workers").
import os from 'node:os';
import path from 'node:path';
import { measureArtillery, steadyRate } from './lib/measure-generator.js';
import { ROOT, startPinnedApi } from './lib/pinned-api.js';

export interface WorkersRow {
  workers: number;
  users: number;
  requests: number;
  reqPerSec: number;
  cpuSeconds: number;
  cpuPer1000: number;
  peakRssMiB: number;
}

export async function workerCounts(seconds: number, users: number): Promise<WorkersRow[]> {
  const cores = os.cpus().length;
  const all = Array.from({ length: cores }, (_, i) => i).join(',');
  const api = await startPinnedApi(['--seed-strategies', '100', '--bcrypt-cost', '4'], all);
  const rows: WorkersRow[] = [];
  const artilleryDefault = Math.max(1, cores - 1);
  // The runner's --workers preload (lib/): os.cpus() reports workers + 1 entries, Artillery starts cpus - 1.
  const forceWorkers = (workers: number) => ({
    BTCW_WORKERS: String(workers),
    NODE_OPTIONS: `--require "${path.join(ROOT, 'lib/worker-count-preload.cjs')}"`,
  });
  try {
    for (const workers of [artilleryDefault, cores]) {
      const profile = {
        config: {
          phases: [{ duration: 2, arrivalRate: users / 2, maxVusers: users }],
          variables: { runSeconds: seconds, thinkFactor: 0.01 },
        },
      };
      const run = await measureArtillery(
        `${workers} worker(s), ${users} users`,
        [
          'scenarios/flows.yml',
          '-i',
          'bench/flows/pack-profile.yml',
          '-i',
          'config/environments.yml',
          '-e',
          'local',
          '--overrides',
          JSON.stringify(profile),
        ],
        api.url,
        {
          core: all,
          setupRequests: 1,
          env: {
            BTCW_TARGETS_FILE: path.join(ROOT, 'config/targets.yml'),
            ...(workers === artilleryDefault ? {} : forceWorkers(workers)),
          },
        },
      );
      const row = {
        workers,
        users,
        requests: run.requests,
        reqPerSec: Math.round(steadyRate(run, seconds).rate),
        cpuSeconds: Math.round(run.cpuSeconds * 10) / 10,
        cpuPer1000: Math.round(run.cpuPer1000 * 100) / 100,
        peakRssMiB: run.peakRssMiB,
      };
      console.log(`${workers} worker(s): ${row.reqPerSec} req/s at saturation (steady window)`);
      rows.push(row);
    }
  } finally {
    api.stop();
  }
  return rows;
}
