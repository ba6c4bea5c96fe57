/**
 * Fast decoding: a table of every value for the formats of up to 16 bits (256 entries for the
 * float8 family, 65,536 for float16), and a shift for the formats whose codes are a float32's
 * top bits (bfloat16, tf32). Both give exactly the generic path's values, NaN included: the
 * canonical quiet NaN.
 * @internal
 */
import type { Format } from '../../formats.js';
import { decodeCode } from '../decode.js';

const tables = new WeakMap<Format, Float32Array>();

/** Every value of a format of at most 16 bits, indexed by code (every such value is a float32). */
export function decodeTable(F: Format): Float32Array {
  let table = tables.get(F);
  if (!table) {
    table = new Float32Array(F.codeCount);
    for (let c = 0; c < F.codeCount; c++) table[c] = decodeCode(F, c);
    tables.set(F, table);
  }
  return table;
}

/**
 * out[i] = table[codes[i]] for every i (codes already checked). A Float32Array out is written
 * through 32-bit integer views of it and of the table: a copy of bits, with no conversion.
 */
export function decodeByTable(codes: Uint8Array | Uint16Array, out: Float32Array | Float64Array, table: Float32Array): void {
  if (out instanceof Float32Array) {
    copyBits(codes, new Int32Array(out.buffer, out.byteOffset, out.length), new Int32Array(table.buffer, table.byteOffset, table.length));
    return;
  }
  const n = codes.length | 0;
  for (let i = 0; i < n; i++) out[i] = table[codes[i]!]!;
}

function copyBits(codes: Uint8Array | Uint16Array, out: Int32Array, bits: Int32Array): void {
  const n = codes.length | 0;
  for (let i = 0; i < n; i++) out[i] = bits[codes[i]!]!;
}

/** The bits a Float32Array holds after storing NaN: what the generic path writes for a NaN code. */
const NAN_BITS = new Int32Array(new Float32Array([NaN]).buffer)[0]!;

/**
 * Decodes codes that are a float32's top bits into the 32-bit words of a Float32Array:
 * `code << shift`, NaN codes (magnitude above inf) to the canonical NaN.
 */
export function decodeByShift(codes: Uint16Array | Uint32Array, out: Int32Array, shift: number, magMask: number, infCode: number): void {
  // `| 0`: int32 locals stay untagged in registers (V8 re-checks tagged ones every element).
  const n = codes.length | 0, sh = shift | 0, mag = magMask | 0, inf = infCode | 0, nan = NAN_BITS | 0;
  for (let i = 0; i < n; i++) {
    const c = codes[i]!;
    out[i] = (c & mag) > inf ? nan : c << sh;
  }
}
