// The run tag one `artillery run` process puts on its strategies. In a distributed run (run-fargate,
// run-lambda, npm run rehearse) every container runs the whole profile with its own before and after
// hooks: each makes its own fixtures and, at its end, deletes what carries its tag. A tag shared by all
// containers would let the first one to finish delete the strategies the others are still using, so each
// container adds a suffix of its own to the run's shared tag.
import { createHash } from 'node:crypto';
import { newRunTag } from './tagged-cleanup.js';

/**
 * The tag all processes of one run share: BTCW_RUN_TAG when set (the runner and the rehearsal set it),
 * else Artillery's test run id, which run-fargate and run-lambda give every container, else a new one.
 */
export function sharedRunTag(env: NodeJS.ProcessEnv): string {
  if (env.BTCW_RUN_TAG) return env.BTCW_RUN_TAG;
  // Artillery's ids look like t7xkq_<29 chars>_m3w9; a tag allows letters, digits and dashes only.
  if (env.ARTILLERY_TEST_RUN_ID) return env.ARTILLERY_TEST_RUN_ID.replace(/[^A-Za-z0-9-]/g, '-');
  return newRunTag();
}

/** The shared tag plus `-w` and 6 hex digits of the container's WORKER_ID; unchanged outside containers. */
export function containerTag(shared: string, workerId: string | undefined): string {
  if (workerId === undefined || workerId === '') return shared;
  // Hashed: Fargate's ids are 32-character task ids, Lambda's UUIDs, and strategy names hold 100 characters.
  return `${shared}-w${createHash('sha256').update(workerId).digest('hex').slice(0, 6)}`;
}

/** This process's tag: what its before hook tags fixtures with and its after hook deletes. */
export function processRunTag(env: NodeJS.ProcessEnv): string {
  return containerTag(sharedRunTag(env), env.WORKER_ID);
}
