// The reference API's "ready" line, printed by its CLI and awaited by whoever starts it as a child process
// (the runner, the benchmarks, the CLI's tests). No SQLite here: the runner imports this.
import type { ChildProcess } from 'node:child_process';

export function listeningLine(url: string): string {
  return `BTC Watcher reference API listening on ${url} (health: ${url}/health)`;
}

const LISTENING = /listening on (http:\/\/\S+)/;

/** The API's URL once `child` prints its ready line; null if it exits, or says nothing within timeoutMs. */
export function waitForListening(child: ChildProcess, timeoutMs = 15_000): Promise<string | null> {
  return new Promise((resolve) => {
    let out = '';
    const timer = setTimeout(() => resolve(null), timeoutMs);
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const match = LISTENING.exec(out);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    });
    child.once('exit', () => {
      clearTimeout(timer);
      resolve(null);
    });
  });
}
