/**
 * NVFP4 (two-level: E2M1 elements, one E4M3 scale per 16, a float32 scale per tensor) against an
 * independent model of torchao's `nvfp4_quantize` with a per-tensor scale: every float32 step
 * written out here, the E4M3 and E2M1 roundings by enumerating their values.
 */
import { describe, expect, it } from 'vitest';
import { createRandom } from '../../src/core/random.js';
import { mxDequantize, mxFormat, mxQuantize, mxReport, Tensor } from '../../src/index.js';
import { ELEMENTS, positiveValues, roundTo } from '../helpers/scaled-reference.js';

const E2M1 = positiveValues(ELEMENTS.float4_e2m1fn!);
const E4M3 = positiveValues(ELEMENTS.float8_e4m3fn!);

/** torchao's two-level path, step by step in float32: the tensor scale, each block's E4M3 scale, each element. */
function model(xs: Float32Array): { g: number; d: number[]; values: number[]; codes: number[] } {
  const amax = Math.max(...xs.map(Math.abs));
  const g = Math.fround(amax / (448 * 6));
  const d: number[] = [];
  const values: number[] = [];
  const codes: number[] = [];
  for (let b = 0; b < xs.length; b += 16) {
    const block = xs.subarray(b, b + 16);
    const relative = Math.fround(Math.fround(Math.max(...block.map(Math.abs)) / 6) / g);
    const scale = roundTo(E4M3, Math.min(Math.max(relative, 2 ** -6), 448));
    d.push(scale);
    const total = Math.fround(g * scale);
    for (const x of block) {
      const v = roundTo(E2M1, Math.fround(x / total));
      values.push(Math.fround(v * total));
      codes.push(E2M1.indexOf(Math.abs(v)) + (v < 0 || Object.is(v, -0) ? 8 : 0));
    }
  }
  return { g, d, values, codes };
}

function inputs(n: number, seed: number): Float32Array {
  const random = createRandom(seed);
  return Float32Array.from({ length: n }, () => (random() - 0.5) * 2 ** Math.floor(16 * random() - 8));
}

describe('nvfp4 against the model of torchao', () => {
  it.each([16, 48, 37, 160])('%d elements: tensor scale, block scales, codes and values', (n) => {
    const xs = inputs(n, n);
    const m = model(xs);
    const q = mxQuantize('nvfp4', xs);
    expect(q.tensorScale).toBe(m.g);
    expect([...mxReport(xs, q).perBlock.scales]).toEqual(m.d.map((d) => Math.fround(m.g * d)));
    expect([...mxDequantize(q)]).toEqual(m.values);
    const unpacked = Array.from({ length: n }, (_, i) => (q.codes[i >> 1]! >> (4 * (i & 1))) & 15);
    expect(unpacked).toEqual(m.codes); // two per byte, the low nibble first
  });
});

describe('nvfp4 storage', () => {
  it.each([
    [16, 8 + 1 + 4],
    [32, 16 + 2 + 4],
    [33, 17 + 3 + 4],
    [1024, 512 + 64 + 4],
  ])('%d elements take %d bytes: 4.5 bits a weight and the float32 tensor scale', (n, bytes) => {
    expect(mxQuantize('nvfp4', new Float32Array(n).fill(1)).nbytes).toBe(bytes);
    expect(Tensor.zeros([n], { dtype: 'nvfp4' }).nbytes).toBe(bytes);
  });

  it('is a dtype of Tensor, stored as mxQuantize stores it', () => {
    const xs = inputs(40, 3);
    const t = Tensor.from(xs, { dtype: 'nvfp4' });
    expect([t.dtype.name, mxFormat('nvfp4').bitsPerElement, mxFormat('nvfp4').tensorScale]).toEqual(['nvfp4', 4.5, true]);
    expect(t.toFloat32Array()).toEqual(mxDequantize(mxQuantize('nvfp4', xs)));
  });
});

describe('nvfp4 edge cases', () => {
  it('an all-zero tensor: tensor scale 1, block scales at E4M3’s smallest normal, zeros back', () => {
    const q = mxQuantize('nvfp4', new Float32Array(20));
    expect([q.tensorScale, ...q.scales, ...mxDequantize(q)]).toEqual([1, 8, 8, ...new Array(20).fill(0)]);
  });

  it('a NaN makes its block’s scale NaN (E2M1 holds none); other blocks keep their values', () => {
    const xs = Float32Array.from({ length: 32 }, (_, i) => (i === 3 ? NaN : i / 4));
    const v = mxDequantize(mxQuantize('nvfp4', xs));
    expect([v.slice(0, 16).every(Number.isNaN), v.slice(16).some(Number.isNaN)]).toEqual([true, false]);
  });

  it('a two-level array without its tensor scale is refused, naming the field', () => {
    const q = mxQuantize('nvfp4', new Float32Array(16).fill(1));
    expect(() => mxDequantize({ ...q, tensorScale: undefined })).toThrow(/mxDequantize: q\.tensorScale must be a number/);
    expect(() => mxDequantize({ ...q, tensorScale: 0.1 })).toThrow(RangeError);
  });
});
