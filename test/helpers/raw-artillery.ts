// The README's raw form as the tests run it, with no command of the pack around it: `artillery run
// <script> -i scenarios/flows.yml -i config/environments.yml -e local --target URL`, its exit code and
// both outputs.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { ROOT } from '../../lib/root.js';

export interface RawRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface RawRunOptions {
  /** Artillery's --overrides (phases, variables). */
  overrides?: unknown;
  /** Artillery's -o results file. */
  out?: string;
  /** The whole environment of the run; default: this process's, with telemetry off. */
  env?: NodeJS.ProcessEnv;
}

export async function rawArtilleryRun(script: string, target: string, options: RawRunOptions = {}) {
  const args = [
    path.join(ROOT, 'node_modules/artillery/bin/run'),
    'run',
    script,
    '-i',
    'scenarios/flows.yml',
    '-i',
    'config/environments.yml',
    '-e',
    'local',
    '--target',
    target,
    ...(options.overrides === undefined ? [] : ['--overrides', JSON.stringify(options.overrides)]),
    ...(options.out === undefined ? [] : ['-o', options.out]),
  ];
  const env = options.env ?? { ...process.env, ARTILLERY_DISABLE_TELEMETRY: 'true' };
  const child = spawn(process.execPath, args, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  return { code, stdout, stderr } satisfies RawRun;
}
