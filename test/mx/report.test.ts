/**
 * mxReport: every figure against a count made here from the inputs and the dequantized values,
 * over every block format and several modes, and a worked example.
 */
import { describe, expect, it } from 'vitest';
import { createRandom } from '../../src/core/random.js';
import { MX_FORMAT_NAMES, mxDequantize, mxFormat, mxQuantize, mxReport } from '../../src/index.js';

/** Blocks whose first element saturates ((2 − 2^-8) × 2^emax at the block's scale), with NaN, -inf, zeros and a spread below. */
function inputs(n: number, seed: number, emax: number): Float64Array {
  const random = createRandom(seed);
  return Float64Array.from({ length: n }, (_, i) => {
    const top = 2 ** (emax + ((i >> 5) % 7));
    if (i % 32 === 0) return (random() < 0.5 ? -1 : 1) * (2 - 2 ** -8) * top;
    if (i % 32 === 1) return -top * 2 ** -40; // negative: flushed by towardPositive too
    const u = random();
    if (u < 0.01) return NaN;
    if (u < 0.015) return -Infinity;
    if (u < 0.05) return 0;
    return (random() - 0.5) * 2 ** (-20 * random()) * top;
  });
}

describe.each(MX_FORMAT_NAMES.map((n) => [n] as const))('%s', (name) => {
  it.each(['tiesToEven', 'towardZero', 'towardPositive'] as const)(
    '%s: the report equals a count made from the stored values',
    (rounding) => {
      const M = mxFormat(name);
      const xs = inputs(32 * 40 + 9, 17, M.element.emax);
      const q = mxQuantize(M, xs, { rounding });
      const r = mxReport(xs, q);
      const v = mxDequantize(q, { out: new Float64Array(xs.length) });
      let saturated = 0;
      let flushed = 0;
      let max = 0;
      let sq = 0;
      let finite = 0;
      let nanBlocks = 0;
      for (let b = 0; b < q.scales.length; b++) {
        const X = q.scales[b] === 255 ? NaN : 2 ** (q.scales[b]! - 127);
        expect(Object.is(r.perBlock.scales[b], X)).toBe(true);
        if (Number.isNaN(X)) {
          nanBlocks++;
          continue;
        }
        for (let i = b * 32; i < Math.min(b * 32 + 32, xs.length); i++) {
          const x = xs[i]!;
          if (!Number.isFinite(x)) continue;
          if (Math.abs(x) > M.element.max * X && !(x < 0 && x >= M.element.lowest * X)) saturated++;
          if (x !== 0 && v[i] === 0) flushed++;
          max = Math.max(max, Math.abs(v[i]! - x));
          sq += (v[i]! - x) ** 2;
          finite++;
        }
      }
      expect([r.count, r.blocks, r.nan, r.infinite, r.nanBlocks]).toEqual([
        xs.length,
        q.scales.length,
        xs.filter(Number.isNaN).length,
        xs.filter((x) => x === -Infinity).length,
        nanBlocks,
      ]);
      expect([r.saturated, r.underflow, r.maxAbsError]).toEqual([saturated, flushed, max]);
      expect(Math.abs(r.rmsError / Math.sqrt(sq / finite) - 1)).toBeLessThan(1e-12); // summed in another order
      expect(r.perBlock.saturated.reduce((a, b) => a + b, 0)).toBe(saturated);
      expect(r.saturated).toBeGreaterThan(0);
      expect(r.underflow).toBeGreaterThan(0);
    },
  );
});

describe('worked example (MXFP4)', () => {
  it('scale 2, one element saturated, two flushed, errors', () => {
    const src = [8, 0.1, -0.2, 15, 3, 0];
    const r = mxReport(src, mxQuantize('mxfp4_e2m1', src));
    // X = 2^(floor(log2 15) − 2) = 2; stored: 8, 0, −0, 12 (15/2 = 7.5 saturates to 6), 3, 0.
    expect(Array.from(r.perBlock.scales)).toEqual([2]);
    expect([r.saturated, r.underflow, r.maxAbsError]).toEqual([1, 2, 3]);
    expect(r.rmsError).toBeCloseTo(Math.sqrt((0.01 + 0.04 + 9) / 6), 12);
    expect(Array.from(r.perBlock.maxAbsError)).toEqual([3]);
  });

  it('a NaN block counts its NaN and reports NaN errors for itself only', () => {
    const src = [1, 2, NaN, ...new Array(29).fill(1), 4, 6];
    const r = mxReport(src, mxQuantize('mxfp4_e2m1', src));
    expect([r.nan, r.nanBlocks, r.maxAbsError, r.rmsError]).toEqual([1, 1, 0, 0]);
    expect(Array.from(r.perBlock.maxAbsError)).toEqual([NaN, 0]);
  });
});

describe('bad input', () => {
  it('names the function and the mismatch', () => {
    const q = mxQuantize('mxfp4_e2m1', [1, 2, 3]);
    expect(() => mxReport([1, 2], q)).toThrow('mxReport: src has 2 elements, q has 3');
    expect(() => mxReport([1, 2, 'x'] as never, q)).toThrow('mxReport: src[2] must be a number, got the string "x"');
    expect(() => mxReport([1, 2, 3], {} as never)).toThrow(/^mxReport: q.blockFormat must be a block format name/);
  });
});
