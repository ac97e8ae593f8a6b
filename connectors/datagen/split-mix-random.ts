/**
 * The deterministic pseudo-random generator handed to datagen generators.
 */

const GOLDEN = 0x9e3779b9;
const TWO_POW_32 = 4294967296;
const TWO_POW_53 = 9007199254740992;

/** MurmurHash3's 32-bit finalizer: a bijective, well-mixing scramble of 32 bits. */
function mix32(x: number): number {
  let z = x | 0;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return (z ^ (z >>> 16)) | 0;
}

/**
 * A SplitMix-style generator on 32-bit integer arithmetic (a Weyl sequence scrambled by the
 * Murmur3 finalizer): fast, no BigInt, no allocation. `reset(index)` seeds it from
 * (seed, index), so the values a generator draws for record `i` depend on nothing else: not on
 * the parallelism, the split, or the order records are generated in. One instance is reused
 * for every record of a reader. Not for cryptography.
 */
export class SplitMixRandom {
  private readonly seedHash: number;
  private state = 0;

  /** @param seed any safe integer; both its low and high 32 bits count */
  constructor(seed: number) {
    this.seedHash = mix32((seed >>> 0) ^ mix32(((seed / TWO_POW_32) >>> 0) ^ GOLDEN));
    this.reset(0);
  }

  /** Restarts the sequence for record `index` (a non-negative safe integer). */
  reset(index: number): void {
    const lo = index >>> 0;
    const hi = (index / TWO_POW_32) >>> 0;
    this.state = mix32(mix32(lo ^ this.seedHash) ^ hi);
  }

  /** A uniformly distributed unsigned 32-bit integer. */
  nextUint32(): number {
    this.state = (this.state + GOLDEN) | 0;
    return mix32(this.state) >>> 0;
  }

  /** A uniformly distributed number in [0, 1) with 53 random bits. */
  nextFloat(): number {
    const high = this.nextUint32() >>> 5;
    const low = this.nextUint32() >>> 6;
    return (high * 67108864 + low) / TWO_POW_53;
  }

  /** A uniformly distributed integer in [0, bound). */
  nextInt(bound: number): number {
    return Math.floor(this.nextFloat() * bound);
  }

  /** A uniformly distributed integer in [min, max], both included. */
  nextIntBetween(min: number, max: number): number {
    return min + Math.floor(this.nextFloat() * (max - min + 1));
  }

  /** `true` with the given probability (default one half). */
  nextBoolean(probability = 0.5): boolean {
    return this.nextFloat() < probability;
  }

  /** One element of a non-empty array, uniformly. */
  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error('SplitMixRandom.pick needs a non-empty array');
    return items[this.nextInt(items.length)] as T;
  }
}
