/**
 * The element codec of a block format, one scalar at a time: round a value (already divided
 * by the block's scale) into the element, saturating; write its code; read a code back.
 * Float elements use the scalar codec; integer elements are k × 2^−fractionBits, rounded
 * by the same mode decision ({@link roundUpMagnitude}) the scalar codec uses.
 * @internal
 */

import { decodeCode } from '../codec/decode.js';
import { encodeExact } from '../codec/encode.js';
import { pow2, signBit } from '../core/bits.js';
import type { ResolvedOptions } from '../options.js';
import { roundUpMagnitude, roundValue } from '../round.js';
import type { MxElement } from './formats.js';

/**
 * The element value nearest `y` under the mode in `o`, clamped to [lowest, max]: finite
 * overflow saturates, as OCP MX's conversion clamps normal numbers. `y` must be finite and
 * `o.saturate` true. Integer elements have no subnormals, so `flushSubnormals` does not touch them.
 * @internal
 */
export function roundElement(E: MxElement, y: number, o: ResolvedOptions): number {
  if (E.format) return roundValue(E.format, y, o);
  const f = E.int!.fractionBits;
  const neg = y < 0;
  const a = (neg ? -y : y) * pow2(f);
  const fl = Math.floor(a);
  const rem = a - fl;
  let k = rem === 0 ? fl : fl + roundUpMagnitude(o, fl, rem, neg);
  const limit = neg ? -E.lowest : E.max;
  if (k * pow2(-f) > limit) k = limit * pow2(f);
  return k === 0 ? 0 : (neg ? -k : k) * pow2(-f);
}

/** The code of an element value (one that {@link roundElement} returns, or NaN/±inf where the element holds them). */
export function encodeElement(E: MxElement, v: number): number {
  if (E.format) return encodeExact(E.format, v);
  const k = v * pow2(E.int!.fractionBits);
  return k < 0 ? k + 2 ** E.bits : k;
}

/** The value of an element code (any integer in [0, 2^bits)). */
export function decodeElement(E: MxElement, code: number): number {
  if (E.format) return decodeCode(E.format, code);
  const half = 2 ** (E.bits - 1);
  return (code >= half ? code - 2 * half : code) * pow2(-E.int!.fractionBits);
}

/** The code written for a non-finite input that the element holds itself: NaN, or ±inf (NaN where only NaN exists). */
export function nonFiniteCode(E: MxElement, x: number): number {
  const F = E.format!;
  if (x !== x || !F.hasInf) return F.nanCode;
  return (signBit(x) ? F.signMask : 0) + F.infCode;
}
