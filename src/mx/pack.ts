import { checkInteger } from '../core/validation.js';
import { checkView } from '../core/views.js';
import { type FormatLike, resolveFormat } from '../formats.js';
import { isMxFormatLike, type MxFormatLike, resolveMxFormat } from './formats.js';

/** Bytes that `count` codes of `bits` bits fill. */
export function packedLength(bits: number, count: number): number {
  return Math.ceil((count * bits) / 8);
}

/** The generic packer: codes[0 … n) into out from byte 0. @internal */
export function packGeneric(bits: number, codes: ArrayLike<number>, out: Uint8Array): void {
  let acc = 0;
  let held = 0;
  let j = 0;
  for (let i = 0; i < codes.length; i++) {
    acc |= codes[i]! << held;
    held += bits;
    while (held >= 8) {
      out[j++] = acc & 0xff;
      acc >>>= 8;
      held -= 8;
    }
  }
  if (held > 0) out[j] = acc & 0xff;
}

/** The generic unpacker: out.length codes from bytes. @internal */
export function unpackGeneric(bits: number, bytes: Uint8Array, out: Uint8Array): void {
  const mask = (1 << bits) - 1;
  let acc = 0;
  let held = 0;
  let j = 0;
  for (let i = 0; i < out.length; i++) {
    while (held < bits) {
      acc |= bytes[j++]! << held;
      held += 8;
    }
    out[i] = acc & mask;
    acc >>>= bits;
    held -= bits;
  }
}

/** Packs with the loop for the width (the generic one for widths other than 4, 6, 8). @internal */
export function packInto(bits: number, codes: Uint8Array, out: Uint8Array): void {
  const n = codes.length;
  if (bits === 8) {
    out.set(codes);
  } else if (bits === 4) {
    const pairs = n >>> 1;
    for (let p = 0; p < pairs; p++) out[p] = codes[2 * p]! | (codes[2 * p + 1]! << 4);
    if (n & 1) out[pairs] = codes[n - 1]!;
  } else if (bits === 6) {
    const quads = n >>> 2;
    for (let q = 0; q < quads; q++) {
      const i = 4 * q;
      const w = codes[i]! | (codes[i + 1]! << 6) | (codes[i + 2]! << 12) | (codes[i + 3]! << 18);
      out[3 * q] = w & 0xff;
      out[3 * q + 1] = (w >>> 8) & 0xff;
      out[3 * q + 2] = w >>> 16;
    }
    if (n & 3) packGeneric(6, codes.subarray(4 * quads), out.subarray(3 * quads));
  } else {
    packGeneric(bits, codes, out);
  }
}

/** Unpacks out.length codes with the loop for the width. @internal */
export function unpackInto(bits: number, bytes: Uint8Array, out: Uint8Array): void {
  const n = out.length;
  if (bits === 8) {
    out.set(bytes.subarray(0, n));
  } else if (bits === 4) {
    const pairs = n >>> 1;
    for (let p = 0; p < pairs; p++) {
      const b = bytes[p]!;
      out[2 * p] = b & 15;
      out[2 * p + 1] = b >>> 4;
    }
    if (n & 1) out[n - 1] = bytes[pairs]! & 15;
  } else if (bits === 6) {
    const quads = n >>> 2;
    for (let q = 0; q < quads; q++) {
      const w = bytes[3 * q]! | (bytes[3 * q + 1]! << 8) | (bytes[3 * q + 2]! << 16);
      const i = 4 * q;
      out[i] = w & 63;
      out[i + 1] = (w >>> 6) & 63;
      out[i + 2] = (w >>> 12) & 63;
      out[i + 3] = w >>> 18;
    }
    if (n & 3) unpackGeneric(6, bytes.subarray(3 * quads), out.subarray(4 * quads));
  } else {
    unpackGeneric(bits, bytes, out);
  }
}

/** The code width named by `fmt`: a scalar format of at most 8 bits, or a block format's element. */
function widthOf(fn: string, fmt: unknown): { bits: number; name: string } {
  if (isMxFormatLike(fmt)) {
    const M = resolveMxFormat(fn, fmt, 'fmt');
    return { bits: M.element.bits, name: M.element.name };
  }
  const F = resolveFormat(fn, fmt);
  if (F.bits > 8) throw new RangeError(`${fn}: packing is for codes of at most 8 bits; ${F.name} has ${F.bits}`);
  return { bits: F.bits, name: F.name };
}

/**
 * Packs codes of a format of at most 8 bits (or of a block format's element) end to end,
 * least significant bit first: float4 codes two per byte (code 2i in the low nibble), float6
 * codes four per three bytes. The result has ⌈n·bits/8⌉ bytes; unused high bits of the last
 * byte are zero. `codes` is not modified.
 *
 * @param fmt - a scalar format of at most 8 bits (`'float4_e2m1fn'`), or a block format (its element's width)
 * @param codes - one code per byte, as `encodeArray` returns them
 * @throws TypeError unless `codes` is a Uint8Array with a live buffer; RangeError naming the index of a code that does not fit
 * @example
 * ```ts
 * packCodes('float4_e2m1fn', new Uint8Array([0x1, 0x2, 0x3]));   // Uint8Array [33, 3]
 * packCodes('float6_e2m3fn', new Uint8Array([1, 2, 3, 4]));      // Uint8Array [129, 48, 16]
 * packCodes('mxfp8_e4m3', new Uint8Array([7, 8]));               // Uint8Array [7, 8]
 * ```
 */
export function packCodes(fmt: FormatLike | MxFormatLike, codesArg: Uint8Array): Uint8Array {
  const fn = 'packCodes';
  const { bits, name } = widthOf(fn, fmt);
  const codes = checkView(fn, 'codes', codesArg, [Uint8Array]);
  const top = 2 ** bits;
  for (let i = 0; i < codes.length; i++) {
    if (codes[i]! >= top) {
      throw new RangeError(`${fn}: codes[${i}] must be an integer in [0, ${top - 1}] for ${name}, got ${codes[i]}`);
    }
  }
  const out = new Uint8Array(packedLength(bits, codes.length));
  packInto(bits, codes, out);
  return out;
}

/**
 * Reads `length` codes packed by {@link packCodes}, one code per byte. Bytes past the
 * ⌈length·bits/8⌉ the codes fill are not read.
 *
 * @param fmt - a scalar format of at most 8 bits, or a block format (its element's width)
 * @param bytes - the packed codes
 * @param length - how many codes to read
 * @throws TypeError unless `bytes` is a Uint8Array with a live buffer, or `length` a number; RangeError if `length`
 *   is not a count or `bytes` is too short
 * @example
 * ```ts
 * unpackCodes('float4_e2m1fn', new Uint8Array([33, 3]), 3);      // Uint8Array [1, 2, 3]
 * unpackCodes('float6_e2m3fn', new Uint8Array([129, 48, 16]), 4); // Uint8Array [1, 2, 3, 4]
 * ```
 */
export function unpackCodes(fmt: FormatLike | MxFormatLike, bytesArg: Uint8Array, length: number): Uint8Array {
  const fn = 'unpackCodes';
  const { bits } = widthOf(fn, fmt);
  const bytes = checkView(fn, 'bytes', bytesArg, [Uint8Array]);
  checkInteger(fn, 'length', length, 0, Number.MAX_SAFE_INTEGER);
  const need = packedLength(bits, length);
  if (bytes.length < need) {
    throw new RangeError(`${fn}: bytes has ${bytes.length} bytes; ${length} codes of ${bits} bits need ${need}`);
  }
  const out = new Uint8Array(length);
  unpackInto(bits, bytes, out);
  return out;
}
