// npm run test:unit: the in-process tests, as two runs of Node's test runner side by side.
// - test/unit/*.test.ts share one process. They are pure and mostly cost their module loading: 34 files
//   took 12.3 CPU-s in a process each and 2.8 CPU-s in one (3 December 2026).
// - test/unit/servers/ start an API, a dashboard or engine users and mostly wait on them, so they run in a
//   process each, all at once. npm test runs every file in a process of its own, so a file that only
//   passes beside the others, or only alone, fails one of the two.
// The files are the compiled twins of test/'s sources, not a glob of build/, so the output of a test
// that was moved or deleted is not run.
import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { ROOT } from '../lib/root.js';

const TIMEOUT_MS = 60_000;

/** The compiled test files of one source folder of test/unit/, sorted. */
function compiled(folder: string): string[] {
  return readdirSync(path.join(ROOT, folder))
    .filter((name) => name.endsWith('.test.ts'))
    .sort()
    .map((name) => path.join(ROOT, 'build', folder, name.replace(/\.ts$/, '.js')));
}

interface Group {
  title: string;
  files: string[];
  flags: string[];
}

interface Outcome {
  code: number;
  output: string;
}

/** One run of the test runner; its output kept to print whole, so the two runs do not interleave. */
function runGroup(group: Group, reporter: string): Promise<Outcome> {
  const args = [
    '--disable-warning=ExperimentalWarning',
    '--test',
    '--test-force-exit',
    `--test-timeout=${TIMEOUT_MS}`,
    `--test-reporter=${reporter}`,
    ...group.flags,
    ...group.files,
  ];
  const child = spawn(process.execPath, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.stderr.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  return new Promise((resolve) => {
    child.once('close', (code, signal) => resolve({ code: code ?? (signal ? 1 : 0), output }));
  });
}

const groups: Group[] = [
  {
    title: 'test/unit (one process)',
    files: compiled('test/unit'),
    flags: ['--experimental-test-isolation=none'],
  },
  {
    title: 'test/unit/servers (a process each)',
    files: compiled('test/unit/servers'),
    flags: ['--test-concurrency=16'],
  },
];

const reporter = process.stdout.isTTY ? 'spec' : 'tap';
const outcomes = await Promise.all(groups.map((group) => runGroup(group, reporter)));
const lines: string[] = [];
outcomes.forEach((outcome, index) => {
  const group = groups[index]!;
  process.stdout.write(`\n# ${group.title}: ${group.files.length} files\n${outcome.output}`);
  lines.push(`${group.title}: ${outcome.code === 0 ? 'passed' : `FAILED (exit ${outcome.code})`}`);
});
process.stdout.write(`\n${lines.join('\n')}\n`);
process.exitCode = outcomes.some((outcome) => outcome.code !== 0) ? 1 : 0;
