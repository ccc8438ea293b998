// The distributed pieces' small contracts: container tags, the evaluate command's profile, and the
// rehearsal's bad input (one line, exit 2, before anything starts).
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { resultsTag } from '../../documents/results-file.js';
import { runCli } from '../../harness/pack.js';
import { tempDir } from '../../harness/temp-dir.js';
import { containerTag, processRunTag, sharedRunTag } from '../../lib/container-tag.js';
import { TAG_PATTERN, tagSuffix } from '../../lib/tagged-cleanup.js';

describe('container tags', () => {
  it('one shared tag per run, a suffix per container, names within 100 characters', () => {
    assert.equal(sharedRunTag({ BTCW_RUN_TAG: '20261201-010203-abcd' }), '20261201-010203-abcd');
    // run-fargate and run-lambda give every container the same Artillery test run id
    const artilleryId = 't7xkq_3456789abcdefghjkmnpqrtwxyz34_m3w9';
    const shared = sharedRunTag({ ARTILLERY_TEST_RUN_ID: artilleryId });
    assert.equal(shared, 't7xkq-3456789abcdefghjkmnpqrtwxyz34-m3w9');
    assert.equal(processRunTag({ ARTILLERY_TEST_RUN_ID: artilleryId }), shared, 'no WORKER_ID: no suffix');

    const fargateTask = '0f5e2f6a8b8c4d0e9f1a2b3c4d5e6f70';
    const fargateTag = containerTag(shared, fargateTask);
    const otherTag = containerTag(shared, '9b2c7d1e-3f4a-4b5c-8d6e-7f8091a2b3c4');
    assert.match(fargateTag, new RegExp(`^${shared}-w[0-9a-f]{6}$`));
    assert.notEqual(fargateTag, otherTag);
    assert.equal(containerTag(shared, fargateTask), fargateTag, 'stable for a container');
    assert.equal(processRunTag({ ARTILLERY_TEST_RUN_ID: artilleryId, WORKER_ID: fargateTask }), fargateTag);
    // the longest strategy name the pack makes, with the longest tag: the API stores up to 100 characters
    const name = `Load Fixture Strategy ${Math.floor(Date.now() / 1000)}${tagSuffix(fargateTag)}`;
    assert.ok(name.length <= 100, `${name.length} characters`);
    assert.ok(TAG_PATTERN.test(name));
  });
});

describe('npm run evaluate: the profile', () => {
  const results = (tags: unknown) => ({
    aggregate: { counters: {}, summaries: {} },
    intermediate: [],
    metadata: { tags },
  });

  it('comes from the file’s profile tag (the rehearsal’s, run-fargate --tags profile:NAME)', async () => {
    assert.equal(resultsTag(results([{ name: 'profile', value: 'stress' }]), 'profile'), 'stress');
    assert.equal(resultsTag(results('nonsense'), 'profile'), undefined);
    assert.equal(resultsTag({ aggregate: {} }, 'profile'), undefined);
    const file = path.join(tempDir('btcw-evaluate-'), 'r.json');
    writeFileSync(file, JSON.stringify(results([{ name: 'profile', value: 'spike' }])));
    const tagged = await runCli(['evaluate', file]);
    assert.match(tagged.stdout, /^evaluate: profile spike \(the file's profile tag\)$/m);
    const given = await runCli(['evaluate', file, '--profile', 'load']);
    assert.match(given.stdout, /^evaluate: profile load \(--profile\)$/m);
  });

  it('a profile that does not exist gets one line and exit 2', async () => {
    const file = path.join(tempDir('btcw-evaluate-'), 'r.json');
    writeFileSync(file, JSON.stringify(results([{ name: 'profile', value: 'smoky' }])));
    const result = await runCli(['evaluate', file]);
    assert.equal(result.code, 2);
    assert.match(
      result.stderr,
      /^btcw: .*unknown profile "smoky" \(the file's profile tag\): use one of .*\n$/,
    );
    const typo = await runCli(['evaluate', file, '--profile', 'lod']);
    assert.equal(typo.code, 2);
    assert.match(typo.stderr, /unknown profile "lod" \(--profile\)/);
  });
});

describe('npm run rehearse: bad input', () => {
  for (const [args, message] of [
    [['--count', '0', 'smoke'], /^btcw: --count must be a whole number from 1 to 16, got "0"\n$/],
    [['--count', 'x', 'smoke'], /^btcw: --count must be a whole number from 1 to 16, got "x"\n$/],
    [['--count', '2', 'nosuch'], /^btcw: unknown profile "nosuch": use one of .*\n$/],
    [['--count', '2', 'smoke', '--bogus'], /^btcw: unknown option --bogus \(see --help\)\n$/],
    [
      ['--count', '2', 'smoke', '--env', 'staging'],
      /^btcw: rehearse runs against the embedded API only .*\n$/,
    ],
  ] as const) {
    it(`${args.join(' ')}: one line, exit 2`, async () => {
      const result = await runCli(['rehearse', ...args], {
        BTCW_TARGET: 'https://staging.example.com',
        BTCW_USERNAME: 'u',
        BTCW_PASSWORD: 'p',
      });
      assert.equal(result.code, 2, result.stdout);
      assert.match(result.stderr, message);
    });
  }

  it("--env production, nothing set for it: the rehearsal's own reason, not the environment's", async () => {
    const result = await runCli(['rehearse', '--count', '2', 'smoke', '--env', 'production']);
    assert.equal(result.code, 2, result.stdout);
    assert.match(result.stderr, /^btcw: rehearse runs against the embedded API only .*not production: .*\n$/);
  });

  it('--help prints the usage', async () => {
    const result = await runCli(['rehearse', '--help']);
    assert.equal(result.code, 0);
    assert.match(result.stdout, /Usage: npm run rehearse -- --count N <profile>/);
  });
});
