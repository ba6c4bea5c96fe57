/**
 * Properties of rounding that hold for every format and every mode, over doubles biased toward
 * each format's boundaries (see arbitraries.ts; seeds fixed).
 */
import fc from 'fast-check';
import { describe, it } from 'vitest';
import {
  decode,
  encode,
  type Format,
  nextDown,
  nextUp,
  ROUNDING_MODES,
  type RoundingMode,
  round,
  ulp,
} from '../../../src/index.js';
import { same } from '../../helpers/compare.js';
import { iterations } from '../../helpers/profile.js';
import { ALL_FORMATS, doublesFor, orderedPairs, uniforms } from './arbitraries.js';

const modeOpts = (mode: RoundingMode, u = 0.5) => ({ rounding: mode, random: () => u });
const inRange = (F: Format, x: number) =>
  Number.isFinite(x) && x >= F.lowest && x <= F.max && (F.signed || x >= F.smallestSubnormal);
const RUNS = { numRuns: iterations(300, 100) };

describe.each(ALL_FORMATS.map((F) => [F.name, F] as const))('%s', (_name, F) => {
  it.each(ROUNDING_MODES.map((m) => [m]))(
    '%s: monotone (x ≤ y ⇒ round(x) ≤ round(y), one shared draw for stochastic)',
    (mode) => {
      fc.assert(
        fc.property(orderedPairs(F), fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), ([x, y], u) => {
          const rx = round(F, x, modeOpts(mode, u));
          const ry = round(F, y, modeOpts(mode, u));
          return Number.isNaN(rx) || Number.isNaN(ry) || rx <= ry;
        }),
        RUNS,
      );
    },
  );

  it('brackets: round(x, towardNegative) ≤ x ≤ round(x, towardPositive), equal or neighbours; towardZero never grows |x|; the ties modes pick the nearer', () => {
    fc.assert(
      fc.property(
        doublesFor(F).filter((x) => inRange(F, x)),
        (x) => {
          const down = round(F, x, { rounding: 'towardNegative' });
          const up = round(F, x, { rounding: 'towardPositive' });
          if (!(down <= x && x <= up)) return false;
          if (down === up ? down !== x : nextUp(F, down) !== up) return false;
          if (Math.abs(round(F, x, { rounding: 'towardZero' })) > Math.abs(x)) return false;
          for (const mode of ['tiesToEven', 'tiesToAway'] as const) {
            const r = round(F, x, { rounding: mode });
            const other = r === down ? up : down;
            if (r !== down && r !== up) return false;
            if (Math.abs(r - x) > Math.abs(other - x)) return false;
          }
          return true;
        },
      ),
      RUNS,
    );
  });

  it.each(ROUNDING_MODES.map((m) => [m]))(
    '%s: idempotent; representable values are fixed points; decode(encode(x)) = round(x)',
    (mode) => {
      fc.assert(
        fc.property(doublesFor(F), fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), (x, u) => {
          const r = round(F, x, modeOpts(mode, u));
          return same(round(F, r, modeOpts(mode, u)), r) && same(decode(F, encode(F, x, modeOpts(mode, u))), r);
        }),
        RUNS,
      );
    },
  );

  // float64 has no inexact doubles, so stochastic rounding into it has nothing to do
  it.runIf(F.bits < 64)(
    'stochastic rounding is unbiased: over 10,000 draws the mean is within 4 standard errors, and only the two neighbours appear',
    () => {
      const between = fc
        .tuple(doublesFor(F), fc.double({ min: 0.001, max: 0.999, noNaN: true }), fc.boolean())
        .map(([v, t, neg]) => {
          const lo = round(F, Math.abs(v), { rounding: 'towardZero' });
          if (!Number.isFinite(lo) || lo >= F.max) return NaN;
          const x = lo + t * (nextUp(F, lo) - lo);
          return neg && F.signed ? -x : x;
        })
        .filter((x) => inRange(F, x) && round(F, x) !== x);
      fc.assert(
        fc.property(between, fc.integer({ min: 0, max: 2 ** 31 }), (x, seed) => {
          const lo = round(F, x, { rounding: 'towardZero' });
          const hi = x > 0 ? nextUp(F, lo) : nextDown(F, lo);
          let sum = 0;
          const n = 10_000;
          const random = uniforms(seed);
          for (let i = 0; i < n; i++) {
            const r = round(F, x, { rounding: 'stochastic', random });
            if (r !== lo && r !== hi) return false;
            sum += r - lo;
          }
          const p = (x - lo) / (hi - lo);
          const se = Math.abs(hi - lo) * Math.sqrt((p * (1 - p)) / n);
          return Math.abs(sum / n - (x - lo)) <= 4 * se;
        }),
        { numRuns: 6 },
      );
    },
  );

  it('nextUp and nextDown are inverse; ulp = nextUp − value for positive normals', () => {
    fc.assert(
      fc.property(doublesFor(F), (x) => {
        const v = round(F, x);
        if (!Number.isFinite(v) || Number.isNaN(v)) return true;
        const up = nextUp(F, v);
        const down = nextDown(F, v);
        if (
          Number.isFinite(up) &&
          !same(nextDown(F, up), v === 0 ? (F.hasNegativeZero && Object.is(v, -0) ? -0 : 0) : v) &&
          !(v === 0 && nextDown(F, up) === 0)
        )
          return false;
        if (Number.isFinite(down) && nextUp(F, down) !== v) return false;
        if (v >= F.smallestNormal && v < F.max && ulp(F, v) !== up - v) return false;
        return true;
      }),
      RUNS,
    );
  });
});
