/**
 * Every fast path gives the generic path's bits: for every format and mode it serves, with
 * saturate and flushSubnormals, from Float32Array, Float64Array and number[] sources, over
 * every representable neighbourhood of the 16-bit and 8-bit formats (ties and their neighbours,
 * subnormals, overflow edges, inf, NaN, ±0), random bit patterns and mixed magnitudes; with the
 * same stochastic draws in the same order.
 */
import { describe, expect, it } from 'vitest';
import { decodeArrayGeneric, encodeArrayGeneric, roundArrayGeneric } from '../../../src/codec/array.js';
import { CHUNK, KernelSource } from '../../../src/codec/fast/bulk.js';
import { encodePlan, kernelFits, pairsOf, WORD32, WORD64 } from '../../../src/codec/fast/encode.js';
import { exponentOf } from '../../../src/core/bits.js';
import { createRandom } from '../../../src/core/random.js';
import type { CodeArray } from '../../../src/formats.js';
import { fitsIn } from '../../../src/formats.js';
import {
  decode,
  decodeArray,
  defineFormat,
  encodeArray,
  FORMAT_NAMES,
  type Format,
  type FormatLike,
  type FormatSpec,
  format,
  ROUNDING_MODES,
  type RoundingMode,
  roundArray,
} from '../../../src/index.js';
import { resolveOptions } from '../../../src/options.js';
import { bitsOf, concat, edgeInputs, magnitudeCodes, randomInputs, type Source } from '../../helpers/inputs.js';

const SOURCES: Source[] = ['float32', 'float64'];
const FAST = FORMAT_NAMES.filter((n) => kernelFits(format(n), WORD32) && kernelFits(format(n), WORD64));
const OPTION_SETS = [{ saturate: true }, { flushSubnormals: true }, { saturate: true, flushSubnormals: true }];

/** Indices where two code arrays differ, as readable lines. */
function mismatches(src: ArrayLike<number>, fast: ArrayLike<number | bigint>, generic: ArrayLike<number | bigint>): string[] {
  const wrong: string[] = [];
  for (let i = 0; i < generic.length && wrong.length < 5; i++) {
    if (fast[i] !== generic[i]) wrong.push(`[${i}] ${src[i]}: fast ${fast[i]}, generic ${generic[i]}`);
  }
  if (fast.length !== generic.length) wrong.push(`length ${fast.length} != ${generic.length}`);
  return wrong;
}

/** Options for a run: a fresh seeded source each time, so both paths see the same draws. */
const opts = (rounding: RoundingMode, extra: object = {}) => ({ rounding, seed: 11, ...extra });

/** Per source: the edge inputs of F (around every code, or only the range's edges), then n random ones. */
function inputsBySource(F: Format, edgesOnly: boolean, n: number, seed?: number): Record<Source, Float32Array | Float64Array> {
  return Object.fromEntries(
    SOURCES.map((s) => [s, concat(edgeInputs(F, s, magnitudeCodes(F, edgesOnly)), randomInputs(F, s, n, seed))]),
  ) as Record<Source, Float32Array | Float64Array>;
}

/** encodeArray and roundArray, fast and generic, on one input: every mismatch. */
function compareAll(
  name: FormatLike,
  src: Float32Array | Float64Array | number[],
  rounding: RoundingMode,
  extra: object = {},
): string[] {
  const wrong = mismatches(
    src,
    encodeArray(name, src, opts(rounding, extra)) as CodeArray,
    encodeArrayGeneric(name, src, opts(rounding, extra)),
  );
  const fast = roundArray(name, src, opts(rounding, extra));
  const generic = roundArrayGeneric(name, src, opts(rounding, extra));
  if (Array.isArray(src)) {
    for (let i = 0; i < src.length && wrong.length < 5; i++)
      if (!Object.is(fast[i], generic[i])) wrong.push(`round [${i}] ${src[i]}`);
  } else {
    wrong.push(...mismatches(src, bitsOf(fast as Float32Array), bitsOf(generic as Float32Array)).map((w) => `round ${w}`));
  }
  return wrong;
}

describe('the fast paths serve', () => {
  it('every signed format of up to 16 bits with zero: float16, bfloat16, float8 (not e8m0), float6, float4', () => {
    expect(FAST).toEqual(FORMAT_NAMES.filter((n) => format(n).bits <= 16 && n !== 'float8_e8m0fnu'));
  });
});

describe.each(FAST.map((n) => [n] as const))('%s', (name) => {
  const F = format(name);
  const full = inputsBySource(F, false, 6000);
  const edges = inputsBySource(F, true, 6000, 8);

  it.each(ROUNDING_MODES.map((m) => [m] as const))('%s: every neighbourhood, from float32 and float64', (mode) => {
    const wrong = SOURCES.flatMap((s) => compareAll(name, full[s]!, mode).map((w) => `${s} ${w}`));
    expect(wrong).toEqual([]);
  });

  it.each(ROUNDING_MODES.map((m) => [m] as const))('%s with saturate and/or flushSubnormals: the range edges', (mode) => {
    const wrong = SOURCES.flatMap((s) =>
      OPTION_SETS.flatMap((extra) => compareAll(name, edges[s]!, mode, extra).map((w) => `${s} ${JSON.stringify(extra)} ${w}`)),
    );
    expect(wrong).toEqual([]);
  });

  it('number[] sources (copied chunk by chunk) give the Float64Array results', () => {
    const list = Array.from(concat(edges.float64!, randomInputs(F, 'float64', 3 * CHUNK, 9, true)));
    expect(list.length).toBeGreaterThan(2 * CHUNK);
    const wrong = ['tiesToEven', 'towardNegative', 'stochastic'].flatMap((m) =>
      compareAll(name, list, m as RoundingMode, { saturate: true }),
    );
    expect(wrong).toEqual([]);
  });

  it.each(SOURCES.flatMap((s) => ROUNDING_MODES.map((m) => [s, m] as const)))(
    'the kernel itself, called directly, from %s, %s (encodeArray may route bfloat16 elsewhere)',
    (s, mode) => {
      const src = full[s]!;
      const plan = encodePlan(F, s === 'float32' ? WORD32 : WORD64, resolveOptions('test', opts(mode)))!;
      const wrong: string[] = [];
      // Two results per 32-bit store where the kernel has that path, and one at a time.
      for (const paired of [true, false]) {
        const out = new Uint16Array(src.length);
        const source = new KernelSource(src);
        source.run(
          plan,
          0,
          src.length,
          out,
          paired ? pairsOf(out) : undefined,
          0,
          plan.map.codes,
          resolveOptions('test', opts(mode)).random,
        );
        wrong.push(...mismatches(src, out, encodeArrayGeneric(name, src, opts(mode))).map((w) => `paired ${paired} ${w}`));
      }
      expect(wrong).toEqual([]);
    },
  );

  it('into an out view that starts off a 4-byte boundary (no word-at-a-time stores there)', () => {
    for (const s of SOURCES) {
      const src = edges[s]!;
      const want = encodeArrayGeneric(name, src, opts('tiesToEven'));
      const size = want.BYTES_PER_ELEMENT;
      const Codes = want.constructor as new (buffer: ArrayBuffer, offset: number, length: number) => CodeArray;
      const out = new Codes(new ArrayBuffer((src.length + 1) * size), size, src.length);
      expect(encodeArray(name, src, { ...opts('tiesToEven'), out })).toBe(out);
      expect(mismatches(src, out, want)).toEqual([]);
    }
  });

  it('roundArray in place (out === src) gives the same values', () => {
    for (const s of SOURCES) {
      const src = edges[s]!.slice();
      const want = roundArrayGeneric(name, src, opts('stochastic'));
      expect(roundArray(name, src, { ...opts('stochastic'), out: src })).toBe(src);
      expect(mismatches(src, bitsOf(src), bitsOf(want))).toEqual([]);
    }
  });

  describe('stochastic rounding', () => {
    /** A random source that counts its draws and returns awkward values: 0, tiny, halves, 1 − 2^-53. */
    function awkward() {
      const values = [0, 2 ** -70, Number.MIN_VALUE, 2 ** -61, 0.25, 0.5, 0.75, 1 - 2 ** -53, 2 ** -24, 0.999];
      const base = createRandom(3);
      const source = {
        draws: 0,
        random: () => (source.draws++ % 3 === 0 ? values[Math.floor(base() * values.length)]! : base()),
      };
      return source;
    }

    it('draws once per inexact finite element, in order, and compares the draw exactly', () => {
      for (const s of SOURCES) {
        const src = full[s]!;
        const a = awkward();
        const b = awkward();
        const fast = encodeArray(name, src, { rounding: 'stochastic', random: a.random }) as CodeArray;
        const generic = encodeArrayGeneric(name, src, { rounding: 'stochastic', random: b.random });
        expect(mismatches(src, fast, generic)).toEqual([]);
        const inexact = Array.from(src).filter((x) => offGrid(F, x)).length;
        expect([a.draws, b.draws]).toEqual([inexact, inexact]);
      }
    });
  });
});

describe.each(FORMAT_NAMES.filter((n) => format(n).bits > 16).map((n) => [n] as const))(
  "%s: encodeArray by the platform's own conversions",
  (name) => {
    const inputs = inputsBySource(format('float32'), true, 3000);

    it.each([...SOURCES, 'number[]' as const].flatMap((s) => ROUNDING_MODES.map((m) => [m, s] as const)))(
      '%s from %s equals the generic loop, NaN payloads made canonical',
      (mode, s) => {
        const src = s === 'number[]' ? Array.from(inputs.float64!) : inputs[s]!;
        const wrong = [{}, ...OPTION_SETS].flatMap((extra) =>
          compareAll(name, src, mode, extra).map((w) => `${JSON.stringify(extra)} ${w}`),
        );
        expect(wrong).toEqual([]);
      },
    );
  },
);

/**
 * Custom formats just past a limit of the fast paths, each beside a format the fast paths serve:
 * whichever path they take, they give the generic loop's bits.
 */
const NEAR_MISSES: readonly (readonly [why: string, spec: FormatSpec])[] = [
  [
    'float16 with finite top binade (fn): one index too many for a Uint16Array',
    { name: 'near_e5m10fn', expBits: 5, manBits: 10, kind: 'fn' },
  ],
  ['float16 as fnuz: its indices overflow a Uint16Array too', { name: 'near_e5m10fnuz', expBits: 5, manBits: 10, kind: 'fnuz' }],
  ["9 exponent bits: the normal range starts below float32's", { name: 'near_e9m6', expBits: 9, manBits: 6 }],
  ['11 exponent bits: the first magnitude past max, 2^1024, is not a double', { name: 'near_e11m4', expBits: 11, manBits: 4 }],
  ["bfloat16's layout without inf (fn): not a float32's top bits", { name: 'near_e8m7fn', expBits: 8, manBits: 7, kind: 'fn' }],
  ["float32's bias on 7 exponent bits: not a float32's top bits", { name: 'near_e7m8b127', expBits: 7, manBits: 8, bias: 127 }],
  [
    "9 exponent bits biased to end below 2^128: its subnormals are finer than float32's",
    { name: 'near_e9m6b383', expBits: 9, manBits: 6, bias: 383 },
  ],
  [
    "bfloat16's layout biased lower: its smallest subnormal, 2^-150, is half float32's",
    { name: 'near_e8m7b144', expBits: 8, manBits: 7, bias: 144 },
  ],
];

const NEAR_MISS_FORMATS = NEAR_MISSES.map(([why, spec]) => [why, defineFormat(spec)] as const);

describe.each(NEAR_MISS_FORMATS)('%s', (_why, F) => {
  const inputs = inputsBySource(F, true, 3000);

  it.each(ROUNDING_MODES.map((m) => [m] as const))('encodeArray and roundArray, %s, equal the generic loop', (mode) => {
    const wrong = SOURCES.flatMap((s) =>
      [{}, { saturate: true }].flatMap((extra) =>
        compareAll(F, inputs[s]!, mode, extra).map((w) => `${s} ${JSON.stringify(extra)} ${w}`),
      ),
    );
    expect(wrong).toEqual([]);
  });
});

describe('fitsIn(F, float32) (whether the decode table serves a Float64Array)', () => {
  const formats = [
    ...FORMAT_NAMES.filter((n) => n !== 'float64').map(format),
    ...NEAR_MISS_FORMATS.map(([, F]) => F),
    defineFormat({ name: 'wide_e5m24', expBits: 5, manBits: 24 }),
  ];
  /** Every code of a format of up to 16 bits; else per exponent field, mantissas 0, 1 and all ones (the finest and the widest). */
  const codesOf = (F: Format): number[] =>
    F.bits <= 16
      ? Array.from({ length: F.codeCount }, (_, c) => c)
      : Array.from({ length: 2 ** F.expBits }, (_, e) => [0, 1, F.manMask].map((m) => e * 2 ** F.manBits + m)).flat();

  it.each(formats.map((F) => [F.name, F] as const))('%s: true exactly when every value is a float32', (_name, F) => {
    const every = codesOf(F).every((c) => {
      const v = decode(F, c);
      return Number.isNaN(v) || Math.fround(v) === v;
    });
    expect(fitsIn(F, format('float32'))).toBe(every);
  });

  it('float64: false', () => {
    expect(fitsIn(format('float64'), format('float32'))).toBe(false);
  });
});

/** x is finite and not a multiple of F's quantum at its exponent (so stochastic rounding draws). */
function offGrid(F: Format, x: number): boolean {
  if (!Number.isFinite(x) || x === 0) return false;
  const a = Math.abs(x);
  const q = 2 ** (Math.max(exponentOf(a), F.emin) - F.manBits);
  return a / q !== Math.floor(a / q);
}

describe('decodeArray fast paths equal the generic loop, NaN bits included', () => {
  const random = createRandom(5);
  const codesOf = (F: Format): CodeArray => {
    const all = Array.from({ length: Math.min(F.codeCount, 65536) }, (_, c) => c);
    if (F.bits <= 8) return Uint8Array.from(all);
    if (F.bits <= 16) return Uint16Array.from(all);
    if (F.bits <= 32) {
      const codes = Uint32Array.from({ length: 50000 }, () => Math.floor(random() * F.codeCount));
      codes.set([0, F.signMask, F.infCode, F.infCode + 1, F.nanCode, F.magMask, F.signMask + F.magMask], 0);
      return codes;
    }
    return BigUint64Array.from({ length: 50000 }, (_, i) =>
      i < 4
        ? [0x7ff8000000000001n, 0xfff0000000000001n, 0x8000000000000000n, 0x7ff0000000000000n][i]!
        : (BigInt(Math.floor(random() * 2 ** 32)) << 32n) | BigInt(Math.floor(random() * 2 ** 32)),
    );
  };

  // The near misses too: their decoding must not take the float32 table into a Float64Array.
  it.each([...FORMAT_NAMES.map(format), ...NEAR_MISS_FORMATS.map(([, F]) => F)].map((F) => [F.name, F] as const))(
    '%s',
    (_name, F) => {
      const codes = codesOf(F);
      const wrong: string[] = [];
      for (const Out of F.bits > 32 ? [Float64Array] : [Float32Array, Float64Array]) {
        // Whole, and views that start off a 4-byte boundary or end one short (the word-at-a-time paths' edges).
        for (const [from, cut] of [
          [0, 0],
          [1, 0],
          [2, 1],
          [3, 3],
        ] as const) {
          const part = codes.subarray(from, codes.length - cut) as CodeArray;
          const fast = decodeArray(F, part, { out: new Out(part.length) });
          const generic = decodeArrayGeneric(F, part, { out: new Out(part.length) });
          wrong.push(
            ...mismatches(part as never, bitsOf(fast), bitsOf(generic)).map((w) => `${Out.name} [${from}…-${cut}] ${w}`),
          );
        }
      }
      expect(wrong).toEqual([]);
    },
  );
});
