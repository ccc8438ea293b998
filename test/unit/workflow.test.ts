// The ready-made GitHub Actions workflow (docs/ci/): every command it runs exists in package.json, every
// job is bounded in time, secrets reach the run only through the environment, and the reports are kept.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { parse } from 'yaml';
import { ROOT } from '../../harness/pack.js';

interface Step {
  run?: string;
  uses?: string;
  with?: Record<string, unknown>;
}
interface Job {
  if?: string;
  'timeout-minutes'?: number;
  env?: Record<string, string>;
  steps: Step[];
}

const DIR = path.join(ROOT, 'docs', 'ci');
const scripts = Object.keys(
  (JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> })
    .scripts,
);
const NPM_BUILTINS = new Set(['ci', 'install', 'test', 'start']);

/** The npm commands of a shell line: `npm run X` needs script X; `npm test` and `npm start` theirs. */
export function npmCommands(line: string): Array<{ command: string; script: string | null }> {
  const out: Array<{ command: string; script: string | null }> = [];
  for (const match of line.matchAll(/\bnpm\s+(run(?:-script)?\s+([\w:.-]+)|([\w-]+))/g)) {
    if (match[2]) out.push({ command: match[0], script: match[2] });
    else
      out.push({ command: match[0], script: match[3] === 'test' || match[3] === 'start' ? match[3]! : null });
  }
  return out;
}

const files = readdirSync(DIR).filter((f) => /\.ya?ml$/.test(f));

describe('docs/ci workflow', () => {
  it('there is a workflow, and the command scanner finds npm run, npm test and npm ci', () => {
    assert.ok(files.length > 0);
    assert.deepEqual(npmCommands('npm ci && npm run load -- --env staging; npm test'), [
      { command: 'npm ci', script: null },
      { command: 'npm run load', script: 'load' },
      { command: 'npm test', script: 'test' },
    ]);
  });

  for (const file of files) {
    const wf = parse(readFileSync(path.join(DIR, file), 'utf8')) as {
      on: Record<string, unknown>;
      jobs: Record<string, Job>;
    };
    const jobs = Object.entries(wf.jobs);

    it(`${file}: every npm command it runs exists in package.json`, () => {
      const commands = jobs.flatMap(([, job]) => job.steps.flatMap((s) => (s.run ? npmCommands(s.run) : [])));
      assert.ok(commands.length >= 3, 'the workflow runs npm');
      for (const command of commands) {
        if (command.script === null) {
          assert.ok(
            NPM_BUILTINS.has(command.command.split(/\s+/)[1]!),
            `${command.command} is an npm command`,
          );
          continue;
        }
        assert.ok(
          scripts.includes(command.script),
          `"${command.command}" needs the script "${command.script}" in package.json`,
        );
      }
    });

    it(`${file}: pull requests run smoke against the embedded API; the nightly run loads staging`, () => {
      assert.ok('pull_request' in wf.on && 'schedule' in wf.on);
      const runs = (j: Job) => j.steps.map((s) => s.run ?? '').join('\n');
      const pr = jobs.find(([, job]) => job.if?.includes('pull_request'));
      const nightly = jobs.find(([, job]) => job.if?.includes('schedule'));
      assert.ok(pr && nightly);
      assert.match(runs(pr[1]), /npm run smoke(?![^\n]*--env)/);
      assert.match(runs(nightly[1]), /npm run load -- --env staging --baseline \w+/);
      for (const name of ['BTCW_TARGET', 'BTCW_USERNAME', 'BTCW_PASSWORD'])
        assert.match(nightly[1].env?.[name] ?? '', /^\$\{\{ secrets\.\w+ \}\}$/, name);
    });

    it(`${file}: bounded jobs, no secret on a command line, the JUnit and HTML reports kept`, () => {
      for (const [name, job] of jobs) {
        assert.ok(
          (job['timeout-minutes'] ?? 0) > 0 && job['timeout-minutes']! <= 60,
          `${name} has a timeout`,
        );
        for (const step of job.steps)
          assert.doesNotMatch(step.run ?? '', /secrets\.|\$BTCW_PASSWORD|echo .*BTCW_/);
        const uploads = job.steps.filter((s) => s.uses?.startsWith('actions/upload-artifact'));
        const paths = uploads.map((s) => String(s.with?.path ?? '')).join('\n');
        assert.match(paths, /\.junit\.xml/, `${name} uploads the JUnit report`);
        assert.match(paths, /\.html/, `${name} uploads the HTML report`);
      }
    });
  }
});
