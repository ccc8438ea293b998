// Verdicts under a stalling backend at smoke's own length (docs/verdicts.md, "The evidence a latency
// verdict needs"): N identical smoke runs against one embedded API that holds every response for 1 s every
// 30 s must each PASS, and M runs with 400 ms on /auth/me must each FAIL on that route. The CI test
// (test/timing/stall-verdicts.test.ts) makes 2 + 1 compressed runs; this makes the issue's 5 at full length
// (about 90 s each). Loopback only, every run bounded by the profile's own length.
//   npm run bench:stall [-- --clean 5 --slowed 2 --think-factor 1]
import { parseArgs } from 'node:util';
import { runPackWithFaults } from '../harness/pack.js';
import type { FaultConfig } from '../reference-api/faults.js';
import { startApi } from '../reference-api/server.js';
import { fail, wholeNumberFlag } from './lib/bench-flags.js';

const STALL: Partial<FaultConfig> = { stallEverySeconds: 30, stallMs: 1000 };
const SLOWED: Partial<FaultConfig> = { ...STALL, latencyMs: 400, latencyRoute: '/auth/me$' };

const count = (raw: string | undefined, name: string, fallback: number) =>
  wholeNumberFlag(raw, name, fallback, [0, 20]);

async function main(): Promise<void> {
  let values: { clean?: string; slowed?: string; 'think-factor'?: string };
  try {
    ({ values } = parseArgs({
      options: { clean: { type: 'string' }, slowed: { type: 'string' }, 'think-factor': { type: 'string' } },
    }));
  } catch (error) {
    fail(
      `${(error as Error).message}; usage: npm run bench:stall [-- --clean N --slowed M --think-factor F]`,
    );
  }
  const clean = count(values.clean, 'clean', 5);
  const slowed = count(values.slowed, 'slowed', 2);
  const think = values['think-factor'] ?? '1';
  if (!(Number(think) > 0 && Number(think) <= 10)) fail(`--think-factor must be above 0 and at most 10`);
  const api = await startApi({ port: 0, bcryptCost: 4 });
  const rows: string[] = [];
  let wrong = 0;
  try {
    for (const [kind, faults, runs, expected] of [
      ['stall', STALL, clean, 'PASS'],
      ['stall + 400 ms on /auth/me', SLOWED, slowed, 'FAIL'],
    ] as const) {
      for (let index = 0; index < runs; index++) {
        const run = await runPackWithFaults(api, faults, ['--think-factor', think]);
        const evaluation = run.evaluation;
        if (!evaluation) fail(`a run wrote no evaluation (exit ${run.code}): ${run.stderr}`);
        // What a rule without evidence would have said: any endpoint reading over its target.
        const over = evaluation.endpoints
          .filter((x) => !x.meetsTarget)
          .map((x) => `${x.name} (${x.requests})`);
        const me = evaluation.endpoints.filter((x) => x.name.startsWith('GET /auth/me '));
        if (evaluation.verdict !== expected) wrong++;
        rows.push(
          `${kind} run ${index + 1}: ${evaluation.verdict} (expected ${expected}), exit ${run.code}, ` +
            `${evaluation.overall.requests} requests, max ${evaluation.overall.latency?.max ?? '-'} ms; ` +
            `over target without evidence rule: ${over.join(', ') || 'none'}; ` +
            `/auth/me ${me.map((x) => `${x.requests} requests ${x.evidence?.status}`).join(', ') || '-'}`,
        );
        console.log(rows.at(-1));
      }
    }
  } finally {
    await api.close();
  }
  console.log(`\n${rows.length - wrong} of ${rows.length} runs gave the expected verdict`);
  process.exit(wrong === 0 ? 0 : 1);
}

await main();
