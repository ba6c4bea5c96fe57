/**
 * An independent decoder, written from the kind rules as documented (not from
 * floatlab's derived fields), to check decode, classify and the limits against.
 */
import type { FormatRecord } from '../../src/index.js';

export function referenceDecode(rec: FormatRecord, code: number): number {
  const { bits, expBits: e, manBits: m, bias, kind } = rec;
  const signed = kind !== 'fnu';
  const s = signed ? Math.floor(code / 2 ** (bits - 1)) : 0;
  const E = Math.floor(code / 2 ** m) % 2 ** e;
  const M = code % 2 ** m;
  const expOnes = E === 2 ** e - 1;
  const manOnes = M === 2 ** m - 1;
  switch (kind) {
    case 'ieee':
      if (expOnes) return M === 0 ? (s ? -Infinity : Infinity) : NaN;
      break;
    case 'fn':
      if (expOnes && manOnes) return NaN;
      break;
    case 'fnuz':
      if (s === 1 && E === 0 && M === 0) return NaN;
      break;
    case 'fnu':
      if (code === 2 ** bits - 1) return NaN;
      return 2 ** (E - bias);
    case 'finite':
      break;
  }
  const magnitude = E === 0 ? M * 2 ** (1 - bias - m) : (2 ** m + M) * 2 ** (E - bias - m);
  return s ? -magnitude : magnitude;
}

export function referenceClass(v: number, smallestNormal: number): string {
  if (Number.isNaN(v)) return 'nan';
  if (!Number.isFinite(v)) return 'infinite';
  if (v === 0) return 'zero';
  return Math.abs(v) < smallestNormal ? 'subnormal' : 'normal';
}
