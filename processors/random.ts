// Random streams for virtual users. Each user owns a small seeded PRNG (a 32-bit state); payloads are drawn
// with one Faker per worker that reads from whichever user's stream is current. Measured here: a Faker
// instance holds about 24 KiB, re-seeding faker's Mersenne Twister costs about 45 µs, and the full
// '@faker-js/faker' entry loads every locale (about 250 ms and 30 MiB per process, twice per run), so the
// English-only entry and per-user streams keep start-up, memory and the per-task cost down.
import type { Faker, LocaleDefinition, Randomizer } from '@faker-js/faker';
import { faker as englishFaker } from '@faker-js/faker/locale/en';

/** mulberry32: a fast 32-bit PRNG, uniform in [0, 1); ample for picking tasks and payload values. */
export class RandomStream implements Randomizer {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let mixed = this.state;
    mixed = Math.imul(mixed ^ (mixed >>> 15), mixed | 1);
    mixed ^= mixed + Math.imul(mixed ^ (mixed >>> 7), mixed | 61);
    return ((mixed ^ (mixed >>> 14)) >>> 0) / 4294967296;
  }

  /** One element, uniformly; undefined for an empty list. */
  pick<T>(items: readonly T[]): T | undefined {
    return items[Math.floor(this.next() * items.length)];
  }

  seed(seed: number | number[]): void {
    this.state = (Array.isArray(seed) ? seed.reduce((a, s) => Math.imul(a ^ s, 0x9e3779b1), 0) : seed) >>> 0;
  }
}

let current = new RandomStream(0);
const switching: Randomizer = { next: () => current.next(), seed: (s) => current.seed(s) };
// The English entry exports only an instance; its constructor is the Faker class (public rawDefinitions).
const FakerClass = englishFaker.constructor as new (options: {
  locale: LocaleDefinition;
  randomizer: Randomizer;
}) => Faker;
const shared = new FakerClass({ locale: englishFaker.rawDefinitions, randomizer: switching });

/** The worker's Faker, drawing from `stream`. Use it at once: the next call switches it to another stream. */
export function fakerOn(stream: RandomStream): Faker {
  current = stream;
  return shared;
}

/** Derives a user's seed from the run seed and the user's index, so users differ but runs repeat. */
export function userSeed(runSeed: number, userIndex: number): number {
  // 32-bit mix (splitmix-like) so neighbouring indexes give unrelated sequences.
  let mixed = (runSeed ^ Math.imul(userIndex + 1, 0x9e3779b9)) >>> 0;
  mixed = Math.imul(mixed ^ (mixed >>> 16), 0x85ebca6b) >>> 0;
  mixed = Math.imul(mixed ^ (mixed >>> 13), 0xc2b2ae35) >>> 0;
  return (mixed ^ (mixed >>> 16)) >>> 0;
}

/**
 * A 32-bit value that tells containers of a distributed run apart (Fargate, Lambda and the rehearsal set
 * WORKER_ID per container); 0 in a single-process run. FNV-1a: any string, spread over 32 bits.
 */
export function containerSalt(workerId: string | undefined): number {
  if (workerId === undefined || workerId === '') return 0;
  let hash = 0x811c9dc5;
  for (let index = 0; index < workerId.length; index++)
    hash = Math.imul(hash ^ workerId.charCodeAt(index), 0x01000193);
  return hash >>> 0;
}
