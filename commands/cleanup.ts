// `npm run cleanup`: deletes strategies left by earlier runs (names ending in a run tag); never untagged
// data.

import { parseArgs } from 'node:util';
import { resolveCredentials } from '../lib/credentials.js';
import { loginAndSweep } from '../lib/tagged-cleanup.js';
import { UsageError } from '../lib/usage-error.js';
import { loadEnvironments } from '../runner/profiles.js';
import { resolveTarget } from '../runner/run-options.js';
import { loadDotenv } from './run.js';

export async function cleanup(argv: string[]): Promise<number> {
  loadDotenv(argv, process.env);
  let values: { env?: string; tag?: string };
  try {
    ({ values } = parseArgs({
      args: argv,
      options: { env: { type: 'string', short: 'e' }, tag: { type: 'string' } },
      strict: true,
    }));
  } catch (error) {
    throw new UsageError(
      `${(error as Error).message.split('\n')[0]} (usage: npm run cleanup -- [--env NAME] [--tag RUN_TAG])`,
    );
  }
  const environment = values.env ?? process.env.BTCW_ENV ?? 'local';
  const envSpec = loadEnvironments().find((e) => e.name === environment);
  if (!envSpec)
    throw new UsageError(
      `unknown environment "${environment}": use one of ${loadEnvironments()
        .map((e) => e.name)
        .join(', ')}`,
    );
  const target = resolveTarget(envSpec, process.env);
  const creds = resolveCredentials(process.env, environment);
  if (!creds.ok) throw new UsageError(creds.error);
  const { deleted, tags } = await loginAndSweep(target.origin, creds.user, values.tag ?? null);
  console.log(
    `btcw: cleanup deleted ${deleted} tagged strategies on ${target.host}` +
      `${tags.length ? ` (runs ${tags.join(', ')})` : ''}`,
  );
  return 0;
}
