import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { resolveCredentials } from '../../lib/credentials.js';
import { newRunTag, TAG_PATTERN, tagOf, tagSuffix } from '../../lib/tagged-cleanup.js';
import { MIXES, resolveMix, USER_CLASSES } from '../../processors/catalogue.js';
import {
  newFaker,
  PRICE_BANDS,
  queryPicks,
  rapidSignal,
  STRENGTHS,
  strategyCreate,
  strategyUpdate,
  webhookSignal,
} from '../../processors/payloads.js';
import { fakerOn, RandomStream, userSeed } from '../../processors/random.js';
import {
  clampPauses,
  inScope,
  listItems,
  needsRenewal,
  pickWeighted,
  RENEW_MARGIN_MS,
  thinkMs,
  tokenExpiryMs,
} from '../../processors/user-decisions.js';
import { signJwt } from '../../reference-api/jwt.js';

const FLOWS = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../scenarios/flows.yml');

/** For each `over: task.<id>` block of flows.yml, the `q.*` keys and coin conditions its steps use. */
function drawsUsedByTask(): Map<string, { query: Set<string>; coin: boolean }> {
  const used = new Map<string, { query: Set<string>; coin: boolean }>();
  const walk = (node: unknown, task: string | null): void => {
    if (typeof node === 'string' && task !== null) {
      for (const match of node.matchAll(/\{\{\s*q\.(\w+)\s*\}\}/g)) used.get(task)!.query.add(match[1]!);
      if (/^when\.(heads|tails)$/.test(node)) used.get(task)!.coin = true;
    } else if (Array.isArray(node)) {
      for (const item of node) walk(item, task);
    } else if (node && typeof node === 'object') {
      const object = node as Record<string, unknown>;
      const own =
        typeof object.over === 'string' && object.over.startsWith('task.') ? object.over.slice(5) : null;
      if (own !== null) used.set(own, { query: new Set(), coin: false });
      for (const value of Object.values(object)) walk(value, own ?? task);
    }
  };
  walk(parse(readFileSync(FLOWS, 'utf8')).scenarios, null);
  return used;
}

describe('catalogue', () => {
  it('has the 13 classes and 43 tasks of the Locust suite with their total weights', () => {
    assert.equal(USER_CLASSES.length, 13);
    assert.equal(
      USER_CLASSES.reduce((a, c) => a + c.tasks.length, 0),
      43,
    );
    const weights = Object.fromEntries(
      USER_CLASSES.map((c) => [c.name, c.tasks.reduce((a, t) => a + t.weight, 0)]),
    );
    assert.deepEqual(weights, {
      AuthenticationUser: 20,
      AuthenticatedReadUser: 15,
      HighConcurrencyAuthUser: 1,
      StrategyReadUser: 38,
      StrategyWriteUser: 18,
      StrategyOperationsUser: 20,
      StrategyMixedUser: 20,
      SignalReadUser: 76,
      SignalWebhookUser: 20,
      SignalComplexQueryUser: 18,
      SignalMixedUser: 35,
      RealWorldUser: 31,
      APIMonitorUser: 25,
    });
    assert.equal(MIXES.comprehensive!.length, 10);
  });
  it('declares for each task exactly the random query values and coin flips its flows.yml block uses', () => {
    const used = drawsUsedByTask();
    assert.equal(used.size, 43);
    for (const task of USER_CLASSES.flatMap((c) => c.tasks)) {
      const drawn = used.get(task.id);
      assert.ok(drawn, `flows.yml has no block for ${task.id}`);
      assert.deepEqual(
        [...drawn.query].sort(),
        [...(task.query ?? [])].sort(),
        `${task.id}: q.* keys used vs declared`,
      );
      assert.equal(drawn.coin, task.coin === true, `${task.id}: coin flag`);
    }
  });
  it('resolves mixes in Locust spawn order and names unknown classes', () => {
    assert.deepEqual(resolveMix('auth'), [
      'AuthenticatedReadUser',
      'AuthenticationUser',
      'HighConcurrencyAuthUser',
    ]);
    assert.deepEqual(resolveMix('StrategyReadUser, APIMonitorUser'), ['APIMonitorUser', 'StrategyReadUser']);
    assert.match(resolveMix('Nope') as string, /unknown user mix "Nope"/);
  });
  it("derives the mixes from the classes' modules and comprehensive flags as locustfile.py had them", () => {
    assert.deepEqual(MIXES.comprehensive, [
      'APIMonitorUser',
      'AuthenticatedReadUser',
      'AuthenticationUser',
      'RealWorldUser',
      'SignalMixedUser',
      'SignalReadUser',
      'SignalWebhookUser',
      'StrategyOperationsUser',
      'StrategyReadUser',
      'StrategyWriteUser',
    ]);
    assert.deepEqual(MIXES.strategy, [
      'StrategyMixedUser',
      'StrategyOperationsUser',
      'StrategyReadUser',
      'StrategyWriteUser',
    ]);
    assert.deepEqual(MIXES.signal, [
      'SignalComplexQueryUser',
      'SignalMixedUser',
      'SignalReadUser',
      'SignalWebhookUser',
    ]);
  });
});

describe('session decisions', () => {
  const tasks = [
    { id: 'A', weight: 10 },
    { id: 'B', weight: 5 },
    { id: 'C', weight: 5 },
  ];
  it('picks by weight at the boundaries', () => {
    assert.equal(pickWeighted(tasks, 0).id, 'A');
    assert.equal(pickWeighted(tasks, 0.4999).id, 'A');
    assert.equal(pickWeighted(tasks, 0.5).id, 'B');
    assert.equal(pickWeighted(tasks, 0.75).id, 'C');
    assert.equal(pickWeighted(tasks, 0.99999).id, 'C');
  });
  it("picks with the weights' frequencies", () => {
    const faker = newFaker(7);
    const picked = { A: 0, B: 0, C: 0 } as Record<string, number>;
    for (let draw = 0; draw < 20000; draw++)
      picked[pickWeighted(tasks, faker.number.float({ min: 0, max: 1 })).id]!++;
    assert.ok(
      Math.abs(picked.A! / 20000 - 0.5) < 0.02 && Math.abs(picked.B! / 20000 - 0.25) < 0.02,
      JSON.stringify(picked),
    );
  });
  it('clamps think time and pauses to the deadline', () => {
    assert.equal(thinkMs([1, 3], 0.5, 0, 10_000), 2000);
    assert.equal(thinkMs([1, 3], 0.5, 9_500, 10_000), 500);
    assert.equal(thinkMs([1, 3], 0.5, 11_000, 10_000), 0);
    assert.deepEqual(clampPauses([2000, 1000, 3000, 1000], 0, 4500), [2000, 1000, 1500, 0]);
  });
  it('reads token expiry and renews within the margin', () => {
    const exp = 2_000_000_000;
    assert.equal(tokenExpiryMs(signJwt({ sub: 'u', exp }, 's')), exp * 1000);
    assert.equal(tokenExpiryMs('garbage'), null);
    assert.equal(needsRenewal(exp * 1000, exp * 1000 - RENEW_MARGIN_MS - 1), false);
    assert.equal(needsRenewal(exp * 1000, exp * 1000 - RENEW_MARGIN_MS + 1), true);
    assert.equal(needsRenewal(null, 0), false);
  });
  it('takes ids only from wrapped lists, never from the root', () => {
    assert.deepEqual(
      listItems('{"total":2,"strategies":[{"id":1,"status":"stopped"},{"id":"x"}]}', 'strategies'),
      [{ id: 1, status: 'stopped' }],
    );
    assert.deepEqual(listItems([{ id: 1 }], 'strategies'), []);
    assert.deepEqual(listItems('{"signals":[{"id":3}]}', 'strategies'), []);
    assert.deepEqual(listItems('not json', 'signals'), []);
    const items = [
      { id: 1, name: 'Seed Strategy 1' },
      { id: 2, name: `x${tagSuffix('run-1')}` },
    ];
    assert.deepEqual(
      inScope(items, 'run', tagSuffix('run-1')).map((i) => i.id),
      [2],
    );
    assert.deepEqual(
      inScope(items, 'any', tagSuffix('run-1')).map((i) => i.id),
      [1, 2],
    );
  });
});

describe('random streams', () => {
  it('are uniform in [0, 1), repeat for a seed and differ between seeds', () => {
    const stream = new RandomStream(11);
    const draws = Array.from({ length: 20_000 }, () => stream.next());
    assert.ok(draws.every((x) => x >= 0 && x < 1));
    const buckets = new Array(10).fill(0);
    for (const draw of draws) buckets[Math.floor(draw * 10)]++;
    for (const bucket of buckets)
      assert.ok(bucket > 1_800 && bucket < 2_200, `bucket ${bucket} of 20,000 draws`);
    const again = new RandomStream(11);
    assert.deepEqual(
      Array.from({ length: 5 }, () => again.next()),
      draws.slice(0, 5),
    );
    assert.notEqual(new RandomStream(12).next(), draws[0]);
    const seen = new Set(Array.from({ length: 200 }, () => stream.pick(['x', 'y', 'z'])));
    assert.deepEqual([...seen].sort(), ['x', 'y', 'z']);
    assert.equal(stream.pick([]), undefined);
  });
  it("keep each user's faker draws its own when users interleave", () => {
    const alone = (seed: number) => {
      const stream = new RandomStream(seed);
      return [0, 1, 2].map(() => webhookSignal(fakerOn(stream), 'buy'));
    };
    const [first, second] = [new RandomStream(1), new RandomStream(2)];
    const mixed: [unknown[], unknown[]] = [[], []];
    for (let round = 0; round < 3; round++) {
      mixed[0].push(webhookSignal(fakerOn(first), 'buy'));
      mixed[1].push(webhookSignal(fakerOn(second), 'buy'));
    }
    assert.deepEqual(mixed, [alone(1), alone(2)]);
    assert.notDeepEqual(alone(1), alone(2));
  });
});

describe('payloads', () => {
  it('repeat exactly for the same seed and differ for another', () => {
    const seq = (seed: number) => {
      const faker = newFaker(seed);
      return JSON.stringify([
        strategyCreate(faker, { prefix: 'Perf Test Strategy', runTag: 't', nowSeconds: 1 }),
        strategyUpdate(faker, 1),
        webhookSignal(faker, 'buy'),
        rapidSignal(faker),
        queryPicks(faker),
        queryPicks(faker, ['pair', 'action']),
      ]);
    };
    assert.equal(seq(42), seq(42));
    assert.notEqual(seq(42), seq(43));
    assert.equal(userSeed(42, 3), userSeed(42, 3));
    assert.notEqual(userSeed(42, 3), userSeed(42, 4));
  });
  it('build a create body with the six required keys and the run tag', () => {
    const body = strategyCreate(newFaker(1), {
      prefix: 'Perf Test Strategy',
      runTag: '20260101-000000-abcd',
      nowSeconds: 1700000000,
    });
    for (const key of [
      'name',
      'strategy_class',
      'exchange',
      'timeframe',
      'pair_whitelist',
      'signal_thresholds',
    ])
      assert.ok(key in body, key);
    assert.equal(tagOf(body.name), '20260101-000000-abcd');
    assert.ok(body.name.length <= 100);
    assert.ok(
      body.signal_thresholds.strong > body.signal_thresholds.medium &&
        body.signal_thresholds.medium > body.signal_thresholds.weak,
    );
    assert.ok(body.pair_whitelist.length >= 1);
  });
  it('build webhook signals with realistic prices per pair and strengths over every level', () => {
    const faker = newFaker(5);
    const seen = new Set<number>();
    for (let draw = 0; draw < 400; draw++) {
      const signal = webhookSignal(faker, 'sell');
      const [min, max] = PRICE_BANDS[signal.pair as keyof typeof PRICE_BANDS];
      assert.ok(
        signal.current_rate >= min && signal.current_rate <= max,
        `${signal.pair} ${signal.current_rate}`,
      );
      assert.equal(signal.action, 'sell');
      assert.ok(signal.indicators.rsi! >= 30 && signal.indicators.rsi! <= 70);
      assert.ok(signal.indicators.macd! >= -100 && signal.indicators.macd! <= 100);
      seen.add(signal.indicators.signal_strength);
    }
    assert.deepEqual([...seen].sort(), [...STRENGTHS].sort());
    assert.equal(rapidSignal(faker).indicators.signal_strength, 0.8);
  });
});

describe('run tags and credentials', () => {
  it('makes tags that the cleanup pattern recognises, and only those', () => {
    const tag = newRunTag(new Date('2026-11-28T05:00:00Z'), () => 0.5);
    assert.equal(tag, '20261128-050000-8000');
    assert.equal(tagOf(`Perf Test Strategy 1 [btcw:${tag}]`), tag);
    assert.equal(TAG_PATTERN.test('Seed Strategy 1'), false);
    assert.equal(TAG_PATTERN.test('My [btcw:x] strategy'), false);
  });
  it('requires credentials outside the local environment, naming the variable', () => {
    const none = resolveCredentials({}, 'staging');
    assert.ok(
      !none.ok &&
        /BTCW_USERNAME and BTCW_PASSWORD are missing or empty for environment "staging"/.test(none.error),
    );
    const noPassword = resolveCredentials({ BTCW_USERNAME: 'u', BTCW_PASSWORD: '' }, 'staging');
    assert.ok(!noPassword.ok && /BTCW_PASSWORD is missing/.test(noPassword.error));
    const local = resolveCredentials({}, 'local');
    assert.ok(local.ok && local.user.username === 'testuser');
    const staging = resolveCredentials({ BTCW_USERNAME: 'u', BTCW_PASSWORD: 'p' }, 'staging');
    assert.ok(staging.ok && staging.user.password === 'p' && staging.admin.username === 'admin');
  });
});
