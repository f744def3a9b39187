import type { Faker } from '@faker-js/faker';

/**
 * The few random draws the demo generator needs, all taken from one seeded faker instance so that a
 * seed fixes every value. Faker offers most of these too; the thin wrapper keeps the generator short
 * and makes the draws cheap (tens of thousands of rows).
 */
export class DemoRandom {
  readonly faker: Faker;

  constructor(faker: Faker) {
    this.faker = faker;
  }

  /** A float in [0, 1). */
  float(): number {
    return this.faker.number.float({ min: 0, max: 1 });
  }

  /** An integer in [min, max], both inclusive. */
  int(min: number, max: number): number {
    return min + Math.floor(this.float() * (max - min + 1));
  }

  /** True with probability `p`. */
  chance(p: number): boolean {
    return this.float() < p;
  }

  /** One element, each equally likely. */
  pick<T>(items: readonly T[]): T {
    const item = items[Math.floor(this.float() * items.length)];
    if (item === undefined) throw new RangeError('cannot pick from an empty list');
    return item;
  }

  /** An index into `weights`, chosen with probability proportional to its weight. */
  weightedIndex(weights: readonly number[], length = weights.length): number {
    let total = 0;
    for (let i = 0; i < length; i++) total += weights[i] ?? 0;
    let r = this.float() * total;
    for (let i = 0; i < length; i++) {
      r -= weights[i] ?? 0;
      if (r < 0) return i;
    }
    return length - 1;
  }

  /** A value from a normal distribution (Box-Muller). */
  normal(mean: number, deviation: number): number {
    const u = 1 - this.float(); // (0, 1]: log(0) would be -Infinity
    const v = this.float();
    return mean + deviation * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }

  /** `count` distinct elements in random order (partial Fisher-Yates; `items` is left alone). */
  sample<T>(items: readonly T[], count: number): T[] {
    const copy = [...items];
    const n = Math.min(count, copy.length);
    for (let i = 0; i < n; i++) {
      const j = i + Math.floor(this.float() * (copy.length - i));
      const tmp = copy[i] as T;
      copy[i] = copy[j] as T;
      copy[j] = tmp;
    }
    return copy.slice(0, n);
  }
}
