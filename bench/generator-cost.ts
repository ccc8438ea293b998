// What the pack costs as a load generator, against bare Artillery on the same request mix:
// steady-state generator CPU-seconds per 1,000 requests, start-up (command to the first load
// request at the server, median of several), and peak RSS with few users and with 1,000. The embedded API
// runs on core 0, Artillery on core 1. Part of `npm run bench` (section "generator").
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseDocument } from 'yaml';
import { EXIT_CODES } from '../grading/evaluation.js';
import { type GeneratorRun, measureArtillery } from './lib/measure-generator.js';
import { ROOT, startPinnedApi } from './lib/pinned-api.js';

export interface GeneratorCostOptions {
  /** Length of each load run. */
  runSeconds: number;
  /** Users of the CPU comparison (think 40 ms) and of the memory comparison (think 0.5 s). */
  users: number;
  manyUsers: number;
  /** Start-up runs per side; the median is quoted (start-up varies by a second or more between runs). */
  startupRepeats: number;
}

export interface GeneratorCost {
  runs: Omit<GeneratorRun, 'series'>[];
  startupMs: { bareWithProcessor: number[]; pack: number[] };
  /** pack / bare; goals: CPU <= 1.10, start-up <= 1 (against bare with a JS processor), RSS <= 1.10. */
  ratios: { cpuPer1000: number; cpuPer1000WithExpect: number; startup: number; peakRssManyUsers: number };
}

export const PACK_INPUTS = [
  '-i',
  'bench/flows/pack-profile.yml',
  '-i',
  'config/environments.yml',
  '-e',
  'local',
];
export const PACK = ['scenarios/flows.yml', ...PACK_INPUTS];
/**
 * flows.yml with artillery-plugin-expect, as smoke and the module runs add it (load, stress and spike run
 * without it: the targets plugin grades `expect` in every profile), to show that plugin's share.
 */
const WITH_EXPECT_FLOWS = 'scenarios/.bench-flows-with-expect.yml';
/** The pack's set-up login comes before the load; a verdict of FAIL or WARN is still a measurement. */
export const PACK_ENV = {
  setupRequests: 1,
  env: { BTCW_TARGETS_FILE: path.join(ROOT, 'config/targets.yml') },
  acceptExitCodes: [EXIT_CODES.FAIL, EXIT_CODES.WARN],
};
export const BARE = 'bench/flows/strategy-read-bare.yml';
export const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
export const vars = (o: Record<string, unknown>) => ['-v', JSON.stringify(o)];
export const phases = (users: number, seconds: number) => [
  { duration: seconds, arrivalRate: Math.max(1, Math.ceil(users / seconds)), maxVusers: users },
];

export async function generatorCost(options: GeneratorCostOptions): Promise<GeneratorCost> {
  const api = await startPinnedApi(['--seed-strategies', '100', '--bcrypt-cost', '4']);
  // about 24 tasks/s per user at 40 ms think
  const cycles = Math.max(1, Math.round((options.runSeconds * 24) / 38));
  const runs: GeneratorRun[] = [];
  const startup = { bareWithProcessor: [] as number[], pack: [] as number[] };
  try {
    const few = { config: { phases: phases(options.users, 5) } };
    runs.push(
      await measureArtillery(
        `bare YAML, ${options.users} users`,
        [BARE, '--overrides', JSON.stringify(few), ...vars({ cycles })],
        api.url,
      ),
    );
    const packFew = [
      '--overrides',
      JSON.stringify({ config: { ...few.config, variables: { runSeconds: options.runSeconds } } }),
    ];
    runs.push(
      await measureArtillery(`pack, ${options.users} users`, [...PACK, ...packFew], api.url, PACK_ENV),
    );
    // Written beside flows.yml: Artillery resolves the processor path from the first input file.
    const doc = parseDocument(readFileSync(path.join(ROOT, 'scenarios/flows.yml'), 'utf8'));
    doc.setIn(['config', 'plugins', 'expect'], doc.createNode({ outputFormat: 'silent' }));
    writeFileSync(path.join(ROOT, WITH_EXPECT_FLOWS), doc.toString());
    try {
      runs.push(
        await measureArtillery(
          `pack with expect (smoke), ${options.users} users`,
          [WITH_EXPECT_FLOWS, ...PACK_INPUTS, ...packFew],
          api.url,
          PACK_ENV,
        ),
      );
    } finally {
      rmSync(path.join(ROOT, WITH_EXPECT_FLOWS), { force: true });
    }
    // Many users that stay for the whole run: mean think 0.5 s on both sides (38 tasks ~ 19 s).
    const many = { config: { phases: phases(options.manyUsers, 5) } };
    runs.push(
      await measureArtillery(
        `bare YAML, ${options.manyUsers} users`,
        [BARE, '--overrides', JSON.stringify(many), ...vars({ cycles: 1, thinkMs: 500 })],
        api.url,
      ),
    );
    runs.push(
      await measureArtillery(
        `pack, ${options.manyUsers} users`,
        [
          ...PACK,
          '--overrides',
          JSON.stringify({
            config: { ...many.config, variables: { runSeconds: options.runSeconds, thinkFactor: 0.25 } },
          }),
        ],
        api.url,
        PACK_ENV,
      ),
    );
    // Start-up: one user, a one-second run; alternate the sides so drift hits both.
    const tiny = { config: { phases: [{ duration: 1, arrivalRate: 1, maxVusers: 1 }] } };
    for (let repeat = 0; repeat < options.startupRepeats; repeat++) {
      startup.bareWithProcessor.push(
        (
          await measureArtillery(
            'start-up: bare YAML + JS processor',
            [
              BARE,
              '-i',
              'bench/flows/bare-with-processor.yml',
              '--overrides',
              JSON.stringify(tiny),
              ...vars({ cycles: 1, thinkMs: 1 }),
            ],
            api.url,
          )
        ).startupMs,
      );
      startup.pack.push(
        (
          await measureArtillery(
            'start-up: pack',
            [
              ...PACK,
              '--overrides',
              JSON.stringify({ config: { ...tiny.config, variables: { runSeconds: 1 } } }),
            ],
            api.url,
            PACK_ENV,
          )
        ).startupMs,
      );
    }
  } finally {
    api.stop();
  }
  const [bare, pack, packWithExpect, bareMany, packMany] = runs as [
    GeneratorRun,
    GeneratorRun,
    GeneratorRun,
    GeneratorRun,
    GeneratorRun,
  ];
  const ratio = (a: number, b: number) => Math.round((a / b) * 100) / 100;
  const ratios = {
    cpuPer1000: ratio(pack.cpuPer1000, bare.cpuPer1000),
    cpuPer1000WithExpect: ratio(packWithExpect.cpuPer1000, bare.cpuPer1000),
    startup: ratio(median(startup.pack), median(startup.bareWithProcessor)),
    peakRssManyUsers: ratio(packMany.peakRssMiB, bareMany.peakRssMiB),
  };
  console.log(`pack / bare steady CPU per 1000 requests: ${ratios.cpuPer1000}x (goal <= 1.10x)`);
  console.log(`pack with artillery-plugin-expect (smoke, modules) / bare: ${ratios.cpuPer1000WithExpect}x`);
  console.log(
    `pack / bare+JS-processor start-up (medians of ${options.startupRepeats}): ` +
      `${ratios.startup}x (goal <= 1x)`,
  );
  console.log(
    `pack / bare peak RSS at ${options.manyUsers} users: ${ratios.peakRssManyUsers}x (goal <= 1.10x)`,
  );
  return { runs: runs.map(({ series: _s, ...rest }) => rest), startupMs: startup, ratios };
}
