/**
 * mxQuantize / mxDequantize: against the exact generator's blocks, against the per-element
 * definition (round x / X into the element, times X), the fast paths against the reference,
 * the special cases OCP MX names, and bad input.
 */
import { describe, expect, it } from 'vitest';
import { createRandom } from '../../src/core/random.js';
import {
  defineMxFormat,
  format,
  MX_FORMAT_NAMES,
  type MxFormat,
  mxDequantize,
  mxFormat,
  mxQuantize,
  type RoundingMode,
  round,
  unpackCodes,
} from '../../src/index.js';
import {
  dequantizeReference,
  dequantizeTable,
  quantizeBlocksReference,
  quantizeFloat32TiesToEven,
  type Unpacked,
} from '../../src/mx/quantize.js';
import { DEFAULT_OPTIONS } from '../../src/options.js';
import { MX_E3M3_BLOCKS_OF_8 } from '../helpers/formats.js';
import { DETERMINISTIC } from '../helpers/modes.js';
import { fixtureInputs, fixtureValue, hex, mxFixture } from '../helpers/mx-blocks.js';

/** Blocks of mixed magnitudes, with zeros, both signs, and (when asked) NaN, inf and float32 subnormals. */
function randomValues(n: number, seed: number, specials = false): Float64Array {
  const random = createRandom(seed);
  const xs = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const u = random();
    // Each block gets its own magnitude, so scales differ from block to block.
    const blockScale = 2 ** (Math.floor(i / 32) % 40) * 2 ** -20;
    xs[i] = (random() - 0.5) * Math.exp(12 * (random() - 0.5)) * blockScale;
    if (u < 0.03) xs[i] = 0;
    else if (u < 0.05) xs[i] = -0;
    else if (specials && u < 0.06) xs[i] = NaN;
    else if (specials && u < 0.07) xs[i] = random() < 0.5 ? Infinity : -Infinity;
    else if (specials && u < 0.09) xs[i] = (random() - 0.5) * 2 ** -130;
  }
  return xs;
}

/** An exact half-quantum rounding of y into a two's complement k/2^f, for the integer elements (test's own). */
function roundIntElement(y: number, f: number, bits: number, mode: RoundingMode): number {
  const t = y * 2 ** f;
  const lo = Math.floor(t);
  const hi = Math.ceil(t);
  let k: number;
  if (lo === hi) k = t;
  else if (mode === 'towardPositive') k = hi;
  else if (mode === 'towardNegative') k = lo;
  else if (mode === 'towardZero') k = t < 0 ? hi : lo;
  else if (mode === 'toOdd') k = Math.abs(lo) % 2 === 1 ? lo : hi;
  else if (t - lo !== hi - t) k = t - lo < hi - t ? lo : hi;
  else if (mode === 'tiesToAway') k = t < 0 ? lo : hi;
  else k = lo % 2 === 0 ? lo : hi;
  k = Math.min(Math.max(k, -(2 ** (bits - 1))), 2 ** (bits - 1) - 1);
  return (k === 0 ? 0 : k) / 2 ** f;
}

describe.each(MX_FORMAT_NAMES.map((n) => [n] as const))('%s against the exact generator', (name) => {
  const fx = mxFixture.formats[name]!;

  it.each(mxFixture.modes.map((m) => [m] as const))(
    '%s: scales and codes of every block, from Float32Array, Float64Array and number[]',
    (mode) => {
      const wrong: string[] = [];
      for (const block of fx.blocks) {
        const xs = fixtureInputs(block);
        const sources = block.input === 'f32' ? [Float32Array.from(xs), Float64Array.from(xs), xs] : [Float64Array.from(xs), xs];
        for (const src of sources) {
          const q = mxQuantize(name, src, { rounding: mode, nonFinite: block.nonFinite });
          const codes = Array.from(unpackCodes(name, q.codes, q.length));
          const scales = Array.from(q.scales);
          if (JSON.stringify(scales) !== JSON.stringify(block.scales))
            wrong.push(`${block.name} (${src.constructor.name}): scales ${scales} != ${block.scales}`);
          const want = block.codes[mode];
          for (let i = 0; i < want.length; i++) {
            if (codes[i] !== want[i])
              wrong.push(`${block.name} (${src.constructor.name}) [${i}] x=${xs[i]}: code ${codes[i]} != ${want[i]}`);
          }
        }
      }
      expect(wrong.slice(0, 8)).toEqual([]);
    },
  );

  it('tiesToEven: the packed bytes, and the values into Float64Array (exact) and Float32Array', () => {
    const wrong: string[] = [];
    for (const block of fx.blocks) {
      const xs = fixtureInputs(block);
      const q = mxQuantize(name, block.input === 'f32' ? Float32Array.from(xs) : xs, { nonFinite: block.nonFinite });
      if (hex(q.codes) !== block.packed) wrong.push(`${block.name}: packed ${hex(q.codes)} != ${block.packed}`);
      if (q.nbytes !== q.scales.length + q.codes.length) wrong.push(`${block.name}: nbytes ${q.nbytes}`);
      const v64 = mxDequantize(q, { out: new Float64Array(q.length) });
      const v32 = mxDequantize(q);
      block.values.forEach((text, i) => {
        const want = fixtureValue(text);
        if (!Object.is(v64[i], want)) wrong.push(`${block.name} [${i}]: ${v64[i]} != ${text}`);
        if (!Object.is(v32[i], Math.fround(want))) wrong.push(`${block.name} [${i}] float32: ${v32[i]} != fround(${text})`);
      });
    }
    expect(wrong.slice(0, 8)).toEqual([]);
  });
});

describe.each(MX_FORMAT_NAMES.map((n) => [n] as const))(
  '%s: dequantize(quantize(x)) is x / X rounded into the element, times X',
  (name) => {
    const M = mxFormat(name);
    const E = M.element;
    const xs = randomValues(32 * 64 + 7, 11);

    it.each(DETERMINISTIC.map((m) => [m] as const))('%s', (mode) => {
      const q = mxQuantize(M, xs, { rounding: mode });
      const v = mxDequantize(q, { out: new Float64Array(xs.length) });
      const wrong: string[] = [];
      for (let i = 0; i < xs.length; i++) {
        const X = 2 ** (q.scales[Math.floor(i / 32)]! - 127);
        const y = xs[i]! / X;
        const want =
          (E.format
            ? round(E.format, y, { rounding: mode, saturate: true })
            : roundIntElement(y, E.int!.fractionBits, E.bits, mode)) * X;
        if (!Object.is(v[i], want)) wrong.push(`[${i}] x=${xs[i]} X=${X}: ${v[i]} != ${want}`);
      }
      expect(wrong.slice(0, 5)).toEqual([]);
    });

    it('tiesToEven: every error is at most half the element quantum at the block scale, unless saturated', () => {
      const f32 = Float32Array.from(xs);
      const v = mxDequantize(mxQuantize(M, f32), { out: new Float64Array(xs.length) });
      const q = mxQuantize(M, f32);
      const wrong: string[] = [];
      let checked = 0;
      for (let i = 0; i < f32.length; i++) {
        const X = 2 ** (q.scales[Math.floor(i / 32)]! - 127);
        const x = f32[i]!;
        if (x > E.max * X || x < E.lowest * X || x === 0) continue;
        const minExp = E.format ? E.format.emin : E.emax;
        const quantumExp = E.format
          ? Math.max(Math.floor(Math.log2(Math.abs(x / X))), minExp) - E.format.manBits
          : -E.int!.fractionBits;
        const half = 2 ** (quantumExp - 1) * X;
        if (Math.abs(v[i]! - x) > half) wrong.push(`[${i}] x=${x}: |${v[i]} − x| > ${half}`);
        checked++;
      }
      expect(wrong.slice(0, 5)).toEqual([]);
      expect(checked).toBeGreaterThan(f32.length * 0.8);
    });

    it('stochastic: each element is one of its two neighbours, reproducible by seed', () => {
      const a = mxQuantize(M, xs, { rounding: 'stochastic', seed: 7 });
      const b = mxQuantize(M, xs, { rounding: 'stochastic', seed: 7 });
      expect([a.scales, a.codes]).toEqual([b.scales, b.codes]);
      const v = mxDequantize(a, { out: new Float64Array(xs.length) });
      const down = mxDequantize(mxQuantize(M, xs, { rounding: 'towardNegative' }), { out: new Float64Array(xs.length) });
      const up = mxDequantize(mxQuantize(M, xs, { rounding: 'towardPositive' }), { out: new Float64Array(xs.length) });
      const wrong: string[] = [];
      for (let i = 0; i < xs.length; i++) {
        if (!(v[i] === down[i] || v[i] === up[i])) wrong.push(`[${i}] ${v[i]} not in {${down[i]}, ${up[i]}}`);
      }
      expect(wrong.slice(0, 5)).toEqual([]);
    });
  },
);

describe('stochastic rounding is unbiased', () => {
  it('an element a quarter of the way from 1 to 1.5 rounds up about a quarter of the time (MXFP4)', () => {
    const n = 32 * 500;
    const xs = new Float32Array(n).fill(1.125);
    for (let i = 0; i < n; i += 32) xs[i] = 4; // fixes every block's scale at 2^0
    const v = mxDequantize(mxQuantize('mxfp4_e2m1', xs, { rounding: 'stochastic', seed: 3 }));
    let up = 0;
    let total = 0;
    for (let i = 0; i < n; i++) {
      if (i % 32 === 0) continue;
      total++;
      if (v[i] === 1.5) up++;
      else expect(v[i]).toBe(1);
    }
    expect(up / total).toBeGreaterThan(0.23);
    expect(up / total).toBeLessThan(0.27);
  });
});

/** Block formats beyond the table: other block sizes, a custom 7-bit element, fnuz, a 4-bit integer. */
const EXTRA: MxFormat[] = [
  defineMxFormat({ element: 'float4_e2m1fn', blockSize: 16 }),
  defineMxFormat({ element: 'float6_e2m3fn', blockSize: 4 }),
  defineMxFormat({ element: 'float8_e4m3fnuz', blockSize: 8 }),
  MX_E3M3_BLOCKS_OF_8,
  defineMxFormat({ element: { name: 'int4', bits: 4, fractionBits: 2 }, blockSize: 2 }),
];
const ALL: MxFormat[] = [...MX_FORMAT_NAMES.map((n) => mxFormat(n)), ...EXTRA];

/** Values with 6-bit significands over a few binades: exact ties between element values are common. */
function shortSignificands(n: number, seed: number): Float64Array {
  const random = createRandom(seed);
  return Float64Array.from(
    { length: n },
    () => (random() < 0.5 ? -1 : 1) * (32 + Math.floor(random() * 32)) * 2 ** (Math.floor(random() * 12) - 10),
  );
}

describe.each(ALL.map((M) => [M.name, M] as const))('%s: the fast paths equal the reference', (_name, M) => {
  const n = M.blockSize * 300 + 5;
  const xs = Float32Array.from([...randomValues(n, 23, true), ...shortSignificands(n, 29)]);

  function unpacked(): Unpacked {
    return { scales: new Uint8Array(Math.ceil(xs.length / M.blockSize)), codes: new Uint8Array(xs.length) };
  }

  it.each([false, true])('float32 ties-to-even quantization (whole-block NaN: %s)', (wholeBlockNaN) => {
    if (!M.element.format) return;
    const fast = unpacked();
    const ref = unpacked();
    quantizeFloat32TiesToEven(M, xs, wholeBlockNaN, fast);
    quantizeBlocksReference(M, xs, DEFAULT_OPTIONS, wholeBlockNaN, ref);
    expect(Array.from(fast.scales)).toEqual(Array.from(ref.scales));
    const wrong = [...fast.codes].flatMap((c, i) => (c === ref.codes[i] ? [] : [`[${i}] x=${xs[i]}: ${c} != ${ref.codes[i]}`]));
    expect(wrong.slice(0, 5)).toEqual([]);
  });

  it('table dequantization, over random codes and every scale (NaN included), into float32 and float64', () => {
    const random = createRandom(5);
    for (const n of [0, 1, M.blockSize - 1, M.blockSize, 5 * M.blockSize + 3]) {
      const scales = Uint8Array.from({ length: Math.ceil(n / M.blockSize) }, () => Math.floor(random() * 256));
      const codes = Uint8Array.from({ length: Math.ceil((n * M.element.bits) / 8) }, () => Math.floor(random() * 256));
      // Unused bits of the last byte are zero in a packed array.
      const spare = codes.length * 8 - n * M.element.bits;
      if (spare > 0) codes[codes.length - 1]! &= 0xff >>> spare;
      for (const Out of [Float32Array, Float64Array]) {
        const a = new Out(n);
        const b = new Out(n);
        dequantizeTable(M, n, scales, codes, a);
        dequantizeReference(M, n, scales, codes, b);
        expect(a).toEqual(b);
      }
    }
  });
});

describe('OCP MX special cases', () => {
  it('an all-zero block gets the smallest scale, 2^-127 (code 0), and keeps the zeros’ signs', () => {
    for (const name of MX_FORMAT_NAMES) {
      const q = mxQuantize(name, new Float32Array([0, -0, 0, -0]));
      expect(Array.from(q.scales)).toEqual([0]);
      const v = mxDequantize(q);
      const int = mxFormat(name).element.type === 'int';
      expect(Array.from(v).map((x) => Object.is(x, -0))).toEqual([false, !int, false, !int]);
    }
  });

  it('a block of float32 subnormals gets the scale 2^-127 and keeps what the element can hold at that scale', () => {
    const tiny = new Float32Array([2 ** -127, 2 ** -130, -(2 ** -128), 2 ** -149]);
    const q = mxQuantize('mxfp4_e2m1', tiny);
    expect(Array.from(q.scales)).toEqual([0]);
    // x / 2^-127 = 1, 1/8, -1/2, 2^-22: E2M1 holds 1 and -0.5 exactly; the others flush to zero.
    expect(Array.from(mxDequantize(q))).toEqual([2 ** -127, 0, -(2 ** -128), 0]);
  });

  it('a block at float32’s largest value has the scale 2^(127 − emax) and dequantizes without overflow', () => {
    const max32 = 3.4028234663852886e38;
    for (const name of MX_FORMAT_NAMES) {
      const M = mxFormat(name);
      const q = mxQuantize(M, new Float32Array([max32, -max32, 1]));
      expect(q.scales[0]).toBe(127 - M.element.emax + 127);
      const v = mxDequantize(q);
      expect(v[0]).toBe(M.element.max * 2 ** (127 - M.element.emax));
      expect(Number.isFinite(v[0]!)).toBe(true);
    }
  });

  it('doubles past float32: the scale clamps at 2^127, the elements saturate, a Float32Array overflows to inf', () => {
    const q = mxQuantize('mxfp8_e4m3', [1e300, -1]);
    expect(Array.from(q.scales)).toEqual([254]);
    expect(Array.from(mxDequantize(q, { out: new Float64Array(2) }))).toEqual([448 * 2 ** 127, -0]);
    expect(mxDequantize(q)[0]).toBe(Infinity);
  });

  it('a tiny double next to a huge one: the quotient underflows, directed rounding still sees it', () => {
    const q = mxQuantize('mxfp4_e2m1', [1e300, 1e-300, -1e-300], { rounding: 'towardPositive' });
    expect(Array.from(mxDequantize(q, { out: new Float64Array(3) }))).toEqual([6 * 2 ** 127, 0.5 * 2 ** 127, -0]);
  });

  it('the last block may be partial: its scale comes from its own elements', () => {
    const xs = new Float32Array(40).fill(1000);
    xs.fill(0.001, 32);
    const q = mxQuantize('mxfp8_e4m3', xs);
    expect([q.scales.length, q.codes.length, q.nbytes]).toEqual([2, 40, 42]);
    expect(q.scales[1]).toBe(Math.floor(Math.log2(0.001)) - 8 + 127);
  });

  it.each([
    ['mxfp8_e5m2', [1, NaN, Infinity, -Infinity], [1, NaN, Infinity, -Infinity]],
    ['mxfp8_e4m3', [1, NaN, Infinity, -Infinity], [1, NaN, NaN, NaN]],
    ['mxfp6_e3m2', [1, NaN], [NaN, NaN]],
    ['mxfp6_e2m3', [1, Infinity], [NaN, NaN]],
    ['mxfp4_e2m1', [1, -Infinity], [NaN, NaN]],
    ['mxint8', [1, NaN], [NaN, NaN]],
  ] as const)('%s holds NaN and inf in its elements where it can, else the block scale is NaN: %o → %o', (name, xs, want) => {
    const q = mxQuantize(name, xs as unknown as number[]);
    expect(Array.from(mxDequantize(q))).toEqual(want);
    // The block's finite values keep the scale they would have without the NaN or inf.
    if (mxFormat(name).element.hasNaN) expect(q.scales[0]).toBe(127 - mxFormat(name).element.emax);
    else expect(q.scales[0]).toBe(0xff);
  });

  it("nonFinite: 'block' makes any NaN or inf poison its whole block (torchao, microxcaling), and only that block", () => {
    for (const name of MX_FORMAT_NAMES) {
      const xs = new Float32Array(64).fill(2);
      xs[40] = Infinity;
      const q = mxQuantize(name, xs, { nonFinite: 'block' });
      expect(q.scales[1]).toBe(0xff);
      const v = mxDequantize(q);
      expect(v.slice(0, 32).every((x) => x === 2)).toBe(true);
      expect(v.slice(32).every((x) => Number.isNaN(x))).toBe(true);
    }
  });

  it('flushSubnormals turns element subnormals into zeros', () => {
    // Scale 2^0 (max 4); 0.5 is E2M1's only subnormal.
    const q = mxQuantize('mxfp4_e2m1', [4, 0.5, -0.5, 1], { flushSubnormals: true });
    expect(Array.from(mxDequantize(q))).toEqual([4, 0, -0, 1]);
  });

  it('nbytes is the spec’s figure: 4.25 bits per element for MXFP4, 8.25 for MXFP8', () => {
    const xs = new Float32Array(32 * 1000);
    expect(mxQuantize('mxfp4_e2m1', xs).nbytes * 8).toBe(4.25 * xs.length);
    expect(mxQuantize('mxfp6_e2m3', xs).nbytes * 8).toBe(6.25 * xs.length);
    expect(mxQuantize('mxfp8_e4m3', xs).nbytes * 8).toBe(8.25 * xs.length);
  });

  it('MXINT8 elements are two’s complement k/64, -2 included', () => {
    const q = mxQuantize('mxint8', [1, -1, -0.5, 1.99, -1.995]);
    expect(Array.from(q.scales)).toEqual([127]);
    expect(Array.from(q.codes)).toEqual([64, 192, 224, 127, 128]);
    expect(Array.from(mxDequantize(q))).toEqual([1, -1, -0.5, 127 / 64, -2]);
  });

  it('an empty array quantizes to no blocks', () => {
    const q = mxQuantize('mxfp4_e2m1', []);
    expect([q.length, q.scales.length, q.codes.length, q.nbytes]).toEqual([0, 0, 0, 0]);
    expect(mxDequantize(q)).toEqual(new Float32Array(0));
  });
});

describe('bad input', () => {
  const good = () => mxQuantize('mxfp4_e2m1', new Float32Array(40));

  it.each([
    [
      () => mxQuantize('mxfp4_e2m1', 'x' as never),
      TypeError,
      'mxQuantize: src must be a Float32Array, Float64Array or array of numbers, got the string "x"',
    ],
    [() => mxQuantize('mxfp4_e2m1', [1, 2, 'x'] as never), TypeError, 'mxQuantize: src[2] must be a number, got the string "x"'],
    [() => mxQuantize('mxfp5' as never, [1]), RangeError, /^mxQuantize: unknown blockFormat "mxfp5"/],
    [
      () => mxQuantize([1, 2] as never, 'mxfp4_e2m1' as never),
      TypeError,
      'mxQuantize: blockFormat must be the format, not the values (the format comes first: mxQuantize(blockFormat, src, opts)); got an array',
    ],
    [
      () => mxQuantize(new Float32Array(2) as never, mxFormat('mxfp8_e4m3') as never),
      TypeError,
      'mxQuantize: blockFormat must be the format, not the values (the format comes first: mxQuantize(blockFormat, src, opts)); got a Float32Array',
    ],
    [() => mxQuantize(format('float4_e2m1fn') as never, [1]), TypeError, /^mxQuantize: blockFormat must be a block format name/],
    [() => mxQuantize('mxfp4_e2m1', [1], { saturate: false } as never), RangeError, /^mxQuantize: unknown option "saturate"/],
    [
      () => mxQuantize('mxfp4_e2m1', [1], { nonFinite: 'clamp' } as never),
      RangeError,
      /^mxQuantize: opts.nonFinite must be 'element' or 'block', got the string "clamp"/,
    ],
    [() => mxQuantize('mxfp4_e2m1', [1], { rounding: 'up' } as never), RangeError, /^mxQuantize: unknown rounding mode "up"/],
    [() => mxQuantize('mxfp4_e2m1', [1], 5 as never), TypeError, /^mxQuantize: opts must be an object/],
    [() => mxDequantize(null as never), TypeError, 'mxDequantize: q must be an MxArray (from mxQuantize), got null'],
    [() => mxDequantize({ ...good(), blockFormat: 'nope' as never }), RangeError, /^mxDequantize: unknown q.blockFormat "nope"/],
    [() => mxDequantize({ ...good(), length: -1 }), RangeError, /^mxDequantize: q.length must be an integer from 0/],
    [
      () => mxDequantize({ ...good(), scales: new Uint8Array(1) }),
      RangeError,
      'mxDequantize: q.scales has 1 bytes; 40 elements of mxfp4_e2m1 need 2',
    ],
    [
      () => mxDequantize({ ...good(), codes: new Uint8Array(21) }),
      RangeError,
      'mxDequantize: q.codes has 21 bytes; 40 elements of mxfp4_e2m1 need 20',
    ],
    [
      () => mxDequantize({ ...good(), codes: [1, 2] as never }),
      TypeError,
      'mxDequantize: q.codes must be a Uint8Array, got an array',
    ],
    [() => mxDequantize(good(), { out: new Float32Array(3) }), RangeError, 'mxDequantize: opts.out has length 3, it must be 40'],
    [
      () => mxDequantize(good(), { out: new Uint8Array(40) as never }),
      TypeError,
      /^mxDequantize: opts.out must be a Float32Array or Float64Array/,
    ],
  ])('%#', (call, type, message) => {
    expect(call).toThrow(type);
    expect(call).toThrow(message);
  });

  it('leaves its input untouched', () => {
    const xs = Float32Array.from(randomValues(100, 1, true));
    const copy = xs.slice();
    const q = mxQuantize('mxfp6_e3m2', xs, { rounding: 'stochastic', seed: 1 });
    expect(xs).toEqual(copy);
    const scales = q.scales.slice();
    const codes = q.codes.slice();
    mxDequantize(q);
    expect([q.scales, q.codes]).toEqual([scales, codes]);
  });
});
