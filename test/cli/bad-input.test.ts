// Bad input gets one line naming the problem and the fix, exit code 2, and no load.

import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { runCli } from '../../harness/pack.js';
import { tempDir } from '../../harness/temp-dir.js';
import { UsageError } from '../../lib/usage-error.js';
import { type RunningApi, startApi } from '../../reference-api/server.js';
import { parseRunArgs } from '../../runner/run-options.js';
import { unusedPort } from '../helpers/ports.js';

const STAGING = { BTCW_TARGET: 'http://127.0.0.1:1', BTCW_USERNAME: 'u', BTCW_PASSWORD: 'p' };

async function expectRefusal(args: string[], env: Record<string, string>, message: RegExp): Promise<void> {
  const result = await runCli(args, env);
  assert.equal(
    result.code,
    2,
    `exit ${result.code} for ${args.join(' ')}\n${result.stdout}\n${result.stderr}`,
  );
  const lines = result.stderr.trim().split('\n');
  assert.equal(lines.length, 1, `not one line: ${result.stderr}`);
  assert.match(lines[0]!, message);
  // no stack trace, no Artillery started
  assert.doesNotMatch(result.stderr + result.stdout, /\n\s+at |Error:|Test run id/);
}

describe('bad input: one line, exit 2, before any load', () => {
  let api: RunningApi;
  before(async () => {
    api = await startApi({ port: 0, bcryptCost: 4 });
  });
  after(() => api.close());
  const local = () => ({ BTCW_API_PORT: String(api.port) });

  it('refuses every kind of bad input, sending no request', async () => {
    api.timings.reset();
    const dir = tempDir('btcw-bad-');
    const badEnvs = path.join(dir, 'environments.yml');
    writeFileSync(badEnvs, 'config:\n  environments:\n    local: [1, 2]\n');
    const notYaml = path.join(dir, 'broken.yml');
    writeFileSync(notYaml, 'config: {environments: [\n');
    const cases: Array<[string[], Record<string, string>, RegExp]> = [
      [
        ['run', 'smoke', '--env', 'nope'],
        local(),
        /unknown environment "nope": use one of local, staging, production/,
      ],
      [
        ['run', 'nope'],
        local(),
        /unknown profile "nope": use one of auth, capacity, load, signal, smoke, spike, strategy, stress/,
      ],
      [['run'], local(), /name one profile to run/],
      [
        ['run', 'smoke', '--env', 'staging'],
        { BTCW_USERNAME: 'u', BTCW_PASSWORD: 'p' },
        /BTCW_TARGET is not set for environment "staging": set it to the BTC Watcher base URL/,
      ],
      [
        ['run', 'smoke', '--env', 'staging'],
        { BTCW_TARGET: 'http://127.0.0.1:1' },
        /BTCW_USERNAME and BTCW_PASSWORD are missing or empty for environment "staging"/,
      ],
      [
        ['run', 'smoke', '--env', 'staging'],
        { ...STAGING, BTCW_PASSWORD: '' },
        /BTCW_PASSWORD is missing or empty/,
      ],
      [
        ['run', 'smoke', '--env', 'staging'],
        { ...STAGING, BTCW_TARGET: 'not a url' },
        /the target "not a url" of environment "staging" is not a URL/,
      ],
      [
        ['run', 'smoke', '--env', 'staging'],
        { ...STAGING, BTCW_TARGET: 'http://u:p@127.0.0.1:9' },
        /must not carry credentials in the URL/,
      ],
      [
        ['run', 'smoke', '--duration-factor', 'abc'],
        local(),
        /--duration-factor must be a number above 0 and at most 10, got "abc"/,
      ],
      [['run', 'smoke', '--duration-factor', '0'], local(), /--duration-factor must be a number above 0/],
      [['run', 'smoke', '--users-factor=-2'], local(), /--users-factor must be a number above 0/],
      [['run', 'smoke', '--users-factor', '-2'], local(), /--users-factor must be a number above 0/],
      [
        ['run', 'smoke', '--think-factor', '100'],
        local(),
        /--think-factor must be a number above 0 and at most 10/,
      ],
      [['run', 'smoke'], { ...local(), BTCW_DURATION_FACTOR: 'fast' }, /--duration-factor must be a number/],
      [['run', 'smoke', '--mix', 'Nobody'], local(), /unknown user mix "Nobody"/],
      [['run', 'smoke', '--seed', 'x'], local(), /--seed must be a whole number/],
      [['run', 'smoke', '--login-policy', 'never'], local(), /--login-policy must be per-user or pool/],
      [['run', 'smoke', '--bogus'], local(), /^btcw: unknown option --bogus \(see --help\)$/],
      [
        ['run', 'smoke'],
        { ...local(), BTCW_ENVIRONMENTS_FILE: badEnvs },
        /environments\.yml: config\.environments\.local must be a map of settings/,
      ],
      [['run', 'smoke'], { ...local(), BTCW_ENVIRONMENTS_FILE: notYaml }, /broken\.yml is not valid YAML/],
      [
        ['frobnicate'],
        local(),
        /unknown command "frobnicate": use run, capacity, rehearse, compare, evaluate, report/,
      ],
    ];
    for (const [args, env, message] of cases) await expectRefusal(args, env, message);
    assert.equal(api.timings.snapshot().requests, 0, 'a refused run sent requests');
  });

  it('preflight: a silent target, a target that is not BTC Watcher, a refused login', async () => {
    const started = Date.now();
    const port = await unusedPort();
    await expectRefusal(
      ['run', 'smoke', '--env', 'staging'],
      { ...STAGING, BTCW_TARGET: `http://127.0.0.1:${port}` },
      new RegExp(
        `http://127\\.0\\.0\\.1:${port} does not answer \\(ECONNREFUSED\\): ` +
          'start BTC Watcher there or choose another --env',
      ),
    );
    assert.ok(Date.now() - started < 10_000, 'preflight took too long');

    const other: Server = createServer((_req, res) => {
      res.writeHead(404);
      res.end('nope');
    });
    await new Promise<void>((r) => other.listen(0, '127.0.0.1', r));
    try {
      const port = (other.address() as AddressInfo).port;
      await expectRefusal(
        ['run', 'smoke', '--env', 'staging'],
        { ...STAGING, BTCW_TARGET: `http://127.0.0.1:${port}` },
        /\/health answered 404 without a BTC Watcher health body: is this a BTC Watcher API\?/,
      );
    } finally {
      other.close();
    }
    await expectRefusal(
      ['run', 'smoke'],
      { ...local(), BTCW_USERNAME: 'testuser', BTCW_PASSWORD: 'wrong' },
      new RegExp(
        /login as "testuser" was refused \(401\): /.source +
          /check BTCW_USERNAME and BTCW_PASSWORD, or register the user first/.source,
      ),
    );
  });
});

describe('production guard', () => {
  const remote = {
    BTCW_TARGET: 'https://btc-watcher.staging.example',
    BTCW_USERNAME: 'u',
    BTCW_PASSWORD: 'p',
  };
  const refusal = (argv: string[], env: NodeJS.ProcessEnv) => {
    try {
      parseRunArgs(argv, env);
    } catch (error) {
      if (error instanceof UsageError) return error.message;
      throw error;
    }
    return null;
  };

  it('refuses stress, spike and big runs on a non-local host unless that host is confirmed', () => {
    assert.match(
      refusal(['spike', '--env', 'staging'], remote)!,
      new RegExp(
        /refusing to run "spike" \(1000 users\) against btc-watcher\.staging\.example /.source +
          /without confirmation: add --confirm-host btc-watcher\.staging\.example/.source,
      ),
    );
    assert.match(
      refusal(['stress', '--env', 'staging', '--users-factor', '0.01'], remote)!,
      /refusing to run "stress" \(5 users\)/,
    );
    assert.match(
      refusal(['load', '--env', 'staging', '--users-factor', '2'], remote)!,
      /refusing to run "load" \(200 users\)/,
    );
    assert.match(
      refusal(['spike', '--env', 'staging', '--confirm-host', 'other.example'], remote)!,
      /refusing/,
    );
    assert.equal(
      refusal(['spike', '--env', 'staging', '--confirm-host', 'btc-watcher.staging.example'], remote),
      null,
    );
    assert.equal(
      refusal(['spike', '--env', 'staging'], { ...remote, BTCW_CONFIRM_HOST: 'btc-watcher.staging.example' }),
      null,
    );
    assert.equal(refusal(['smoke', '--env', 'staging'], remote), null);
    assert.equal(refusal(['spike'], {}), null); // local
  });

  it('the command refuses a spike on a non-local host with exit 2 and sends nothing', async () => {
    // The guard runs before any network use: the host need not (and does not) exist.
    await expectRefusal(
      ['run', 'spike', '--env', 'staging'],
      remote,
      /refusing to run "spike" \(1000 users\) against btc-watcher\.staging\.example/,
    );
  });
});
