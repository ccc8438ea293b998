// The results folder (--out), made and proven writable before any load: a folder that cannot take the
// results would otherwise let the whole run go by and then lose it when Artillery writes them.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/** Makes `dir` and writes a probe file into it; one line naming the problem and the fix, or null. */
export function outDirProblem(dir: string): string | null {
  const probe = path.join(dir, `.btcw-write-check-${process.pid}`);
  try {
    mkdirSync(dir, { recursive: true });
    writeFileSync(probe, '');
    rmSync(probe, { force: true });
    return null;
  } catch (error) {
    const err = error as NodeJS.ErrnoException;
    const why: Record<string, string> = {
      EROFS: 'is on a read-only file system',
      EACCES: 'is not writable by this user',
      EPERM: 'is not writable by this user',
      ENOTDIR: 'is inside a file, not a folder',
      EEXIST: 'is a file, not a folder',
      ENOSPC: 'is on a full disk',
    };
    const reason = why[err.code ?? ''] ?? `cannot be written (${err.code ?? err.message})`;
    return `the results folder ${dir} ${reason}: choose another with --out DIR`;
  }
}
