// The btcw engine against bare Artillery, the pack on Artillery's HTTP engine and Locust FastHttpUser, on the
// generator section's StrategyReadUser mix at few users (think 40 ms: CPU per request) and at many (think
// 0.5 s: peak RSS), in one run so that the ratios compare runs minutes apart; then the spike profile's shape
// on the btcw engine beside Locust FastHttpUser. A floor row sends the same mix straight over undici
// (bench/undici-floor.ts). The API runs on core 0, every generator on core 1.
// Part of `npm run bench` (section "engine"). Locust is a peer to compare with, not a requirement: without it
// each Locust row is skipped with one line.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { engineVariables } from '../lib/run-plan.js';
import { BARE, median, PACK, PACK_ENV, phases, vars } from './generator-cost.js';
import { type GeneratorRun, measureArtillery, measureGenerator } from './lib/measure-generator.js';
import { ROOT, startPinnedApi } from './lib/pinned-api.js';
import {
  type FidelityRow,
  locustCommand,
  locustPython,
  locustRowName,
  locustSkipLine,
  locustVersion,
  spikeLocustRow,
  spikePackRow,
} from './spike-fidelity.js';

export interface EngineCostOptions {
  /** Length of each load run. */
  runSeconds: number;
  /** Users of the CPU comparison (think 40 ms) and of the memory comparison (think 0.5 s). */
  users: number;
  manyUsers: number;
  /** Start-up runs per engine; the median is quoted. */
  startupRepeats: number;
  spike: { seconds: number; users: number };
  /**
   * Also run the pack on Artillery's HTTP engine (and start-up against it). The smoke run leaves it out to
   * stay short: the generator section runs that same pack.
   */
  withHttp: boolean;
}

export interface EngineCost {
  runs: Omit<GeneratorRun, 'series'>[];
  startupMs: { http: number[]; btcw: number[] };
  /** Goals: cpuPer1000 <= 0.25, overLocust >= 3, peakRssManyUsers <= 1, startup <= 1. */
  ratios: {
    cpuPer1000: number;
    requestsPerCpuSecond: number;
    overHttp?: number;
    overLocust?: number;
    /** The engine's CPU per request over bench/undici-floor.ts's, the same mix straight over undici. */
    overFloor: number;
    peakRssManyUsers: number;
    startup?: number;
  };
  /** The spike profile on the btcw engine, and Locust FastHttpUser's where installed. */
  spike: FidelityRow[];
  skipped: { generator: string; reason: string }[];
}

type Engine = 'http' | 'btcw';
/** The pack's flows on one engine: flows.yml's scenario weights, as `--engine` sets them in the run plan. */
const packOn = (engine: Engine, config: { variables?: object; [key: string]: unknown }) => [
  ...PACK,
  '--overrides',
  JSON.stringify({ config: { ...config, variables: { ...config.variables, ...engineVariables(engine) } } }),
];
/** The same request mix straight over undici (think 40 ms, as the CPU comparison's). */
const FLOOR = path.join(ROOT, 'build/bench/undici-floor.js');
const ratio = (a: number, b: number) => Math.round((a / b) * 100) / 100;
/** A ratio as the section prints it: two decimals, as in `0.40x`. */
const times = (r: number | undefined) => `${r?.toFixed(2)}x`;
const perCpuSecond = (run: GeneratorRun) => Math.round(1000 / run.cpuPer1000);

export async function engineCost(opts: EngineCostOptions): Promise<EngineCost> {
  const locust = locustVersion();
  const fast = locust ? locustRowName(locust, 'FastHttpUser') : undefined;
  const skipped: EngineCost['skipped'] = [];
  const engines: Engine[] = opts.withHttp ? ['http', 'btcw'] : ['btcw'];
  const api = await startPinnedApi(['--seed-strategies', '100', '--bcrypt-cost', '4']);
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'btcw-bench-engine-'));
  const runs: GeneratorRun[] = [];
  const startup = { http: [] as number[], btcw: [] as number[] };
  const spike: FidelityRow[] = [];
  /** One Locust FastHttpUser run at `users`, spawned over 5 s, think 1-3 s x `thinkFactor`. */
  const locustRun = (name: string, users: number, thinkFactor: number) =>
    measureGenerator(
      name,
      locustCommand({
        cls: 'StrategyReadFastHttpUser',
        users,
        spawnRate: Math.max(1, Math.ceil(users / Math.min(5, opts.runSeconds))),
        seconds: opts.runSeconds,
        url: api.url,
        csvPrefix: path.join(tmp, `fast-${users}`),
      }),
      api.url,
      { env: { BTCW_THINK_FACTOR: String(thinkFactor) } },
    );
  let locustFew: GeneratorRun | undefined;
  try {
    // Few users, mean think 40 ms, about 24 tasks/s per user: the CPU comparison.
    const cycles = Math.max(1, Math.round((opts.runSeconds * 24) / 38));
    const arrivals = Math.min(5, opts.runSeconds);
    const few = { config: { phases: phases(opts.users, arrivals) } };
    const packFew = { ...few.config, variables: { runSeconds: opts.runSeconds } };
    runs.push(
      await measureArtillery(
        `bare YAML, ${opts.users} users`,
        [BARE, '--overrides', JSON.stringify(few), ...vars({ cycles })],
        api.url,
      ),
    );
    for (const engine of engines)
      runs.push(
        await measureArtillery(
          `pack on ${engine}, ${opts.users} users`,
          packOn(engine, packFew),
          api.url,
          PACK_ENV,
        ),
      );
    runs.push(
      await measureGenerator(
        `undici floor, ${opts.users} users`,
        [process.execPath, FLOOR, api.url, String(opts.users), String(opts.runSeconds), '40'],
        api.url,
        { setupRequests: 2 },
      ),
    );
    if (fast) locustFew = await locustRun(`${fast}, ${opts.users} users`, opts.users, 0.02);
    // Many users that stay for the whole run, mean think 0.5 s: the memory comparison (the smoke run's few
    // users are its many as well: one size, to keep its time short).
    if (opts.manyUsers !== opts.users) {
      const many = { config: { phases: phases(opts.manyUsers, arrivals) } };
      const packMany = { ...many.config, variables: { runSeconds: opts.runSeconds, thinkFactor: 0.25 } };
      runs.push(
        await measureArtillery(
          `bare YAML, ${opts.manyUsers} users`,
          [BARE, '--overrides', JSON.stringify(many), ...vars({ cycles: 1, thinkMs: 500 })],
          api.url,
        ),
      );
      for (const engine of engines)
        runs.push(
          await measureArtillery(
            `pack on ${engine}, ${opts.manyUsers} users`,
            packOn(engine, packMany),
            api.url,
            PACK_ENV,
          ),
        );
      if (fast) runs.push(await locustRun(`${fast}, ${opts.manyUsers} users`, opts.manyUsers, 0.25));
    }
    // Start-up to the first load request against today's (the HTTP engine): one user, a one-second run; the
    // engines alternate.
    const tiny = { phases: [{ duration: 1, arrivalRate: 1, maxVusers: 1 }], variables: { runSeconds: 1 } };
    for (let repeat = 0; opts.withHttp && repeat < opts.startupRepeats; repeat++)
      for (const engine of engines)
        startup[engine].push(
          (await measureArtillery(`start-up: pack on ${engine}`, packOn(engine, tiny), api.url, PACK_ENV))
            .startupMs,
        );
    // The spike profile's shape on the btcw engine, and Locust FastHttpUser's beside it.
    const target = { url: api.url, tmp };
    spike.push(
      await spikePackRow(target, {
        ...opts.spike,
        generator: 'pack on btcw',
        label: 'spike: pack on btcw',
        variables: engineVariables('btcw'),
      }),
    );
    if (fast)
      spike.push(
        await spikeLocustRow(target, { ...opts.spike, cls: 'StrategyReadFastHttpUser', generator: fast }),
      );
  } finally {
    api.stop();
    rmSync(tmp, { recursive: true, force: true });
  }
  if (locustFew) runs.splice(2 + engines.length, 0, locustFew);
  const byName = (name: string) => runs.find((r) => r.name === name)!;
  const bare = byName(`bare YAML, ${opts.users} users`);
  const btcw = byName(`pack on btcw, ${opts.users} users`);
  const ratios: EngineCost['ratios'] = {
    cpuPer1000: ratio(btcw.cpuPer1000, bare.cpuPer1000),
    requestsPerCpuSecond: perCpuSecond(btcw),
    overFloor: ratio(btcw.cpuPer1000, byName(`undici floor, ${opts.users} users`).cpuPer1000),
    peakRssManyUsers: ratio(
      byName(`pack on btcw, ${opts.manyUsers} users`).peakRssMiB,
      byName(`bare YAML, ${opts.manyUsers} users`).peakRssMiB,
    ),
  };
  console.log(`engine / bare steady CPU per 1000 requests: ${times(ratios.cpuPer1000)}`);
  console.log(`engine requests per CPU-second: ${ratios.requestsPerCpuSecond}`);
  console.log(`engine / undici floor steady CPU per 1000 requests: ${times(ratios.overFloor)}`);
  console.log(`engine / bare peak RSS at ${opts.manyUsers} users: ${times(ratios.peakRssManyUsers)}`);
  if (opts.withHttp) {
    ratios.overHttp = ratio(btcw.cpuPer1000, byName(`pack on http, ${opts.users} users`).cpuPer1000);
    ratios.startup = ratio(median(startup.btcw), median(startup.http));
    console.log(`engine / http steady CPU per 1000 requests: ${times(ratios.overHttp)}`);
    console.log(
      `engine / http start-up to the first load request (medians of ${opts.startupRepeats}, one user): ` +
        times(ratios.startup),
    );
  }
  if (locustFew) {
    ratios.overLocust = ratio(ratios.requestsPerCpuSecond, perCpuSecond(locustFew));
    console.log(`Locust FastHttpUser requests per CPU-second: ${perCpuSecond(locustFew)}`);
    console.log(`engine / Locust FastHttpUser requests per CPU-second: ${times(ratios.overLocust)}`);
  } else {
    console.log(locustSkipLine('FastHttpUser', locustPython(), 'engine'));
    skipped.push({ generator: 'Locust FastHttpUser', reason: `no Locust in ${locustPython()}` });
  }
  for (const row of spike)
    console.log(
      `engine spike: ${row.generator}: generator-added p99 ${row.addedP99Ms} ms, ` +
        `users lost ${row.usersLost ?? 'n/a'}, ${row.requestsPerCpuSecond} req/CPU-s, ` +
        `peak RSS ${row.peakRssMiB} MiB`,
    );
  return { runs: runs.map(({ series: _series, ...run }) => run), startupMs: startup, ratios, spike, skipped };
}
