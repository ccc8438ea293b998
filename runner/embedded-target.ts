// Starts the embedded reference API for a local run when nothing answers on the target's port, and stops it
// afterwards. A BTC Watcher already listening there is used as it is.
import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import { waitForListening } from '../reference-api/listening.js';
import { ROOT } from './profiles.js';

export interface LocalTarget {
  started: boolean;
  stop(): Promise<void>;
}

async function answers(url: URL): Promise<boolean> {
  try {
    const r = await fetch(new URL('/health', url), { signal: AbortSignal.timeout(1000) });
    await r.arrayBuffer();
    return true;
  } catch {
    return false;
  }
}

export async function ensureLocalTarget(url: URL, log: (line: string) => void): Promise<LocalTarget> {
  if (await answers(url)) {
    log(`using the API already listening at ${url.origin}`);
    return { started: false, stop: async () => {} };
  }
  const cli = path.join(ROOT, 'build', 'reference-api', 'standalone.js');
  const child: ChildProcess = spawn(
    process.execPath,
    [cli, '--port', url.port || '80', '--host', url.hostname],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: process.env,
      // Its own process group: a Ctrl-C in the terminal must not stop it before the run has cleaned up.
      detached: true,
    },
  );
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => {
    stderr += d.toString();
  });
  const ready = (await waitForListening(child)) !== null;
  if (!ready) {
    child.kill('SIGKILL');
    throw new Error(
      `the embedded API did not start on ${url.host}: ` +
        `${stderr.trim().split('\n')[0] || 'no answer within 15 s'}`,
    );
  }
  log(`started the embedded reference API at ${url.origin}`);
  return {
    started: true,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        const kill = setTimeout(() => child.kill('SIGKILL'), 5000);
        child.once('exit', () => {
          clearTimeout(kill);
          resolve();
        });
        child.kill('SIGTERM');
      }),
  };
}
