// Starts the embedded reference API for a benchmark, pinned to core 0 by default, so the load generator can
// have core 1.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

export async function startPinnedApi(
  args: string[],
  cores = '0',
): Promise<{ url: string; stop: () => void }> {
  const child = spawn(
    'taskset',
    ['-c', cores, process.execPath, path.join(ROOT, 'build/target/cli.js'), '--port', '0', ...args],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m) resolve(m[1]!);
    });
    child.once('exit', (c) => reject(new Error(`API exited ${c}`)));
  });
  return { url, stop: () => child.kill('SIGTERM') };
}
