// The floor under any undici-based generator: StrategyReadUser's request mix (its task weights and URLs,
// processors/classes/strategy-read-user.ts) sent straight through one undici Pool, every body read, with
// no Artillery, no hooks and no metrics. The engine section runs it as a generator beside the btcw engine,
// so "the engine's CPU per request" can be read against what undici and the kernel cost for the same work.
// Usage: node build/bench/undici-floor.js URL USERS SECONDS MEAN_THINK_MS
import { setTimeout as delay } from 'node:timers/promises';
import { Pool } from 'undici';
import { EMBEDDED_ADMIN } from '../lib/credentials.js';
import strategyReadUser from '../processors/classes/strategy-read-user.js';
import { API } from '../processors/request-plan.js';

/**
 * StrategyReadUser's tasks by id, as plain paths (SR-3's detail follows its list, as the class does). Their
 * weights are the class's own, read below, so the floor's mix cannot drift from the engine's.
 */
const PATHS: Record<string, (ids: number[]) => string[]> = {
  'SR-1': () => [`${API}/strategies/`],
  'SR-2': () => [`${API}/strategies/?skip=${Math.floor(Math.random() * 51)}&limit=20`],
  'SR-3': (ids) => [`${API}/strategies/`, `${API}/strategies/${ids[Math.floor(Math.random() * ids.length)]}`],
  'SR-4': () => [`${API}/strategies/overview`],
};
const MIX = strategyReadUser.tasks.map((task) => {
  const paths = PATHS[task.id];
  if (paths === undefined) throw new Error(`undici-floor: StrategyReadUser's task ${task.id} has no paths`);
  return { weight: task.weight, paths };
});
const TOTAL = MIX.reduce((sum, task) => sum + task.weight, 0);

function chooseTask(): (typeof MIX)[number] {
  let draw = Math.random() * TOTAL;
  for (const task of MIX) {
    if (draw < task.weight) return task;
    draw -= task.weight;
  }
  return MIX[0]!;
}

async function main(): Promise<void> {
  const [url, usersArg, secondsArg, thinkArg] = process.argv.slice(2);
  const users = Number(usersArg);
  const seconds = Number(secondsArg);
  const thinkMs = Number(thinkArg);
  if (!url || !(users > 0) || !(seconds > 0) || !(thinkMs >= 0)) {
    console.error('usage: undici-floor.js URL USERS SECONDS MEAN_THINK_MS');
    process.exit(2);
  }
  const pool = new Pool(url, { keepAliveTimeout: 30_000, pipelining: 1 });
  const form = new URLSearchParams({ ...EMBEDDED_ADMIN }).toString();
  const login = await pool.request({
    path: `${API}/auth/token`,
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: form,
  });
  const token = ((await login.body.json()) as { access_token?: string }).access_token;
  if (login.statusCode !== 200 || !token) throw new Error(`login answered ${login.statusCode}`);
  const headers = { authorization: `Bearer ${token}` };
  const list = await pool.request({ path: `${API}/strategies/`, method: 'GET', headers });
  const ids = ((await list.body.json()) as { strategies: { id: number }[] }).strategies.map((s) => s.id);
  const end = Date.now() + seconds * 1000;
  // A floor of error answers (small bodies) would flatter every ratio: any non-200 fails the row.
  let failed = 0;
  const user = async () => {
    while (Date.now() < end) {
      for (const path of chooseTask().paths(ids)) {
        const answer = await pool.request({ path, method: 'GET', headers });
        await answer.body.text();
        if (answer.statusCode !== 200) failed++;
      }
      await delay(Math.random() * 2 * thinkMs);
    }
  };
  await Promise.all(Array.from({ length: users }, user));
  await pool.close();
  if (failed > 0) throw new Error(`${failed} answers were not 200: the floor would not be the same work`);
}

main().catch((err: unknown) => {
  console.error(`undici-floor: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
