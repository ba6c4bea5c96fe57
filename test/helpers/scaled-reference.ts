/**
 * An independent model of scaled quantization for the tests: element values enumerated from
 * the bit layouts (via the reference decoder), rounding to that set by comparing exact dyadic
 * distances, and the groups of each granularity written out from their definitions.
 */
import type { FormatRecord } from '../../src/index.js';
import { referenceDecode } from './reference.js';

/** The bit layouts of the elements the tests use, typed from the OCP FP8 and MX specifications. */
export const ELEMENTS: Record<string, FormatRecord> = {
  float8_e4m3fn: { name: 'float8_e4m3fn', bits: 8, expBits: 4, manBits: 3, bias: 7, kind: 'fn' } as FormatRecord,
  float8_e5m2: { name: 'float8_e5m2', bits: 8, expBits: 5, manBits: 2, bias: 15, kind: 'ieee' } as FormatRecord,
  float4_e2m1fn: { name: 'float4_e2m1fn', bits: 4, expBits: 2, manBits: 1, bias: 1, kind: 'finite' } as FormatRecord,
};

/** The non-negative finite values of an element, ascending; index k has code k (so ties to even go to even k). */
export function positiveValues(rec: FormatRecord): number[] {
  const out: number[] = [];
  for (let c = 0; c < 2 ** (rec.bits - 1); c++) {
    const v = referenceDecode(rec, c);
    if (Number.isFinite(v)) out.push(v);
  }
  return out;
}

/** y rounded into the value set (ties to even, or toward zero), saturated to the largest value; the sign kept (−0 included). */
export function roundTo(values: number[], y: number, mode: 'tiesToEven' | 'towardZero' = 'tiesToEven'): number {
  const a = Math.abs(y);
  const top = values[values.length - 1]!;
  let r: number;
  if (a >= top) r = top;
  else {
    let k = 0;
    while (values[k + 1]! <= a) k++;
    const lo = values[k]!;
    const hi = values[k + 1]!;
    if (mode === 'towardZero' || a === lo) r = lo;
    else if (a - lo < hi - a) r = lo;
    else if (a - lo > hi - a) r = hi;
    else r = k % 2 === 0 ? lo : hi;
  }
  return y < 0 || Object.is(y, -0) ? -r : r;
}

/** The member indices of each group, groups in row-major order of their grid, members row by row. */
export function groupsOf(granularity: string, rows: number, cols: number, B: number): number[][] {
  const n = rows * cols;
  const tile = (tr: number, tc: number): number[][] => {
    const out: number[][] = [];
    for (let r0 = 0; r0 < rows; r0 += tr)
      for (let c0 = 0; c0 < cols; c0 += tc) {
        const g: number[] = [];
        for (let r = r0; r < Math.min(r0 + tr, rows); r++)
          for (let c = c0; c < Math.min(c0 + tc, cols); c++) g.push(r * cols + c);
        out.push(g);
      }
    return out;
  };
  if (granularity === 'tensor') return [Array.from({ length: n }, (_, i) => i)];
  if (granularity === 'row') return tile(1, cols);
  if (granularity === 'column') return tile(rows, 1);
  if (granularity === '1xB') return tile(1, B);
  if (granularity === 'BxB') return tile(B, B);
  return Array.from({ length: Math.ceil(n / B) }, (_, g) => Array.from({ length: Math.min(B, n - g * B) }, (_, k) => g * B + k));
}

/** ⌊log2 a⌋ of a positive finite double, by halving and doubling (no Math.log2). */
export function floorLog2(a: number): number {
  let e = 0;
  while (2 ** e > a) e--;
  while (2 ** (e + 1) <= a) e++;
  return e;
}
