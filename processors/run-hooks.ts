// The flows' `before` and `after` hooks (main process, once per run, or per container when distributed):
// run tag, seed, mix, admin expectation, fixture strategies, token pool; and the clean-up.
import { BtcwClient } from '../lib/btcw-client.js';
import { containerTag, sharedRunTag } from '../lib/container-tag.js';
import { adminExpectationFor, type Credentials, resolveCredentials } from '../lib/credentials.js';
import { runSettings, seedNumber } from '../lib/run-settings.js';
import { loginAndSweep } from '../lib/tagged-cleanup.js';
import type { VUContext, VUEvents } from './artillery-types.js';
import { resolveMix } from './catalogue.js';
import { newFaker, strategyCreate } from './payloads.js';
import { newWorkerUsers, WORKER_USERS_VAR } from './user-state.js';

export function credentialsFor(environment: unknown): { user: Credentials; admin: Credentials } {
  const resolved = resolveCredentials(process.env, environment as string | undefined);
  if (!resolved.ok) throw new Error(resolved.error);
  return resolved;
}

/** Before any user starts: run tag, seed, and fixture strategies that webhooks and start/stop target. */
export async function beginRun(context: VUContext, _events: VUEvents): Promise<void> {
  try {
    await prepareRun(context);
  } catch (error) {
    // Artillery would print a stack trace and carry on loading; stop here with one line instead.
    console.error(`btcw: run set-up failed before any load: ${(error as Error).message}`);
    process.exit(2);
  }
}

async function prepareRun(context: VUContext): Promise<void> {
  const vars = context.vars;
  const runSeconds = Number(vars.runSeconds);
  if (!Number.isFinite(runSeconds) || runSeconds <= 0)
    throw new Error('config.variables.runSeconds must be a positive number (set by the profile)');
  const mix = resolveMix(String(vars.userMix ?? 'comprehensive'));
  if (typeof mix === 'string') throw new Error(mix);
  const settings = runSettings();
  // In a cloud container (WORKER_ID) the run's tag gets the container's suffix: see lib/container-tag.ts.
  // One tag, made once: a raw `artillery run` has no BTCW_RUN_TAG, and two fresh tags would leave the
  // webhook users no fixture of "this run" to target.
  vars.sharedRunTag = settings.runTag ?? sharedRunTag(process.env);
  vars.runTag = containerTag(vars.sharedRunTag as string, process.env.WORKER_ID);
  vars.runSeed = seedNumber(settings.seed);
  vars.mixClasses = mix;
  vars[WORKER_USERS_VAR] = newWorkerUsers();
  vars.adminLoginStatus = adminExpectationFor(
    settings.adminCredentials,
    vars.$environment as string | undefined,
    vars.adminLoginStatus,
  ).status;
  const { user } = credentialsFor(vars.$environment);
  const client = new BtcwClient(String(vars.target));
  await client.login(user);
  const faker = newFaker(vars.runSeed as number);
  const fixtures = Number(vars.fixtureStrategies ?? 3);
  const nowSeconds = Math.floor(Date.now() / 1000);
  for (let fixture = 0; fixture < fixtures; fixture++) {
    await client.createStrategy(
      strategyCreate(faker, { prefix: 'Load Fixture Strategy', runTag: vars.runTag as string, nowSeconds }),
    );
  }
  if (vars.loginPolicy === 'pool') {
    // For backends whose login is slow: users share a few tokens made here instead of logging in at start.
    const size = Math.max(1, Number(vars.tokenPoolSize ?? 5));
    const pool: string[] = [];
    for (let slot = 0; slot < size; slot++) pool.push(await BtcwClient.token(String(vars.target), user));
    vars.tokenPool = pool;
  }
}

/** After all users: delete every strategy carrying this run's tag (users that stopped mid-task included). */
export async function endRun(context: VUContext, _events: VUEvents): Promise<void> {
  const vars = context.vars;
  if (typeof vars.runTag !== 'string') return;
  try {
    const { deleted } = await loginAndSweep(
      String(vars.target),
      credentialsFor(vars.$environment).user,
      vars.runTag,
    );
    console.log(`cleanup: deleted ${deleted} strategies tagged ${vars.runTag}`);
  } catch (error) {
    console.log(
      `cleanup: could not delete this run's strategies (${(error as Error).message}); ` +
        'run "npm run cleanup" to remove them',
    );
  }
}
