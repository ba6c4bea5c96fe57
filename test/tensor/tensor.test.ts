/**
 * Tensor: storage and nbytes per dtype, factories, and every op against a float64 reference
 * rounded once into the output dtype (for the ops whose float32 result is correctly rounded),
 * or against the float32 computation the op is defined by (sums, matmul, exp/log), over a
 * table of dtypes; promotion, broadcasting, shapes and errors.
 */
import { describe, expect, it } from 'vitest';
import { createRandom } from '../../src/core/random.js';
import { type DtypeLike, type Format, format, nextUp, promoteTypes, round, Tensor, ulp } from '../../src/index.js';
import { E3M3, E9M20 } from '../helpers/formats.js';

const e3m3 = E3M3;
const DTYPES: [string, Format][] = [
  ...[
    'float64',
    'float32',
    'tf32',
    'float16',
    'bfloat16',
    'float8_e4m3fn',
    'float8_e5m2',
    'float8_e4m3fnuz',
    'float6_e2m3fn',
    'float4_e2m1fn',
  ].map((n) => [n, format(n)] as [string, Format]),
  ['custom e3m3', e3m3],
];

/** Values of F: random doubles spread over F's range, rounded into F, with zeros and signs. */
function valuesOf(F: Format, n: number, seed: number): number[] {
  const random = createRandom(seed);
  const top = Math.log2(Math.min(F.max, 1e6));
  const bottom = Math.max(Math.log2(F.smallestSubnormal), -40);
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const mag = 2 ** (bottom + (top - bottom) * random());
    const x = random() < 0.1 ? 0 : random() < 0.5 ? -mag : mag;
    out.push(round(F, F.signed ? x : Math.abs(x), { saturate: true }));
  }
  return out;
}

/** Each op's result as the reference computes it, collected where it differs. */
function mismatches(got: ArrayLike<number>, want: ArrayLike<number>, label: (i: number) => string): string[] {
  const wrong: string[] = [];
  for (let i = 0; i < want.length; i++)
    if (!Object.is(got[i], want[i])) wrong.push(`${label(i)}: got ${got[i]}, want ${want[i]}`);
  return wrong;
}

/** x as float32 computes it (float64 for float64 tensors). */
const f32 = (F: Format) => (F.bits > 32 ? (x: number) => x : Math.fround);

describe.each(DTYPES)('%s', (_name, F) => {
  const n = 400;
  const a = valuesOf(F, n, 1);
  const b = valuesOf(F, n, 2);
  const A = Tensor.from(a, { dtype: F });
  const B = Tensor.from(b, { dtype: F });
  const r = f32(F);

  it('stores the values exactly, in the codec container, and nbytes is that container', () => {
    expect(A.toArray()).toEqual(a);
    const data = A.storage.data;
    const expected =
      F.bits > 32
        ? Float64Array
        : F.name === 'float32'
          ? Float32Array
          : F.bits > 16
            ? Uint32Array
            : F.bits > 8
              ? Uint16Array
              : Uint8Array;
    expect(data).toBeInstanceOf(expected);
    expect(A.nbytes).toBe(n * expected.BYTES_PER_ELEMENT);
    expect(A.dtype).toBe(F);
  });

  it.each([
    ['add', (x: number, y: number) => x + y],
    ['sub', (x: number, y: number) => x - y],
    ['mul', (x: number, y: number) => x * y],
  ] as const)('%s equals the float64 result rounded once', (op, f) => {
    const got = A[op](B).toArray();
    const want = a.map((x, i) => round(F, f(x, b[i]!)));
    expect(mismatches(got, want, (i) => `${a[i]} ${op} ${b[i]}`).slice(0, 5)).toEqual([]);
  });

  it('relu is exact', () => {
    const want = a.map((x) => round(F, Math.max(x, 0)));
    expect(mismatches(A.relu().toArray(), want, (i) => `relu ${a[i]}`)).toEqual([]);
  });

  it.each([
    ['exp', Math.exp],
    ['log', Math.log],
  ] as const)('%s is the float32 result rounded once, and differs from the float64 one only at a tie', (op, f) => {
    const got = A[op]().toArray();
    const wrong: string[] = [];
    a.forEach((x, i) => {
      const exact = f(x);
      const viaF32 = round(F, r(exact));
      if (!Object.is(got[i], viaF32)) wrong.push(`${op} ${x}: got ${got[i]}, want ${viaF32}`);
      const once = round(F, exact);
      // Rounding through float32 can only differ when float32 lands exactly on a midpoint of F.
      if (!Object.is(once, viaF32)) {
        const mid = (once + viaF32) / 2;
        if (r(exact) !== mid || Math.abs(nextUp(F, Math.min(once, viaF32)) - Math.max(once, viaF32)) > 0)
          wrong.push(`${op} ${x}: ${once} vs ${viaF32} is not a tie`);
      }
    });
    expect(wrong.slice(0, 5)).toEqual([]);
  });

  it('sum and mean accumulate in float32 in order and round once; exact sums are exact', () => {
    let acc = 0;
    for (const x of a) acc = r(acc + x);
    expect(A.sum().item()).toBe(round(F, acc));
    expect(A.mean().item()).toBe(round(F, r(acc / n)));
    const ints = Tensor.from([1, 2, 3, 4, 5, 6], { dtype: F, shape: [2, 3], saturate: true });
    const v = ints.toArray();
    expect(ints.sum(0).toArray()).toEqual([round(F, v[0]! + v[3]!), round(F, v[1]! + v[4]!), round(F, v[2]! + v[5]!)]);
    expect(ints.sum(-1).shape).toEqual([2]);
  });

  it("matmul accumulate 'float32' rounds products and sums to float32 and the result once; 'output' rounds every partial sum", () => {
    const [m, k, p] = [5, 16, 7];
    const X = Tensor.from(a.slice(0, m * k), { dtype: F, shape: [m, k] });
    const Y = Tensor.from(b.slice(0, k * p), { dtype: F, shape: [k, p] });
    const x = X.toArray();
    const y = Y.toArray();
    const want32: number[] = [];
    const wantOut: number[] = [];
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < p; j++) {
        let s = 0;
        let t = 0;
        for (let q = 0; q < k; q++) {
          const prod = r(x[i * k + q]! * y[q * p + j]!);
          s = r(s + prod);
          t = round(F, r(t + prod));
        }
        want32.push(round(F, s));
        wantOut.push(t);
      }
    }
    expect(mismatches(X.matmul(Y).toArray(), want32, (i) => `c[${i}]`)).toEqual([]);
    expect(mismatches(X.matmul(Y, { accumulate: 'output' }).toArray(), wantOut, (i) => `c[${i}]`)).toEqual([]);
  });

  it('logSoftmax, softmax and crossEntropy are within float32 error of the exact value, plus an ulp of the dtype', () => {
    const rows = 20;
    const cols = 5;
    const logits = Tensor.from(
      a.slice(0, rows * cols).map((v) => round(F, Math.max(-20, Math.min(20, v)))),
      { dtype: F, shape: [rows, cols] },
    );
    const z = logits.toArray();
    const ls = logits.logSoftmax().toArray();
    const sm = logits.softmax().toArray();
    const targets = Array.from({ length: rows }, (_, i) => i % cols);
    const ceNone = logits.crossEntropy(targets, { reduction: 'none' }).toArray();
    // A few units in the last place of the float32 (float64 for float64 tensors) terms the op combines.
    const unit = F.bits > 32 ? 2 ** -50 : 2 ** -22;
    const wrong: string[] = [];
    const close = (got: number, exact: number, scale: number, what: string) => {
      if (Object.is(got, round(F, exact))) return; // e.g. both overflow in a narrow format
      if (!(Math.abs(got - exact) <= unit * scale + Math.abs(ulp(F, exact)))) wrong.push(`${what}: got ${got}, exact ${exact}`);
    };
    for (let i = 0; i < rows; i++) {
      const row = z.slice(i * cols, (i + 1) * cols);
      const max = Math.max(...row);
      // log Σ e^(v − max) with log1p, so the reference is accurate when one term dominates.
      const logSum = Math.log1p(row.reduce((s, v) => s + Math.exp(v - max), 0) - 1);
      row.forEach((v, j) => {
        const shifted = v - max - logSum;
        close(ls[i * cols + j]!, shifted, Math.abs(v - max) + logSum + cols, `logSoftmax[${i}, ${j}]`);
        close(sm[i * cols + j]!, Math.exp(shifted), Math.exp(shifted) * (Math.abs(v - max) + cols), `softmax[${i}, ${j}]`);
      });
      close(
        ceNone[i]!,
        logSum + max - row[targets[i]!]!,
        Math.abs(max - row[targets[i]!]!) + logSum + cols,
        `crossEntropy[${i}]`,
      );
    }
    expect(wrong.slice(0, 5)).toEqual([]);
    let total = 0;
    const fl = f32(F);
    const each = logits.crossEntropy(targets, { reduction: 'none', dtype: F.bits > 32 ? F : 'float32' }).toArray();
    for (let i = 0; i < rows; i++) total = fl(total + each[i]!);
    expect(logits.crossEntropy(targets).item()).toBe(round(F, fl(total / rows)));
    expect(logits.crossEntropy(targets, { reduction: 'sum' }).item()).toBe(round(F, total));
  });

  it('to() rounds each value once into the new dtype, with the rounding options', () => {
    const src = Tensor.from(a, { dtype: F });
    for (const G of [format('float16'), format('bfloat16'), format('float8_e5m2')]) {
      for (const rounding of ['tiesToEven', 'towardZero'] as const) {
        const want = a.map((x) => round(G, x, { rounding }));
        expect(mismatches(src.to(G, { rounding }).toArray(), want, (i) => `${a[i]} → ${G.name}`)).toEqual([]);
      }
    }
  });
});

describe('factories', () => {
  it('from rounds doubles once, straight into the dtype (not through float32)', () => {
    const x = 1 + 2 ** -8 + 2 ** -30;
    expect(Tensor.from([x], { dtype: 'bfloat16' }).item()).toBe(1.0078125);
    expect(Tensor.from(new Float64Array([x]), { dtype: 'bfloat16' }).item()).toBe(1.0078125);
    expect(Tensor.from(new Float32Array([x]), { dtype: 'bfloat16' }).item()).toBe(1);
  });

  it('from infers the shape of nested arrays and copies typed arrays', () => {
    const t = Tensor.from([
      [[1], [2]],
      [[3], [4]],
    ]);
    expect(t.shape).toEqual([2, 2, 1]);
    const src = new Float32Array([1, 2]);
    const u = Tensor.from(src);
    src[0] = 9;
    expect(u.toArray()).toEqual([1, 2]);
    expect(Tensor.from([]).shape).toEqual([0]);
  });

  it('from honours the rounding options (stochastic with a seed is reproducible)', () => {
    const xs = Array.from({ length: 64 }, (_, i) => 1 + i / 1000);
    const s1 = Tensor.from(xs, { dtype: 'float8_e4m3fn', rounding: 'stochastic', seed: 3 }).toArray();
    const s2 = Tensor.from(xs, { dtype: 'float8_e4m3fn', rounding: 'stochastic', seed: 3 }).toArray();
    expect(s1).toEqual(s2);
    expect(
      s1.every(
        (v, i) =>
          v === round('float8_e4m3fn', xs[i]!, { rounding: 'towardZero' }) ||
          v === round('float8_e4m3fn', xs[i]!, { rounding: 'towardPositive' }),
      ),
    ).toBe(true);
    expect(Tensor.from([1000], { dtype: 'float8_e4m3fn', saturate: true }).item()).toBe(448);
  });

  it('zeros, ones and randn', () => {
    expect(Tensor.zeros([2, 3], { dtype: 'float16' }).toArray()).toEqual([0, 0, 0, 0, 0, 0]);
    expect(Tensor.ones([2], { dtype: 'float4_e2m1fn' }).toArray()).toEqual([1, 1]);
    const r = Tensor.randn([4000], { seed: 5 });
    expect(r.toArray()).toEqual(Tensor.randn([4000], { seed: 5 }).toArray());
    expect(r.toArray()).not.toEqual(Tensor.randn([4000], { seed: 6 }).toArray());
    const mean = r.mean().item();
    const variance = r.mul(r).mean().item() - mean * mean;
    expect(Math.abs(mean)).toBeLessThan(0.06);
    expect(Math.abs(variance - 1)).toBeLessThan(0.08);
    expect(Tensor.randn([3], { seed: 5, dtype: 'bf16' }).toArray()).toEqual(
      Tensor.randn([3], { seed: 5 })
        .toArray()
        .map((v) => round('bf16', v)),
    );
  });
});

describe('promotion', () => {
  it.each([
    ['float16', 'bfloat16', 'float32'],
    ['bfloat16', 'float16', 'float32'],
    ['float16', 'float32', 'float32'],
    ['bfloat16', 'float32', 'float32'],
    ['float16', 'float64', 'float64'],
    ['float32', 'float64', 'float64'],
    ['float16', 'float16', 'float16'],
    ['float8_e4m3fn', 'float16', 'float16'],
    ['float8_e5m2', 'float16', 'float16'],
    ['float8_e4m3fn', 'bfloat16', 'bfloat16'],
    ['float8_e4m3fn', 'float8_e5m2', 'float32'],
    ['float16', 'tf32', 'tf32'],
    ['float8_e8m0fnu', 'float32', 'float32'],
    ['float4_e2m1fn', 'float6_e2m3fn', 'float6_e2m3fn'],
  ] as [DtypeLike, DtypeLike, string][])('%s with %s gives %s', (x, y, z) => {
    expect(promoteTypes(x, y).name).toBe(z);
    expect(Tensor.zeros([1], { dtype: x }).add(Tensor.zeros([1], { dtype: y })).dtype.name).toBe(z);
  });

  it('a format float32 cannot hold promotes to float64', () => {
    const wide = E9M20;
    expect(promoteTypes(wide, 'float16')).toBe(wide);
    expect(promoteTypes(wide, 'float32').name).toBe('float64');
    const big = Tensor.from([2 ** 200], { dtype: wide });
    expect(big.item()).toBe(2 ** 200);
    expect(big.mul(2).item()).toBe(2 ** 201);
  });

  it('numbers and 0-d tensors do not promote tensors with dimensions (torch result_type)', () => {
    const h = Tensor.from([1, 2], { dtype: 'float16' });
    expect(h.add(0.5).dtype.name).toBe('float16');
    expect(h.mul(Tensor.from([3]).reshape([])).dtype.name).toBe('float16');
    expect(
      Tensor.from([1], { dtype: 'float16' })
        .reshape([])
        .add(Tensor.from([1]).reshape([])).dtype.name,
    ).toBe('float32');
    expect(h.add(1, { dtype: 'float32' }).dtype.name).toBe('float32');
  });

  it('a number operand is rounded to float32 first, as torch does', () => {
    const t = Tensor.from([0], { dtype: 'float64' });
    expect(t.add(0.1).item()).toBe(0.1);
    const s = Tensor.from([0]);
    expect(s.add(0.1).item()).toBe(Math.fround(0.1));
  });
});

describe('broadcasting and shapes', () => {
  const m = Tensor.from([
    [1, 2, 3],
    [4, 5, 6],
  ]);
  it.each([
    ['a row', Tensor.from([10, 20, 30]), [2, 3], [11, 22, 33, 14, 25, 36]],
    ['a column', Tensor.from([[10], [20]]), [2, 3], [11, 12, 13, 24, 25, 26]],
    ['a 0-d tensor', Tensor.from([10]).reshape([]), [2, 3], [11, 12, 13, 14, 15, 16]],
    ['a number', 10, [2, 3], [11, 12, 13, 14, 15, 16]],
    ['a [1, 3] row', Tensor.from([[10, 20, 30]]), [2, 3], [11, 22, 33, 14, 25, 36]],
  ] as const)('adds %s', (_label, other, shape, values) => {
    const t = m.add(other as Tensor | number);
    expect(t.shape).toEqual(shape);
    expect(t.toArray()).toEqual(values);
  });

  it('broadcasts both operands ([2, 1] with [1, 3]) and either side', () => {
    const col = Tensor.from([[1], [2]]);
    const row = Tensor.from([[10, 20, 30]]);
    expect(col.mul(row).toArray()).toEqual([10, 20, 30, 20, 40, 60]);
    expect(Tensor.from([1, 1, 1]).sub(m).toArray()).toEqual([0, -1, -2, -3, -4, -5]);
  });

  it.each([
    ['add', () => m.add(Tensor.from([1, 2])), /^Tensor\.add: shapes \[2, 3\] and \[2\] do not broadcast$/],
    ['mul', () => m.mul(Tensor.zeros([3, 3])), /^Tensor\.mul: shapes \[2, 3\] and \[3, 3\] do not broadcast$/],
    ['matmul', () => m.matmul(m), /^Tensor\.matmul: shapes \[2, 3\] and \[2, 3\] cannot be multiplied/],
    ['matmul 1-D', () => Tensor.zeros([3]).matmul(m.transpose()), /shapes \[3\] and \[3, 2\]/],
    [
      'reshape',
      () => m.reshape([4, 2]),
      /^Tensor\.reshape: cannot reshape a tensor of shape \[2, 3\] \(6 elements\) into \[4, 2\]$/,
    ],
    ['reshape -1', () => m.reshape([4, -1]), /cannot reshape/],
    [
      'transpose',
      () => Tensor.zeros([2, 2, 2]).transpose(),
      /^Tensor\.transpose: the tensor must be 2-D, its shape is \[2, 2, 2\]$/,
    ],
    ['item', () => m.item(), /^Tensor\.item: the tensor must have one element, its shape is \[2, 3\]$/],
    ['sum dim', () => m.sum(2), /^Tensor\.sum: dim must be an integer from -2 to 1/],
    ['crossEntropy shape', () => Tensor.zeros([3]).crossEntropy([0]), /logits must be 2-D \[N, C\], its shape is \[3\]/],
    [
      'crossEntropy target',
      () => m.crossEntropy([0, 3]),
      /^Tensor\.crossEntropy: targets\[1\] must be a class index from 0 to 2, got 3$/,
    ],
    ['crossEntropy length', () => m.crossEntropy([0]), /targets has length 1, the logits have 2 rows/],
    ['from ragged', () => Tensor.from([[1, 2], [3]]), /^Tensor\.from: values\[1\] must be an array of length 2/],
    [
      'from shape',
      () => Tensor.from([1, 2, 3], { shape: [2, 2] }),
      /^Tensor\.from: opts\.shape \[2, 2\] holds 4 elements, values has 3$/,
    ],
    ['from dtype', () => Tensor.from([1], { dtype: 'float7' as never }), /^Tensor\.from: unknown opts\.dtype "float7"/],
    ['from option', () => Tensor.from([1], { dtyp: 'float16' } as never), /^Tensor\.from: unknown option "dtyp"/],
    [
      'accumulate',
      () => m.matmul(m.transpose(), { accumulate: 'fp16' as never }),
      /opts\.accumulate must be 'float32' or 'output'/,
    ],
    ['zeros shape', () => Tensor.zeros([2, -1]), /^Tensor\.zeros: shape\[1\] must be a non-negative integer, got -1$/],
  ])('%s: RangeError naming the shapes', (_label, f, message) => {
    expect(f).toThrow(RangeError);
    expect(f).toThrow(message);
  });

  it.each([
    [
      'from element',
      () => Tensor.from([[1, 'x']] as never),
      /^Tensor\.from: values\[0\]\[1\] must be a number, got the string "x"$/,
    ],
    ['from values', () => Tensor.from('12' as never), /^Tensor\.from: values must be/],
    [
      'add other',
      () => Tensor.zeros([1]).add('1' as never),
      /^Tensor\.add: other must be a Tensor or a number, got the string "1"$/,
    ],
    ['rounding', () => Tensor.zeros([1]).add(1, { rounding: 5 } as never), /^Tensor\.add: opts\.rounding must be a string/],
    ['dtype', () => Tensor.zeros([1]).to(16 as never), /^Tensor\.to: dtype must be a format name/],
    ['crossEntropy target', () => Tensor.zeros([1, 2]).crossEntropy(['0'] as never), /targets\[0\] must be a number/],
  ])('%s: TypeError naming the parameter', (_label, f, message) => {
    expect(f).toThrow(TypeError);
    expect(f).toThrow(message);
  });

  it('reshape shares storage, infers -1, and transpose copies codes without rounding', () => {
    const h = Tensor.from(
      [
        [1, 2, 3],
        [4, 5, 6],
      ],
      { dtype: 'float16' },
    );
    const v = h.reshape([3, -1]);
    expect(v.shape).toEqual([3, 2]);
    expect(v.storage).toBe(h.storage);
    const t = h.transpose();
    expect(t.shape).toEqual([3, 2]);
    expect(Array.from(t.storage.data as Uint16Array)).toEqual([0x3c00, 0x4400, 0x4000, 0x4500, 0x4200, 0x4600]);
  });

  it('inputs are never modified', () => {
    const x = Tensor.from([1, -2, 3], { dtype: 'bf16' });
    const codes = Array.from(x.storage.data as Uint16Array);
    for (const t of [
      x.add(1),
      x.mul(x),
      x.relu(),
      x.exp(),
      x.sum(),
      x.reshape([3, 1]).matmul(x.reshape([1, 3])),
      x.to('float16'),
      x.reshape([1, 3]).logSoftmax(),
    ])
      expect(t).toBeInstanceOf(Tensor);
    expect(Array.from(x.storage.data as Uint16Array)).toEqual(codes);
  });
});

describe('numerics the ops are for', () => {
  it("matmul: 'output' accumulation stagnates in float16, 'float32' does not", () => {
    const ones = Tensor.ones([1, 4096], { dtype: 'float16' });
    expect(ones.matmul(ones.transpose()).item()).toBe(4096);
    expect(ones.matmul(ones.transpose(), { accumulate: 'output' }).item()).toBe(2048);
  });

  it('logSoftmax and crossEntropy do not overflow on large logits', () => {
    const z = Tensor.from([[1e4, 0, -1e4]], { dtype: 'float32' });
    expect(z.logSoftmax().toArray()).toEqual([0, -1e4, -2e4]);
    expect(z.crossEntropy([1]).item()).toBe(1e4);
    expect(
      Tensor.from([[60000, 0]], { dtype: 'float16' })
        .softmax()
        .toArray(),
    ).toEqual([1, 0]);
  });

  it('exp overflows to inf in float16 and NaN propagates', () => {
    expect(Tensor.from([12], { dtype: 'float16' }).exp().item()).toBe(Infinity);
    expect(Tensor.from([NaN, 1]).relu().toArray()).toEqual([NaN, 1]);
    expect(
      Tensor.from([[NaN, 0]])
        .logSoftmax()
        .toArray(),
    ).toEqual([NaN, NaN]);
  });
});

describe('reductions along every dim of a 3-D tensor (outer, axis and inner lengths all > 1)', () => {
  const shape = [2, 3, 4];
  const values = Array.from({ length: 24 }, (_, i) => ((i * 7) % 11) - 5);
  const x = Tensor.from(values, { dtype: 'float32', shape });
  const at = (i: number, j: number, k: number) => values[(i * 3 + j) * 4 + k]!;
  /** The lanes along `dim`, in row-major order of the remaining indices, each listed along `dim`. */
  function lanes(dim: number): number[][] {
    const out: number[][] = [];
    const [n0, n1, n2] = shape as [number, number, number];
    if (dim === 0) for (let j = 0; j < n1; j++) for (let k = 0; k < n2; k++) out.push([0, 1].map((i) => at(i, j, k)));
    if (dim === 1) for (let i = 0; i < n0; i++) for (let k = 0; k < n2; k++) out.push([0, 1, 2].map((j) => at(i, j, k)));
    if (dim === 2) for (let i = 0; i < n0; i++) for (let j = 0; j < n1; j++) out.push([0, 1, 2, 3].map((k) => at(i, j, k)));
    return out;
  }
  const total = (lane: number[]) => lane.reduce((s, v) => s + v, 0);

  it.each([0, 1, 2, -1])('sum and mean over dim %i', (dim) => {
    const d = (dim + 3) % 3;
    expect(x.sum(dim).shape).toEqual(shape.filter((_, i) => i !== d));
    expect(x.sum(dim).toArray()).toEqual(lanes(d).map(total));
    expect(x.mean(dim).toArray()).toEqual(lanes(d).map((l) => Math.fround(total(l) / l.length)));
  });

  it.each([0, 1, 2])('softmax and logSoftmax over dim %i equal a float64 reference to float32 accuracy', (dim) => {
    const soft = x.softmax(dim).toArray();
    const logSoft = x.logSoftmax(dim).toArray();
    const index = (lane: number, t: number) => {
      const [, n1, n2] = shape as [number, number, number];
      if (dim === 0) return t * n1 * n2 + lane;
      if (dim === 1) return Math.floor(lane / n2) * n1 * n2 + t * n2 + (lane % n2);
      return lane * n2 + t;
    };
    lanes(dim).forEach((lane, l) => {
      const m = Math.max(...lane);
      const z = lane.reduce((s, v) => s + Math.exp(v - m), 0);
      lane.forEach((v, t) => {
        expect(logSoft[index(l, t)]).toBeCloseTo(v - m - Math.log(z), 5);
        expect(soft[index(l, t)]).toBeCloseTo(Math.exp(v - m) / z, 6);
      });
    });
  });
});
