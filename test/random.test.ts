/**
 * The seeded generator behind `seed` (stochastic rounding, Tensor.randn) gives the same sequence
 * everywhere: its first outputs equal an independent Python implementation of xoshiro128** seeded
 * through splitmix32 (test/fixtures/random-sequences.json, made by test/fixtures/make/random.py).
 */
import { describe, expect, it } from 'vitest';
import { createGaussian, createRandom } from '../src/core/random.js';
import fixture from './fixtures/random-sequences.json' with { type: 'json' };

describe('createRandom', () => {
  it.each(Object.entries(fixture.uniform))('seed %s gives the reference sequence', (seed, want) => {
    const random = createRandom(Number(seed));
    expect(want.map(() => random())).toEqual(want);
  });
});

describe('createGaussian', () => {
  it.each(Object.entries(fixture.gaussian))('seed %s: Box–Muller pairs, cosine then sine, two per two uniforms', (seed, want) => {
    let draws = 0;
    const uniform = createRandom(Number(seed));
    const gaussian = createGaussian(() => (draws++, uniform()));
    const got = want.map(() => gaussian());
    // Math.log/sin/cos may differ from C's libm in the last bit.
    got.forEach((g, i) => expect(g).toBeCloseTo(want[i]!, 14));
    expect(draws).toBe(want.length);
  });
});
