/**
 * Fast decoding: a table of every value for the formats of up to 16 bits (256 entries for the
 * float8 family, 65,536 for float16), and a shift for the formats whose codes are a float32's
 * top bits (bfloat16, tf32). Both give exactly the generic path's values, NaN included: the
 * canonical quiet NaN. (The table serves a Float64Array only when every value of the format is a
 * float32; the generic path decodes the custom formats whose values are not.) Into a Float32Array
 * they copy bits through 32-bit integer views (no float conversion), and on little-endian machines
 * they read 16-bit codes two at a time and 8-bit codes four at a time through a Uint32Array view
 * when the codes are 4-byte aligned.
 * @internal
 */

import { HI } from '../../core/bits.js';
import type { Format } from '../../formats.js';
import { decodeCode } from '../decode.js';

const tables = new WeakMap<Format, Float32Array>();
/**
 * Every value of a format of at most 16 bits, indexed by code, as float32s: exact when
 * every value of F is a float32 ({@link fitsIn}), else each value rounded as a Float32Array stores it.
 */
export function decodeTable(F: Format): Float32Array {
  let table = tables.get(F);
  if (!table) {
    table = new Float32Array(F.codeCount);
    for (let c = 0; c < F.codeCount; c++) table[c] = decodeCode(F, c);
    tables.set(F, table);
  }
  return table;
}

/** The bits a Float32Array holds after storing NaN: what the generic path writes for a NaN code. */
const NAN_BITS = new Int32Array(new Float32Array([NaN]).buffer)[0]!;
/** The first code of a pair read as one 32-bit word sits in its low half. */
const LITTLE_ENDIAN = HI === 1;

const int32View = (a: Float32Array) => new Int32Array(a.buffer, a.byteOffset, a.length);
/** The codes as 32-bit words, if the platform and alignment allow reading them so. */
const wordsOf = (codes: Uint8Array | Uint16Array) =>
  LITTLE_ENDIAN && (codes.byteOffset & 3) === 0
    ? new Uint32Array(codes.buffer, codes.byteOffset, codes.byteLength >> 2)
    : undefined;

/** out[i] = table[codes[i]] for every i (codes already checked). */
export function decodeByTable(codes: Uint8Array | Uint16Array, out: Float32Array | Float64Array, table: Float32Array): void {
  const n = codes.length | 0;
  if (out instanceof Float64Array) {
    for (let i = 0; i < n; i++) out[i] = table[codes[i]!]!;
    return;
  }
  const o = int32View(out);
  const bits = int32View(table);
  const words = wordsOf(codes);
  let i = 0;
  if (words) i = codes instanceof Uint16Array ? pairsByTable(words, o, bits) : quadsByTable(words, o, bits);
  for (; i < n; i++) o[i] = bits[codes[i]!]!;
}

/** Decodes 16-bit codes two per word; returns how many elements it wrote. */
function pairsByTable(words: Uint32Array, out: Int32Array, bits: Int32Array): number {
  const m = words.length | 0;
  for (let p = 0; p < m; p++) {
    const w = words[p]!;
    out[2 * p] = bits[w & 0xffff]!;
    out[2 * p + 1] = bits[w >>> 16]!;
  }
  return 2 * m;
}

/** Decodes 8-bit codes four per word; returns how many elements it wrote. */
function quadsByTable(words: Uint32Array, out: Int32Array, bits: Int32Array): number {
  const m = words.length | 0;
  for (let p = 0; p < m; p++) {
    const w = words[p]!;
    out[4 * p] = bits[w & 0xff]!;
    out[4 * p + 1] = bits[(w >>> 8) & 0xff]!;
    out[4 * p + 2] = bits[(w >>> 16) & 0xff]!;
    out[4 * p + 3] = bits[w >>> 24]!;
  }
  return 4 * m;
}

/**
 * Decodes codes that are a float32's top bits into a Float32Array: `code << shift`, NaN codes
 * (magnitude above inf) to the canonical NaN.
 */
export function decodeByShift(
  codes: Uint16Array | Uint32Array,
  out: Float32Array,
  shift: number,
  magMask: number,
  infCode: number,
): void {
  // `| 0`: int32 locals stay untagged in registers (V8 re-checks tagged ones every element).
  const n = codes.length | 0,
    sh = shift | 0,
    mag = magMask | 0,
    inf = infCode | 0,
    nan = NAN_BITS | 0;
  const o = int32View(out);
  const words = codes instanceof Uint16Array ? wordsOf(codes) : undefined;
  let i = 0;
  if (words) {
    const m = words.length | 0;
    for (let p = 0; p < m; p++) {
      const w = words[p]!;
      const lo = w & 0xffff;
      const hi = w >>> 16;
      o[2 * p] = (lo & mag) > inf ? nan : lo << sh;
      o[2 * p + 1] = (hi & mag) > inf ? nan : hi << sh;
    }
    i = 2 * m;
  }
  for (; i < n; i++) {
    const c = codes[i]!;
    o[i] = (c & mag) > inf ? nan : c << sh;
  }
}
