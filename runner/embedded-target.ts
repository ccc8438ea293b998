// Starts the embedded reference API for a local run when nothing answers on the target's port, and stops it
// afterwards. A BTC Watcher already listening there is used as it is. Every run registers with the reference
// API it uses, so one that another run started outlives that run while this one still needs it: it stops
// when the last run using it leaves.
import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { waitForListening } from '../reference-api/listening.js';
import { ROOT } from './profiles.js';

export interface LocalTarget {
  started: boolean;
  stop(): Promise<void>;
}

async function answers(url: URL): Promise<boolean> {
  try {
    const response = await fetch(new URL('/health', url), { signal: AbortSignal.timeout(1000) });
    await response.arrayBuffer();
    return true;
  } catch {
    return false;
  }
}

/**
 * Registers this run with the reference API at `url` (or leaves with `leave`); the runs still using it, or
 * null when the API does not know registrations (a real BTC Watcher on this machine, say).
 */
async function registration(url: URL, id: string, leave = false): Promise<string[] | null> {
  try {
    const response = await fetch(new URL(`/__admin/runs/${id}`, url), {
      method: leave ? 'DELETE' : 'PUT',
      body: leave ? null : JSON.stringify({ pid: process.pid }),
      signal: AbortSignal.timeout(2000),
    });
    if (!response.ok) {
      await response.arrayBuffer();
      return null;
    }
    const body = (await response.json()) as { runs?: unknown };
    return Array.isArray(body.runs) ? body.runs.filter((x): x is string => typeof x === 'string') : null;
  } catch {
    return null;
  }
}

export async function ensureLocalTarget(url: URL, log: (line: string) => void): Promise<LocalTarget> {
  const id = `run-${process.pid}-${randomUUID().slice(0, 8)}`;
  if (await answers(url)) {
    // every run registered with it, this one included
    const runs = await registration(url, id);
    log(
      `using the API already listening at ${url.origin}` +
        (runs !== null && runs.length > 1 ? ` (shared with ${runs.length - 1} other run(s))` : ''),
    );
    return {
      started: false,
      stop: async () => {
        if (runs !== null) await registration(url, id, true);
      },
    };
  }
  const cli = path.join(ROOT, 'build', 'reference-api', 'standalone.js');
  const child: ChildProcess = spawn(
    process.execPath,
    [cli, '--port', url.port || '80', '--host', url.hostname, '--exit-when-idle'],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: process.env,
      // Its own process group: a Ctrl-C in the terminal must not stop it before the run has cleaned up.
      detached: true,
    },
  );
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
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
  await registration(url, id);
  return {
    started: true,
    stop: async () => {
      const others = await registration(url, id, true);
      if (others !== null && others.length > 0 && child.exitCode === null) {
        // another run uses it: it stops by itself when that one leaves
        log(`the embedded API stays up for ${others.length} other run(s) using it; it stops when they end`);
        child.stdout?.destroy();
        child.stderr?.destroy();
        child.unref();
        return;
      }
      await new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        const kill = setTimeout(() => child.kill('SIGKILL'), 5000);
        child.once('exit', () => {
          clearTimeout(kill);
          resolve();
        });
        child.kill('SIGTERM');
      });
    },
  };
}
