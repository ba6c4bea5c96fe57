/**
 * The mutation profile. `npm run test:mutation` runs the suite thousands of times (once per
 * mutant), so there (FLOATLAB_TEST_PROFILE=mutation, set by vitest.mutation.config.ts) the
 * heaviest loops visit a sample of their inputs: every code at the edges of each binade — zero,
 * the first subnormals, each binade's first two and last two codes, max, inf and NaN — and every
 * 61st code between. `npm test` visits every input.
 */
import type { Format } from '../../src/index.js';

export const MUTATION_PROFILE = process.env.FLOATLAB_TEST_PROFILE === 'mutation';

/** The codes of F a loop over every code should visit: all of them, or the profile's sample. */
export function codesToVisit(F: Format, codes: Iterable<number> = allCodes(F)): number[] {
  const all = [...codes];
  if (!MUTATION_PROFILE || F.bits <= 8) return all;
  const m = F.manBits;
  return all.filter((c) => {
    const mantissa = c % 2 ** m;
    return c % 61 === 0 || mantissa < 2 || mantissa > 2 ** m - 3;
  });
}

function allCodes(F: Format): number[] {
  return Array.from({ length: F.codeCount }, (_, c) => c);
}

/** `n` iterations, or `reduced` in the mutation profile. */
export function iterations(n: number, reduced: number): number {
  return MUTATION_PROFILE ? reduced : n;
}
