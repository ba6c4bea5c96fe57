/**
 * DataView access for the formats the platform lacks, with DataView.getFloat32's conventions:
 * a byte offset, big-endian unless `littleEndian` is true, no alignment needed.
 */

import { bitsToDouble } from '../core/bits.js';
import { checkBoolean, checkNumber, describe } from '../core/validation.js';
import { freshDataView } from '../core/views.js';
import { codeContainer, type Format, type FormatLike, resolveFormat } from '../formats.js';
import { type RoundingOptions, resolveOptions } from '../options.js';
import { roundValue } from '../round.js';
import { checkCode, decodeCode } from './decode.js';
import { encodeExact, encodeFloat64 } from './encode.js';

/** Bytes a code of F occupies: its container's element size (1, 2, 4 or 8). */
const byteWidth = (F: Format) => codeContainer(F).BYTES_PER_ELEMENT;

function checkView(fn: string, view: unknown): DataView {
  const fresh = freshDataView(fn, 'view', view);
  if (!fresh) throw new TypeError(`${fn}: view must be a DataView, got ${describe(view)}`);
  return fresh;
}

function checkOffset(fn: string, view: DataView, byteOffset: unknown, F: Format): number {
  const at = checkNumber(fn, 'byteOffset', byteOffset);
  const size = byteWidth(F);
  if (!Number.isInteger(at) || at < 0 || at + size > view.byteLength) {
    throw new RangeError(
      `${fn}: byteOffset ${String(at)} is out of range: a ${F.name} code takes ${size} byte${size > 1 ? 's' : ''} and the view has ${view.byteLength}`,
    );
  }
  return at;
}

/**
 * Reads the value stored at `byteOffset` of `view` in `fmt`. A code takes its container's bytes
 * (as in {@link encodeArray}): 1 byte for the formats of 8 bits or fewer (float6 and float4
 * codes in the low bits), 2 for float16 and bfloat16, 4 for float32 and tf32 (tf32's 19-bit code
 * in the low bits of a 32-bit unsigned integer, as in its Uint32Array container: a buffer written
 * by encodeArray reads back here), 8 for float64. float16 reads as @petamoriken/float16's
 * `getFloat16` does.
 *
 * @param view - the DataView
 * @param byteOffset - where the code starts, in bytes
 * @param fmt - the format of the code
 * @param littleEndian - true for a little-endian code; big-endian by default, as DataView
 * @throws TypeError for a non-DataView (or one whose buffer is detached), a non-number offset or a non-boolean
 *   `littleEndian`; RangeError for an offset out of range or not an integer, an unknown format, or a stored code out
 *   of the format's range (a float4 byte above 15, a tf32 word at or above 2^19)
 * @example
 * ```ts
 * const view = new DataView(new Uint8Array([0x3f, 0x80, 0x80, 0x3f]).buffer);
 * getFloat(view, 0, 'bfloat16');        // 1
 * getFloat(view, 2, 'bfloat16', true);  // 1 (little-endian)
 * getFloat(view, 0, 'float8_e4m3fn');   // 1.875
 * getFloat(view, 1, 'float16');         // -0.00000762939453125 (0x8080: −128 × 2^-24, a subnormal)
 * ```
 */
export function getFloat(view: DataView, byteOffset: number, fmt: FormatLike, littleEndian?: boolean): number {
  const fn = 'getFloat';
  const v = checkView(fn, view);
  const F = resolveFormat(fn, fmt);
  const at = checkOffset(fn, v, byteOffset, F);
  const little = checkBoolean(fn, 'littleEndian', littleEndian, false);
  switch (byteWidth(F)) {
    case 8:
      return bitsToDouble(v.getBigUint64(at, little));
    case 4:
      return decodeChecked(fn, F, v.getUint32(at, little), at);
    case 2:
      return decodeChecked(fn, F, v.getUint16(at, little), at);
    default:
      return decodeChecked(fn, F, v.getUint8(at), at);
  }
}

function decodeChecked(fn: string, F: Format, code: number, at: number): number {
  checkCode(fn, F, code, `the code at byteOffset ${at}`);
  return decodeCode(F, code);
}

/**
 * Rounds `value` into `fmt` (as {@link encode} does, with its options) and stores the code at
 * `byteOffset` of `view`, in the layout {@link getFloat} reads. float16 writes as
 * @petamoriken/float16's `setFloat16` does. Nothing is written if an argument is bad.
 *
 * @param view - the DataView
 * @param byteOffset - where the code starts, in bytes
 * @param fmt - the target format
 * @param value - any number
 * @param littleEndian - true for a little-endian code; big-endian by default
 * @param opts - rounding mode, saturate, flushSubnormals, seed/random
 * @throws TypeError/RangeError naming the bad argument, as {@link getFloat} does, and for `value` (not a number)
 *   and `opts`; the view is then not written
 * @example
 * ```ts
 * const view = new DataView(new ArrayBuffer(2));
 * (setFloat(view, 0, 'bfloat16', 1 / 3), view.getUint16(0));          // 16043 (0x3eab, big-endian)
 * (setFloat(view, 0, 'float16', 1, true), view.getUint16(0, true));   // 15360 (0x3c00)
 * (setFloat(view, 1, 'float8_e4m3fn', 1000, false, { saturate: true }), view.getUint8(1)); // 126 (448)
 * ```
 */
export function setFloat(
  view: DataView,
  byteOffset: number,
  fmt: FormatLike,
  value: number,
  littleEndian?: boolean,
  opts?: RoundingOptions,
): void {
  const fn = 'setFloat';
  const v = checkView(fn, view);
  const F = resolveFormat(fn, fmt);
  const at = checkOffset(fn, v, byteOffset, F);
  checkNumber(fn, 'value', value);
  const little = checkBoolean(fn, 'littleEndian', littleEndian, false);
  const rounded = roundValue(F, value, resolveOptions(fn, opts));
  switch (byteWidth(F)) {
    case 8:
      return v.setBigUint64(at, encodeFloat64(rounded), little);
    case 4:
      return v.setUint32(at, encodeExact(F, rounded), little);
    case 2:
      return v.setUint16(at, encodeExact(F, rounded), little);
    default:
      return v.setUint8(at, encodeExact(F, rounded));
  }
}
