/**
 * checkRange: its counts follow their documented definitions (checked against a classification
 * written here from round() and a wider twin of each format), the fast path equals the generic
 * loop, and a stream of chunks reports what one call over their concatenation reports.
 */
import { describe, expect, it } from 'vitest';
import { checkRangeGeneric, createRangeCheckGeneric } from '../../src/codec/range.js';
import { createRandom } from '../../src/core/random.js';
import {
  checkRange,
  createRangeCheck,
  defineFormat,
  FORMAT_NAMES,
  type Format,
  format,
  type RangeReport,
  ROUNDING_MODES,
  type RoundingMode,
  round,
} from '../../src/index.js';
import { concat, edgeInputs, magnitudeCodes, randomInputs } from '../helpers/inputs.js';
import { DETERMINISTIC } from '../helpers/modes.js';

const OPTION_SETS = [{}, { saturate: true }, { flushSubnormals: true }];

/** F with one more exponent bit and the same smallest normal: F's rounding without an upper limit. */
function unbounded(F: Format): Format {
  return defineFormat({ name: `${F.name}-wide`, expBits: F.expBits + 1, manBits: F.manBits, bias: 1 - F.emin, kind: 'ieee' });
}

/** The report, element by element, from the documented definitions. */
function oracle(F: Format, src: ArrayLike<number>, opts: { rounding: RoundingMode }): RangeReport {
  const wide = unbounded(F);
  const r: RangeReport = {
    count: src.length,
    nan: 0,
    infinite: 0,
    overflow: 0,
    underflow: 0,
    subnormal: 0,
    inexact: 0,
    maxAbs: 0,
    minAbsNonzero: Infinity,
    firstOverflow: -1,
    firstUnderflow: -1,
  };
  for (let i = 0; i < src.length; i++) {
    const x = src[i]!;
    const y = round(F, x, opts);
    if (!(y === x || (Number.isNaN(y) && Number.isNaN(x)))) r.inexact++;
    if (Number.isNaN(x)) r.nan++;
    else if (!Number.isFinite(x)) r.infinite++;
    else {
      r.maxAbs = Math.max(r.maxAbs, Math.abs(x));
      if (x !== 0) r.minAbsNonzero = Math.min(r.minAbsNonzero, Math.abs(x));
      if (Math.abs(round(wide, x, { rounding: opts.rounding })) > F.max || !Number.isFinite(y)) {
        r.overflow++;
        if (r.firstOverflow < 0) r.firstOverflow = i;
      } else if (y === 0 && x !== 0) {
        r.underflow++;
        if (r.firstUnderflow < 0) r.firstUnderflow = i;
      } else if (y !== 0 && Math.abs(y) < F.smallestNormal) r.subnormal++;
    }
  }
  return r;
}

const SIGNED_SMALL = FORMAT_NAMES.filter((n) => format(n).bits <= 19 && format(n).signed);

describe.each(SIGNED_SMALL.map((n) => [n] as const))('%s', (name) => {
  const F = format(name);
  const src = concat(edgeInputs(F, 'float64', magnitudeCodes(F, true)), randomInputs(F, 'float64', 3000));

  it.each(DETERMINISTIC.map((m) => [m] as const))('%s: the counts follow the definitions', (rounding) => {
    expect(checkRange(F, src, { rounding })).toEqual(oracle(F, src, { rounding }));
  });
});

describe.each(FORMAT_NAMES.map((n) => [n] as const))('%s: fast path = generic loop', (name) => {
  const F = format(name);
  const edges =
    F.bits <= 32
      ? edgeInputs(F, 'float64', magnitudeCodes(F, true))
      : new Float64Array([0, -0, Infinity, NaN, 2 ** -1074, 2 ** 1023]);
  const src = { float32: randomInputs(F, 'float32', 4000, 3), float64: concat(edges, randomInputs(F, 'float64', 4000)) };

  it.each(ROUNDING_MODES.map((m) => [m] as const))('%s', (rounding) => {
    for (const extra of OPTION_SETS) {
      for (const s of [src.float32, src.float64, Array.from(src.float64)]) {
        const opts = { rounding, seed: 4, ...extra };
        expect(checkRange(F, s, opts)).toEqual(checkRangeGeneric(F, s, opts));
      }
    }
  });
});

describe('the definitions at work', () => {
  it('overflow counts a finite value rounded past max, whatever the result', () => {
    const xs = [1e5, -1e5, 65519, 65520, Infinity];
    expect(checkRange('float16', xs).overflow).toBe(3); // 65520 is the tie that rounds to inf
    expect(checkRange('float16', xs, { rounding: 'towardZero' }).overflow).toBe(2); // 1e5 → 65504; 65520 → 65504 exactly, no overflow
    expect(checkRange('float16', xs, { saturate: true })).toMatchObject({ overflow: 3, infinite: 1, inexact: 5 });
    expect(checkRange('float4_e2m1fn', [7, 100, -6.5])).toMatchObject({ overflow: 2, inexact: 3 }); // 7 → 6 (tie to even), not past max
  });

  it('underflow, subnormal and flushSubnormals', () => {
    const tiny = format('float16').smallestSubnormal;
    const xs = [tiny / 4, tiny / 2, tiny * 0.75, tiny, 2 ** -15, -0, 0];
    expect(checkRange('float16', xs)).toMatchObject({ underflow: 2, subnormal: 3, firstUnderflow: 0, minAbsNonzero: tiny / 4 });
    expect(checkRange('float16', xs, { flushSubnormals: true })).toMatchObject({ underflow: 5, subnormal: 0 });
    expect(checkRange('float16', xs, { rounding: 'towardPositive' })).toMatchObject({ underflow: 0, subnormal: 5 });
  });

  it('NaN and −0 conventions: a NaN staying NaN and a zero losing its sign are exact', () => {
    expect(checkRange('float8_e4m3fnuz', [NaN, -0])).toMatchObject({ nan: 1, inexact: 0 });
    expect(checkRange('float4_e2m1fn', [NaN])).toMatchObject({ nan: 1, inexact: 1 }); // written as −0
  });

  it('float8_e8m0fnu: zero and negative numbers have no value but NaN, and count as overflow', () => {
    expect(checkRange('float8_e8m0fnu', [0, -1, 1, 2 ** -130])).toMatchObject({ overflow: 2, underflow: 0, firstOverflow: 0 });
  });

  it('an empty array, and all-NaN input', () => {
    const empty = { count: 0, nan: 0, infinite: 0, overflow: 0, underflow: 0, subnormal: 0, inexact: 0 };
    expect(checkRange('bfloat16', new Float32Array(0))).toEqual({
      ...empty,
      maxAbs: 0,
      minAbsNonzero: Infinity,
      firstOverflow: -1,
      firstUnderflow: -1,
    });
    expect(checkRange('bfloat16', [NaN, NaN])).toMatchObject({ count: 2, nan: 2, maxAbs: 0, minAbsNonzero: Infinity });
  });
});

describe('createRangeCheck over chunks = checkRange over their concatenation', () => {
  const random = createRandom(8);
  const F = format('float16');
  const all = randomInputs(F, 'float32', 20000, 5);

  /** Random chunk sizes: empty chunks, small ones, and some longer than the scratch chunk. */
  function cuts(n: number): number[] {
    const at = [0];
    while (at[at.length - 1]! < n) at.push(Math.min(n, at[at.length - 1]! + [0, 1, 7, 100, 5000][Math.floor(random() * 5)]!));
    return at;
  }

  it.each(['tiesToEven', 'towardNegative', 'stochastic'] as const)(
    '%s, chunks of Float32Array, Float64Array and number[]',
    (rounding) => {
      for (const make of [createRangeCheck, createRangeCheckGeneric]) {
        const opts = { rounding, seed: 9, saturate: rounding === 'towardNegative' };
        const check = make(F, opts);
        const at = cuts(all.length);
        for (let c = 0; c + 1 < at.length; c++) {
          const part = all.subarray(at[c], at[c + 1]);
          check.add(c % 3 === 0 ? part : c % 3 === 1 ? Float64Array.from(part) : Array.from(part));
        }
        expect(check.report()).toEqual(checkRange(F, all, opts));
      }
    },
  );

  it('report() can be called between chunks and returns a fresh object', () => {
    const check = createRangeCheck('bfloat16').add([1, 1e39]);
    const first = check.report();
    check.add([NaN, 1e39]);
    expect(first).toMatchObject({ count: 2, overflow: 1 });
    expect(check.report()).toMatchObject({ count: 4, overflow: 2, nan: 1, firstOverflow: 1 });
  });
});

describe('bad input', () => {
  it('names the function, the parameter and the index', () => {
    expect(() => checkRange('float16', [1, '2' as never])).toThrow(
      new TypeError('checkRange: src[1] must be a number, got the string "2"'),
    );
    expect(() => checkRange('float16', new Uint8Array(2) as never)).toThrow(
      /^checkRange: src must be a Float32Array, Float64Array or array of numbers, got a Uint8Array$/,
    );
    expect(() => createRangeCheck('float16').add([null as never])).toThrow(
      new TypeError('RangeCheck.add: chunk[0] must be a number, got null'),
    );
    expect(() => checkRange('float7' as never, [])).toThrow(/^checkRange: unknown fmt "float7"/);
    expect(() => createRangeCheck('float16', { rounding: 'up' as never })).toThrow(
      /^createRangeCheck: unknown rounding mode "up"/,
    );
    expect(() => checkRange('float16', [], { out: new Uint16Array(0) } as never)).toThrow(/^checkRange: unknown option "out"/);
  });

  it('a detached array is an error, not an empty one', () => {
    const src = new Float32Array(4);
    structuredClone(src.buffer, { transfer: [src.buffer] });
    expect(() => checkRange('float16', src)).toThrow(new TypeError('checkRange: the buffer of src is detached'));
  });
});
