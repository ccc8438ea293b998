// What a user meets before any command runs: the entry point on a Node too old for Artillery, and npm's
// own output in this repo (no warning about the repo's .npmrc on every command, no browser download).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { ROOT } from '../../lib/root.js';

describe('before any command runs', () => {
  it('an old Node gets one line and exit 2, not a module-linking error', () => {
    // Node 22 posing as Node 20: the check reads process.versions.node before anything else loads.
    const pose = 'Object.defineProperty(process.versions,"node",{value:"20.20.2"})';
    const result = spawnSync(
      process.execPath,
      ['--import', `data:text/javascript,${pose}`, path.join(ROOT, 'build/cli/main.js'), 'run', 'smoke'],
      { encoding: 'utf8', env: { ...process.env, ARTILLERY_DISABLE_TELEMETRY: 'true' } },
    );
    assert.equal(result.status, 2, result.stderr);
    assert.equal(result.stderr.trim().split('\n').length, 1, `one line expected, got:\n${result.stderr}`);
    assert.match(result.stderr, /^btcw: needs Node >= 22\.18\.0, this is 20\.20\.2: run it through npm run/);
  });

  it('npm commands in the repo print no warning about its config', () => {
    const result = spawnSync('npm', ['config', 'get', 'fund'], { cwd: ROOT, encoding: 'utf8' });
    assert.equal(result.status, 0, result.stderr);
    assert.doesNotMatch(result.stderr, /npm warn/i);
  });

  it('the browser-downloading package Artillery depends on is an empty stand-in', () => {
    const installed = JSON.parse(
      readFileSync(path.join(ROOT, 'node_modules/@playwright/browser-chromium/package.json'), 'utf8'),
    ) as { scripts?: Record<string, string> };
    assert.equal(installed.scripts?.install, undefined);
  });
});
