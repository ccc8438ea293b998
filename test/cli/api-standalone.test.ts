import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { parseTargetArgs } from '../../reference-api/api-flags.js';
import { waitForListening } from '../../reference-api/listening.js';

const CLI = fileURLToPath(new URL('../../reference-api/standalone.js', import.meta.url));

describe('target options', () => {
  it('parses flags and fault env vars', () => {
    const parsed = parseTargetArgs(['--port', '0', '--error-rate', '0.2', '--empty-lists'], {
      BTCW_FAULT_LATENCY_MS: '40',
      BTCW_JWT_SECRET: 's',
    });
    assert.ok(!('error' in parsed) && !parsed.help);
    if ('error' in parsed || parsed.help) return;
    assert.equal(parsed.options.port, 0);
    assert.equal(parsed.options.faults.errorRate, 0.2);
    assert.equal(parsed.options.faults.emptyLists, true);
    assert.equal(parsed.options.faults.latencyMs, 40);
    assert.equal(parsed.options.jwtSecret, 's');
  });
  it('reads the stall and delayed-error faults from flags and env', () => {
    const parsed = parseTargetArgs(['--stall-every', '30', '--stall-ms', '1000', '--error-rate', '0.5'], {
      BTCW_FAULT_ERROR_RATE_FROM: '20',
    });
    assert.ok('options' in parsed, JSON.stringify(parsed));
    if (!('options' in parsed)) return;
    assert.equal(parsed.options.faults.stallEverySeconds, 30);
    assert.equal(parsed.options.faults.stallMs, 1000);
    assert.equal(parsed.options.faults.errorRate, 0.5);
    assert.equal(parsed.options.faults.errorRateFromSeconds, 20);
  });
  it('gives one-line errors naming the problem', () => {
    const cases: Array<[string[], RegExp]> = [
      [['--port', 'abc'], /--port must be a whole number from 0 to 65535, got "abc"/],
      [['--error-rate', '3'], /errorRate.*between 0 and 1/],
      [['--bcrypt-cost', '40'], /--bcrypt-cost must be a whole number from 4 to 15/],
      [['--host', '10.0.0.1'], /--host must be a loopback address/],
      [['--nope'], /Unknown option '--nope'/],
      [['--latency-ms', 'fast'], /--latency-ms must be a number/],
      [['--stall-every', '30'], /--stall-every and --stall-ms go together/],
      [['--stall-ms', '1000'], /--stall-every and --stall-ms go together/],
      [['--stall-every', '1', '--stall-ms', '1000'], /--stall-ms must be shorter than --stall-every \(1 s\)/],
      [['--error-rate-from', '20'], /--error-rate-from needs --error-rate/],
    ];
    for (const [argv, re] of cases) {
      const parsed = parseTargetArgs(argv, {});
      assert.ok('error' in parsed, argv.join(' '));
      if ('error' in parsed) {
        assert.match(parsed.error, re);
        assert.ok(!parsed.error.includes('\n'));
      }
    }
  });
});

describe('target CLI', () => {
  it('prints its URL, answers health, and stops cleanly on SIGTERM', async () => {
    const child = spawn(process.execPath, ['--disable-warning=ExperimentalWarning', CLI, '--port', '0'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
    });
    const url = await waitForListening(child);
    assert.ok(url, `no listening line: ${out}`);
    const health = await fetch(`${url}/health`);
    assert.equal(health.status, 200);
    assert.equal(((await health.json()) as { status: string }).status, 'healthy');
    const code = await new Promise<number | null>((resolve) => {
      child.once('exit', (c) => resolve(c));
      child.kill('SIGTERM');
    });
    assert.equal(code, 0);
    assert.match(out, /reference API stopped/);
  });

  it('exits 2 with one line on a bad flag', async () => {
    const child = spawn(process.execPath, [CLI, '--port', 'x'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let err = '';
    child.stderr.on('data', (chunk: Buffer) => {
      err += chunk.toString();
    });
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    assert.equal(code, 2);
    assert.equal(err.trim().split('\n').length, 1);
    assert.match(err, /--port must be a whole number/);
  });
});
