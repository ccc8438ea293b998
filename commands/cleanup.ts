// `npm run cleanup`: deletes strategies left by earlier runs (names ending in a run tag); never untagged
// data.

import { resolveCredentials } from '../lib/credentials.js';
import { type FlagTable, HELP_FLAG, optionLines, parseFlags } from '../lib/flag-table.js';
import { loginAndSweep } from '../lib/tagged-cleanup.js';
import { UsageError } from '../lib/usage-error.js';
import { findEnvironment } from '../runner/profiles.js';
import { resolveTarget } from '../runner/run-options.js';
import { loadDotenv } from './run.js';

const CLEANUP_SYNOPSIS = 'npm run cleanup -- [--env NAME] [--tag RUN_TAG]';

export const CLEANUP_FLAGS = [
  {
    name: 'env',
    short: 'e',
    type: 'string',
    value: 'NAME',
    help: 'the environment whose target is cleaned (env BTCW_ENV; default local)',
  },
  {
    name: 'tag',
    type: 'string',
    value: 'RUN_TAG',
    help: "only the strategies of that run (default: every run's)",
  },
  HELP_FLAG,
] as const satisfies FlagTable;

export const CLEANUP_USAGE = `Usage: ${CLEANUP_SYNOPSIS}\n${optionLines(CLEANUP_FLAGS)}`;

export async function cleanup(argv: string[]): Promise<number> {
  loadDotenv(argv, process.env);
  const parsed = parseFlags(CLEANUP_FLAGS, argv, {
    positionals: false,
    suffix: ` (usage: ${CLEANUP_SYNOPSIS})`,
  });
  const { values } = parsed;
  const envSpec = findEnvironment(values.env, process.env);
  const environment = envSpec.name;
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
