// Starts the embedded reference API for a benchmark, pinned to core 0 by default, so the load generator can
// have core 1.

import { spawn } from 'node:child_process';
import path from 'node:path';
import { waitForListening } from '../../reference-api/listening.js';

export { ROOT } from '../../lib/root.js';

import { ROOT } from '../../lib/root.js';

export async function startPinnedApi(
  args: string[],
  cores = '0',
): Promise<{ url: string; stop: () => void }> {
  const child = spawn(
    'taskset',
    [
      '-c',
      cores,
      process.execPath,
      path.join(ROOT, 'build/reference-api/standalone.js'),
      '--port',
      '0',
      ...args,
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const url = await waitForListening(child);
  if (url === null) throw new Error('the reference API did not start (exited, or no answer within 15 s)');
  return { url, stop: () => child.kill('SIGTERM') };
}
