/**
 * A small seeded pseudo-random generator (xoshiro128**, seeded through
 * splitmix32) for reproducible stochastic rounding and random tensors.
 * @internal
 */

import { describe } from './validation.js';

/** A source of uniform numbers in [0, 1). */
export type RandomSource = () => number;

/**
 * A seed as every seeded function takes it: a TypeError naming `fn` and `param` for a non-number,
 * a RangeError for anything but a safe integer (the generator reads all 53 bits).
 */
export function checkSeed(fn: string, param: string, value: unknown): number {
  if (typeof value !== 'number') throw new TypeError(`${fn}: ${param} must be a number, got ${describe(value)}`);
  if (!Number.isSafeInteger(value)) throw new RangeError(`${fn}: ${param} must be a safe integer, got ${String(value)}`);
  return value;
}

/**
 * A reproducible generator of uniform numbers in [0, 1) with 32 random bits each.
 * The same seed always gives the same sequence, on every platform.
 */
export function createRandom(seed: number): RandomSource {
  let s = seed >>> 0;
  // Mix the seed (and the high part of large seeds) into four non-zero words.
  const hiPart = Math.floor(seed / 2 ** 32) >>> 0;
  const split = (): number => {
    s = (s + 0x9e3779b9 + hiPart) | 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return (z ^ (z >>> 16)) >>> 0;
  };
  let a = split();
  let b = split();
  let c = split();
  let d = split();
  if ((a | b | c | d) === 0) a = 1;
  return () => {
    const result = Math.imul(rotl(Math.imul(b, 5), 7), 9) >>> 0;
    const t = b << 9;
    c ^= a;
    d ^= b;
    b ^= c;
    a ^= d;
    c ^= t;
    d = rotl(d, 11);
    return result / 4294967296;
  };
}

/**
 * Standard normal samples (mean 0, variance 1) from a uniform source, by Box–Muller: each
 * pair of uniforms gives two samples.
 */
export function createGaussian(random: RandomSource): () => number {
  let spare: number | undefined;
  return () => {
    if (spare !== undefined) {
      const s = spare;
      spare = undefined;
      return s;
    }
    const r = Math.sqrt(-2 * Math.log(1 - random()));
    const theta = 2 * Math.PI * random();
    spare = r * Math.sin(theta);
    return r * Math.cos(theta);
  };
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}
