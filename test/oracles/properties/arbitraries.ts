/**
 * fast-check generators of doubles biased toward a format's boundaries: its values, the ties
 * between neighbours and the doubles either side of them, ±max and past it, the subnormal
 * boundary, powers of two, ±0, ±inf, NaN — and plain doubles of any size.
 *
 * Seeds are fixed: a failure reproduces, and `FC_SEED=<seed> npx vitest run test/properties`
 * replays the seed fast-check printed.
 */
import fc from 'fast-check';
import { bitsToDouble, doubleToBits } from '../../../src/core/bits.js';
import { decode, FORMAT_NAMES, type Format, format, nextUp } from '../../../src/index.js';
import { E3M1_FINITE, E3M3, E4M2_FN, E5M6_FNUZ, E6M0_FNU } from '../../helpers/formats.js';

export const FC_SEED = Number(process.env.FC_SEED ?? 20261125);
fc.configureGlobal({ seed: FC_SEED });

/** Every built-in format and a few custom ones of each kind. */
export const ALL_FORMATS: Format[] = [...FORMAT_NAMES.map((n) => format(n)), E3M3, E5M6_FNUZ, E3M1_FINITE, E6M0_FNU, E4M2_FN];

/** The double next to x toward +inf (dir 1) or −inf (dir −1). */
export function nextDouble(x: number, dir: 1 | -1): number {
  if (x === 0) return dir * Number.MIN_VALUE;
  const b = doubleToBits(x);
  return bitsToDouble(x > 0 === dir > 0 ? b + 1n : b - 1n);
}

/** A value of F from its code. */
function codeValue(F: Format): fc.Arbitrary<number> {
  if (F.bits === 64) return fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }).map((c) => decode(F, c));
  return fc.integer({ min: 0, max: F.codeCount - 1 }).map((c) => decode(F, c));
}

/** The midpoint between a finite value of F and its upper neighbour, or a double beside it. */
function tieOf(F: Format): fc.Arbitrary<number> {
  return fc.tuple(codeValue(F), fc.constantFrom(0, 1, -1)).map(([v, nudge]) => {
    if (!Number.isFinite(v) || v >= F.max) return v;
    const up = nextUp(F, v);
    const mid = v + (up - v) / 2;
    return nudge === 0 ? mid : nextDouble(mid, nudge as 1 | -1);
  });
}

/** Doubles biased toward F's boundaries, both signs. */
export function doublesFor(F: Format): fc.Arbitrary<number> {
  const edges = [
    F.max,
    F.max * (1 + 2 ** -(F.manBits + 2)),
    F.max * (1 + 2 ** -(F.manBits + 1)),
    F.smallestNormal,
    F.smallestSubnormal,
    F.smallestSubnormal / 2,
  ];
  const signed = (a: fc.Arbitrary<number>) => fc.tuple(a, fc.boolean()).map(([v, neg]) => (neg ? -v : v));
  return fc.oneof(
    {
      weight: 2,
      arbitrary: signed(fc.constantFrom(...edges).chain((e) => fc.constantFrom(e, nextDouble(e, 1), nextDouble(e, -1)))),
    },
    { weight: 1, arbitrary: fc.constantFrom(0, -0, Infinity, -Infinity, NaN) },
    { weight: 3, arbitrary: codeValue(F) },
    { weight: 4, arbitrary: signed(tieOf(F)) },
    {
      weight: 2,
      arbitrary: signed(fc.integer({ min: F.emin - F.manBits - 3, max: Math.min(F.emax + 2, 1023) }).map((e) => 2 ** e)),
    },
    { weight: 2, arbitrary: fc.double() },
  );
}

/** Pairs of finite doubles in F's range [lowest, max], ordered. */
export function orderedPairs(F: Format): fc.Arbitrary<[number, number]> {
  const inRange = doublesFor(F).filter((x) => Number.isFinite(x) && x >= F.lowest && x <= F.max);
  return fc.tuple(inRange, inRange).map(([a, b]) => (a <= b ? [a, b] : [b, a]));
}

/** A tiny seeded source of uniforms in [0, 1) (mulberry32), independent of floatlab's own generator. */
export function uniforms(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) | 0;
    let t = Math.imul(s ^ (s >>> 15), 1 | s);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
