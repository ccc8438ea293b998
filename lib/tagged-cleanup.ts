// Deletes the strategies load runs created. Only names ending in a run tag (`[btcw:<tag>]`) are touched:
// untagged data is never deleted, whatever the filter.
import { BtcwClient } from './btcw-client.js';
import type { Credentials } from './credentials.js';

export const TAG_PATTERN = /\[btcw:([A-Za-z0-9-]+)\]$/;

/** The tag every strategy of a run carries at the end of its name: what TAG_PATTERN matches. */
export function tagSuffix(runTag: string): string {
  return ` [btcw:${runTag}]`;
}

export function tagOf(name: string): string | null {
  return TAG_PATTERN.exec(name)?.[1] ?? null;
}

export interface SweepResult {
  deleted: number;
  tags: string[];
}

/** Deletes active strategies tagged with `runTag`, or with any run tag when runTag is null. */
export async function sweepTagged(client: BtcwClient, runTag: string | null): Promise<SweepResult> {
  const strategies = await client.listStrategies();
  const doomed = strategies.filter((strategy) => {
    const tag = typeof strategy.name === 'string' ? tagOf(strategy.name) : null;
    return tag !== null && (runTag === null || tag === runTag);
  });
  for (const strategy of doomed) await client.deleteStrategy(strategy.id);
  return { deleted: doomed.length, tags: [...new Set(doomed.map((s) => tagOf(s.name)!))] };
}

/** Logs in to `target` and deletes what sweepTagged would: the after hook's and the runners' clean-up. */
export async function loginAndSweep(
  target: string,
  user: Credentials,
  runTag: string | null,
): Promise<SweepResult> {
  const client = new BtcwClient(target);
  await client.login(user, { retry: true });
  return sweepTagged(client, runTag);
}

/** A run tag: sortable by time, unique enough for parallel runs, safe in a strategy name. */
export function newRunTag(now = new Date(), random = Math.random): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace(/\..*$/, '').replace('T', '-');
  return `${stamp}-${Math.floor(random() * 0x10000)
    .toString(16)
    .padStart(4, '0')}`;
}
