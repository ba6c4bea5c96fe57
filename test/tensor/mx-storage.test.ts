/**
 * Tensors of MX block formats, over every built-in block format and custom ones (other block
 * sizes, an integer element): the storage is mxQuantize's scales and codes, the values are
 * mxDequantize's, nbytes is the spec's figure, every op is dequantize → the float32 op →
 * quantize once, `.to` round trips, reshape/transpose keep values, promotion, and errors.
 */
import { describe, expect, it } from 'vitest';
import { createRandom } from '../../src/core/random.js';
import {
  type DtypeLike,
  defineMxFormat,
  GradScaler,
  isMxFormat,
  MX_FORMAT_NAMES,
  type MxArray,
  type MxFormat,
  type MxQuantizeOptions,
  mxDequantize,
  mxFormat,
  mxQuantize,
  promoteTypes,
  SGD,
  Tensor,
  unpackCodes,
} from '../../src/index.js';
import type { MxStorageData } from '../../src/tensor/storage-codec.js';

const BLOCK_FORMATS: [string, MxFormat][] = [
  ...MX_FORMAT_NAMES.map((n) => [n, mxFormat(n)] as [string, MxFormat]),
  ['custom mxfp4, blocks of 16', defineMxFormat({ element: 'float4_e2m1fn', blockSize: 16 })],
  ['custom mxfp6_e3m2, blocks of 4', defineMxFormat({ element: 'float6_e3m2fn', blockSize: 4 })],
  ['custom mxint8, blocks of 64', defineMxFormat({ element: mxFormat('mxint8').element, blockSize: 64 })],
  ['custom int4, blocks of 8', defineMxFormat({ element: { name: 'int4', bits: 4, fractionBits: 2 }, blockSize: 8 })],
];

/** Mixed magnitudes (each run of 8 values its own, so blocks get different scales), zeros and both signs; all within float32's range. */
function values(n: number, seed: number): Float64Array {
  const random = createRandom(seed);
  const xs = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const u = random();
    const run = 2 ** ((Math.floor(i / 8) % 24) - 12);
    xs[i] = u < 0.05 ? 0 : (random() - 0.5) * Math.exp(6 * (random() - 0.5)) * run;
  }
  return xs;
}

const mx = (t: Tensor) => t.storage.data as MxStorageData;

/** The bytes of two MX storages (or an MX storage and an mxQuantize result) as comparable arrays. */
const bytesOf = (q: MxArray) => ({ scales: Array.from(q.scales), codes: Array.from(q.codes) });

/** The values a tensor of M stores for `src`: mxQuantize then mxDequantize (float32, as ops see them). */
const stored32 = (src: ArrayLike<number>, M: MxFormat, opts?: MxQuantizeOptions) =>
  mxDequantize(mxQuantize(M, Float64Array.from(src), opts)) as Float32Array;

/** The spec's size: w = 8 bits of scale per block (a last, shorter block has its scale too) and d bits per element. */
const specBytes = (M: MxFormat, n: number) => Math.ceil((8 * Math.ceil(n / M.blockSize) + M.element.bits * n) / 8);

describe.each(BLOCK_FORMATS)('%s', (_name, M) => {
  const shape = [7, 13]; // 91 elements: a partial last block for every block size here
  const n = 91;
  const a = values(n, 1);
  const b = values(n, 2);
  const qa = mxQuantize(M, a);
  const qb = mxQuantize(M, b);
  const A = Tensor.from(a, { dtype: M, shape });
  const B = Tensor.from(b, { dtype: M, shape });

  it("stores mxQuantize's scales and packed codes, whatever the source array", () => {
    expect(A.dtype).toBe(M);
    expect(isMxFormat(A.dtype)).toBe(true);
    expect(mx(A).order).toBeNull();
    expect(bytesOf(mx(A).blocks)).toEqual(bytesOf(qa));
    expect(bytesOf(mx(Tensor.from(Array.from(a), { dtype: M })).blocks)).toEqual(bytesOf(qa));
    const a32 = new Float32Array(a);
    expect(bytesOf(mx(Tensor.from(a32, { dtype: M })).blocks)).toEqual(bytesOf(mxQuantize(M, a32)));
    expect(bytesOf(mx(Tensor.from([[...a.slice(0, 13)], [...a.slice(13, 26)]], { dtype: M })).blocks)).toEqual(
      bytesOf(mxQuantize(M, a.slice(0, 26))),
    );
  });

  it('toFloat32Array is mxDequantize; toArray and item are the exact values', () => {
    expect(Array.from(A.toFloat32Array())).toEqual(Array.from(mxDequantize(qa)));
    expect(A.toArray()).toEqual(Array.from(mxDequantize(qa, { out: new Float64Array(n) })));
    expect(A.reshape([n]).sum(0, { dtype: 'float64' }).item()).toBe(A.toArray().reduce((s, x) => s + x, 0));
    expect(Tensor.from([a[3]!], { dtype: M }).item()).toBe(mxDequantize(mxQuantize(M, [a[3]!]), { out: new Float64Array(1) })[0]);
  });

  it("nbytes is the spec's figure, the last partial block included", () => {
    for (const size of [0, 1, M.blockSize - 1, M.blockSize, M.blockSize + 1, 4 * M.blockSize, n]) {
      const t = Tensor.zeros([size], { dtype: M });
      expect(t.nbytes, `${size} elements`).toBe(specBytes(M, size));
      expect(t.nbytes).toBe(mxQuantize(M, new Float32Array(size)).nbytes);
    }
    expect(Tensor.zeros([8, M.blockSize], { dtype: M }).nbytes).toBe((8 * M.blockSize * M.bitsPerElement) / 8);
    expect(A.nbytes).toBe(qa.nbytes);
  });

  it('zeros, ones and randn quantize their values once', () => {
    expect(bytesOf(mx(Tensor.zeros([5, 9], { dtype: M })).blocks)).toEqual(bytesOf(mxQuantize(M, new Float32Array(45))));
    expect(bytesOf(mx(Tensor.ones([45], { dtype: M })).blocks)).toEqual(bytesOf(mxQuantize(M, new Float32Array(45).fill(1))));
    const normal = Tensor.randn([45], { seed: 9, dtype: 'float64' }).toArray();
    expect(bytesOf(mx(Tensor.randn([45], { seed: 9, dtype: M })).blocks)).toEqual(bytesOf(mxQuantize(M, normal)));
  });

  it('passes the rounding options to mxQuantize (stochastic with a seed, towardZero, flushSubnormals)', () => {
    for (const opts of [
      { rounding: 'stochastic', seed: 4 },
      { rounding: 'towardZero' },
      { rounding: 'towardNegative', flushSubnormals: true },
      { saturate: true },
    ] as const) {
      const { saturate: _, ...mxOpts } = { saturate: true, ...opts };
      const want = bytesOf(mxQuantize(M, a, mxOpts));
      expect(bytesOf(mx(Tensor.from(a, { dtype: M, ...opts })).blocks), JSON.stringify(opts)).toEqual(want);
      expect(bytesOf(mx(Tensor.from(a).to(M, opts)).blocks), JSON.stringify(opts)).toEqual(
        bytesOf(mxQuantize(M, new Float32Array(a), mxOpts)),
      );
    }
  });

  // Each op on MX tensors is: dequantize to float32, the float32 op, quantize the result once.
  const a32 = Tensor.from(mxDequantize(qa), { shape });
  const b32 = Tensor.from(mxDequantize(qb), { shape });
  const row32 = Tensor.from(mxDequantize(qb).slice(0, 13));
  const ops: [string, (x: Tensor, y: Tensor, row: Tensor) => Tensor][] = [
    ['add', (x, y) => x.add(y)],
    ['sub', (x, y) => x.sub(y)],
    ['mul', (x, y) => x.mul(y)],
    ['add a number', (x) => x.add(0.1)],
    ['mul by a broadcast row', (x, _y, row) => x.mul(row)],
    ['relu', (x) => x.relu()],
    ['exp', (x) => x.exp()],
    ['log', (x) => x.log()],
    ['sum', (x) => x.sum()],
    ['sum over dim 0', (x) => x.sum(0)],
    ['mean over dim 1', (x) => x.mean(1)],
    ['matmul with a transpose', (x, y) => x.matmul(y.transpose())],
    ['softmax', (x) => x.softmax()],
    ['logSoftmax', (x) => x.logSoftmax()],
    ['crossEntropy', (x) => x.crossEntropy([0, 1, 2, 3, 4, 5, 6], { reduction: 'none' })],
  ];
  it.each(ops)('%s is dequantize → float32 op → quantize once', (_op, f) => {
    const row = Tensor.from(mxDequantize(qb).slice(0, 13), { dtype: M });
    const got = f(A, B, row);
    const want32 = f(a32, b32, row32);
    expect(got.dtype).toBe(M);
    expect(got.shape).toEqual(want32.shape);
    expect(bytesOf(mx(got).blocks)).toEqual(bytesOf(mxQuantize(M, want32.toFloat32Array())));
  });

  it('adds and multiplies as the float32 sum/product of the dequantized values (checked element by element)', () => {
    const x = mxDequantize(qa);
    const y = mxDequantize(qb);
    const sum = new Float32Array(n);
    const prod = new Float32Array(n);
    for (let i = 0; i < n; i++) {
      sum[i] = Math.fround(x[i]! + y[i]!);
      prod[i] = Math.fround(x[i]! * y[i]!);
    }
    expect(Array.from(A.add(B).toFloat32Array())).toEqual(Array.from(stored32(sum, M)));
    expect(Array.from(A.mul(B).toFloat32Array())).toEqual(Array.from(stored32(prod, M)));
    expect(Array.from(A.add(B, { dtype: 'float32' }).toFloat32Array())).toEqual(Array.from(sum));
  });

  it('an op passes its rounding options to the quantization of its result', () => {
    const f32 = a32.add(b32).toFloat32Array();
    expect(bytesOf(mx(A.add(B, { rounding: 'stochastic', seed: 2 })).blocks)).toEqual(
      bytesOf(mxQuantize(M, f32, { rounding: 'stochastic', seed: 2 })),
    );
    expect(bytesOf(mx(A.add(B, { rounding: 'towardZero' })).blocks)).toEqual(
      bytesOf(mxQuantize(M, f32, { rounding: 'towardZero' })),
    );
  });

  it('ops with another dtype promote to float32 (float64 with float64) and compute on the dequantized values', () => {
    const h = Tensor.from(b, { dtype: 'float16', shape });
    const mixed = A.add(h);
    expect(mixed.dtype.name).toBe('float32');
    const x = mxDequantize(qa);
    const y = h.toArray();
    expect(mixed.toArray()).toEqual(Array.from(x, (v, i) => Math.fround(v + y[i]!)));
    const d = Tensor.from(b, { dtype: 'float64', shape });
    const x64 = A.toArray();
    expect(A.mul(d).dtype.name).toBe('float64');
    expect(A.mul(d).toArray()).toEqual(x64.map((v, i) => v * b[i]!));
  });

  it('.to float32 is mxDequantize; float32 .to the block format is mxQuantize; the round trip keeps the bytes', () => {
    expect(Array.from(A.to('float32').toFloat32Array())).toEqual(Array.from(mxDequantize(qa)));
    expect(A.to('float32').dtype.name).toBe('float32');
    expect(A.to(M)).toBe(A);
    const back = A.to('float32').to(M);
    expect(back.dtype).toBe(M);
    // Quantizing MX values again is exact, except where an integer element holds its most negative code (see the next test).
    const mostNegative = M.element.type === 'int' && unpackCodes(M, qa.codes, n).includes(2 ** (M.element.bits - 1));
    expect(mostNegative).toBe(false);
    expect(bytesOf(mx(back).blocks)).toEqual(bytesOf(qa));
    expect(A.to('float64').to(M).toArray()).toEqual(A.toArray());
    expect(A.to('bfloat16').dtype.name).toBe('bfloat16');
  });

  it('.to another block format quantizes the exact values once', () => {
    for (const other of ['mxfp8_e5m2', 'mxfp4_e2m1', 'mxint8'] as const) {
      expect(bytesOf(mx(A.to(other)).blocks), other).toEqual(bytesOf(mxQuantize(other, A.toArray())));
    }
  });

  it('reshape shares storage; transpose keeps the values and the blocks they were quantized in', () => {
    const r = A.reshape([13, 7]);
    expect(r.storage).toBe(A.storage);
    expect(r.toArray()).toEqual(A.toArray());
    const t = A.transpose();
    expect(t.shape).toEqual([13, 7]);
    expect(t.dtype).toBe(M);
    const x = A.toArray();
    const want = Array.from({ length: n }, (_, k) => x[(k % 7) * 13 + Math.floor(k / 7)]!);
    expect(t.toArray()).toEqual(want);
    expect(bytesOf(mx(t).blocks)).toEqual(bytesOf(qa));
    expect(t.nbytes).toBe(A.nbytes);
    const tt = t.transpose();
    expect(mx(tt).order).toBeNull();
    expect(tt.toArray()).toEqual(x);
    expect(t.reshape([n]).toArray()).toEqual(want);
    // An op on a transposed tensor quantizes its result in its own row-major order.
    expect(bytesOf(mx(t.relu()).blocks)).toEqual(bytesOf(mxQuantize(M, a32.transpose().relu().toFloat32Array())));
  });

  it('never modifies its inputs; transpose copies the blocks', () => {
    const before = bytesOf(mx(A).blocks);
    for (const t of [A.add(B), A.mul(2), A.relu(), A.sum(), A.to('float16'), A.transpose(), A.matmul(B.transpose())])
      expect(t).toBeInstanceOf(Tensor);
    expect(bytesOf(mx(A).blocks)).toEqual(before);
    expect(mx(A.transpose()).blocks.codes).not.toBe(mx(A).blocks.codes);
  });
});

describe('MX tensors: quantizing again', () => {
  it('an MXINT8 block holding −2·X (code 0x80) gets the scale 2X when its values are quantized again: its small elements lose a bit', () => {
    const t = Tensor.from([1, -1.999, 1 / 64], { dtype: 'mxint8' });
    expect(t.toArray()).toEqual([1, -2, 1 / 64]);
    expect(Array.from(mx(t).blocks.scales)).toEqual([127]);
    const again = t.to('float32').to('mxint8');
    expect(Array.from(mx(again).blocks.scales)).toEqual([128]);
    expect(again.toArray()).toEqual([1, -2, 0]);
  });
});

describe('MX tensors beyond float32', () => {
  it('stores values past float32 exactly; ops see them in float32, as mxDequantize does', () => {
    const big = 6 * 2 ** 127; // E2M1's max at the largest scale: more than float32's max
    const t = Tensor.from([big, 1], { dtype: 'mxfp4_e2m1' });
    expect(Array.from(mx(t).blocks.scales)).toEqual([254]);
    expect(t.toArray()).toEqual([big, 0]);
    expect(Array.from(t.toFloat32Array())).toEqual([Infinity, 0]);
    expect(Array.from(t.toFloat32Array())).toEqual(Array.from(mxDequantize(mxQuantize('mxfp4_e2m1', [big, 1]))));
    expect(t.to('float64').toArray()).toEqual([big, 0]);
    expect(t.mul(Tensor.from([0.5, 0.5], { dtype: 'float64' })).toArray()).toEqual([big / 2, 0]);
    // In float32 the value is inf; E2M1 holds no inf, so the quantized block is NaN (the spec's NaN scale).
    expect(t.mul(0.5).toArray()).toEqual([NaN, NaN]);
  });
});

describe('MX promotion', () => {
  const fp4x16 = defineMxFormat({ element: 'float4_e2m1fn', blockSize: 16 });
  const samefp4 = defineMxFormat({ element: 'float4_e2m1fn', blockSize: 32, name: 'my_mxfp4' });
  it.each([
    ['mxfp4_e2m1', 'mxfp4_e2m1', 'mxfp4_e2m1'],
    ['mxfp4', 'mxfp4_e2m1', 'mxfp4_e2m1'],
    ['mxfp4_e2m1', 'mxfp8_e4m3', 'float32'],
    ['mxfp8_e4m3', 'mxfp8_e5m2', 'float32'],
    ['mxfp4_e2m1', 'float16', 'float32'],
    ['bfloat16', 'mxint8', 'float32'],
    ['float8_e4m3fn', 'mxfp8_e4m3', 'float32'],
    ['mxfp6_e2m3', 'float32', 'float32'],
    ['mxfp8_e5m2', 'float64', 'float64'],
    ['mxfp4_e2m1', fp4x16, 'float32'],
    ['mxfp4_e2m1', samefp4, 'mxfp4_e2m1'],
    [samefp4, 'mxfp4_e2m1', 'my_mxfp4'],
  ] as [DtypeLike, DtypeLike, string][])('%s with %s gives %s', (x, y, z) => {
    expect(promoteTypes(x, y).name).toBe(z);
    const sum = Tensor.ones([2], { dtype: x }).add(Tensor.ones([2], { dtype: y }));
    expect(sum.dtype.name).toBe(z);
    expect(sum.toArray()).toEqual([2, 2]);
  });

  it('a number or a 0-d tensor keeps an MX tensor MX (torch result_type)', () => {
    const t = Tensor.from([1, 2, 3], { dtype: 'mxfp8_e4m3' });
    expect(t.mul(0.5).dtype.name).toBe('mxfp8_e4m3');
    expect(t.add(Tensor.from([1], { dtype: 'float64' }).reshape([])).dtype.name).toBe('mxfp8_e4m3');
    expect(t.add(1, { dtype: 'mxfp4' }).dtype.name).toBe('mxfp4_e2m1');
  });
});

describe('MX tensors in training parts', () => {
  it('SGD updates an MX parameter as the float32 update quantized once', () => {
    const M = mxFormat('mxfp8_e4m3');
    const init = values(70, 3);
    const p = Tensor.from(init, { dtype: M });
    const twin = Tensor.from(p.toFloat32Array());
    const grad = new Float32Array(values(70, 4));
    new SGD([p], { lr: 0.5 }).step([grad]);
    new SGD([twin], { lr: 0.5 }).step([grad]);
    expect(bytesOf(mx(p).blocks)).toEqual(bytesOf(mxQuantize(M, twin.toFloat32Array())));
  });

  it.each([
    ['a gradient', (t: Tensor) => t],
    ['a transposed gradient (written back into its own blocks)', (t: Tensor) => t.transpose()],
  ])('GradScaler.unscale divides %s in place: the block scales move, the element codes stay', (_label, view) => {
    const g = view(Tensor.from(values(64, 5), { dtype: 'mxfp4_e2m1', shape: [2, 32] }));
    const before = bytesOf(mx(g).blocks);
    const values0 = g.toArray();
    const scaler = new GradScaler({ initScale: 2 ** 10 });
    scaler.scale(1);
    scaler.unscale([g]);
    const after = bytesOf(mx(g).blocks);
    expect(after.codes).toEqual(before.codes);
    expect(after.scales).toEqual(before.scales.map((s) => s - 10));
    expect(g.toArray()).toEqual(values0.map((v) => v / 2 ** 10));
  });
});

describe('MX tensor errors', () => {
  const t = Tensor.from(
    [
      [1, 2],
      [3, 4],
    ],
    { dtype: 'mxfp4_e2m1' },
  );
  it.each([
    [
      'from saturate',
      () => Tensor.from([1], { dtype: 'mxfp4', saturate: false }),
      /^Tensor\.from: opts\.saturate cannot be false for the block format mxfp4_e2m1: MX elements always saturate$/,
    ],
    [
      'to saturate',
      () => t.to('mxfp8_e4m3', { saturate: false }),
      /^Tensor\.to: opts\.saturate cannot be false for the block format mxfp8_e4m3/,
    ],
    [
      'op saturate',
      () => t.add(t, { saturate: false }),
      /^Tensor\.add: opts\.saturate cannot be false for the block format mxfp4_e2m1/,
    ],
    [
      'matmul output',
      () => t.matmul(t, { accumulate: 'output' }),
      /^Tensor\.matmul: opts\.accumulate 'output' needs a scalar output dtype, got the block format mxfp4_e2m1/,
    ],
    [
      'unknown dtype',
      () => Tensor.from([1], { dtype: 'mxfp5' as never }),
      /^Tensor\.from: unknown opts\.dtype "mxfp5"; the formats are .*; block formats: mxfp8_e5m2, .*mxint8$/,
    ],
    ['unknown op dtype', () => t.add(t, { dtype: 'mxint4' as never }), /^Tensor\.add: unknown opts\.dtype "mxint4"/],
    ['shapes', () => t.add(Tensor.zeros([3], { dtype: 'mxfp4' })), /^Tensor\.add: shapes \[2, 2\] and \[3\] do not broadcast$/],
    ['zeros shape', () => Tensor.zeros([-1], { dtype: 'mxint8' }), /^Tensor\.zeros: shape\[0\] must be a non-negative integer/],
  ])('%s: RangeError naming the parameter', (_label, f, message) => {
    expect(f).toThrow(RangeError);
    expect(f).toThrow(message);
  });

  it.each([
    [
      'to',
      () => t.to({ name: 'mxfp4_e2m1' } as never),
      /^Tensor\.to: dtype must be a format name, a Format, a block format name or an MxFormat, got /,
    ],
    [
      'from',
      () => Tensor.from([1], { dtype: 4 as never }),
      /^Tensor\.from: opts\.dtype must be a format name, a Format, a block format name or an MxFormat, got the number 4$/,
    ],
    ['randn', () => Tensor.randn([1], { dtype: null as never }), /^Tensor\.randn: opts\.dtype must be a format name/],
    [
      'promoteTypes',
      () => promoteTypes('mxfp4', [] as never),
      /^promoteTypes: b must be a format name, a Format, a block format name or an MxFormat/,
    ],
  ])('%s: TypeError naming the parameter', (_label, f, message) => {
    expect(f).toThrow(TypeError);
    expect(f).toThrow(message);
  });
});
