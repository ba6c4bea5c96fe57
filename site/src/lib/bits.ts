/**
 * A code taken apart for display: its bits, most significant first, each with the field it
 * belongs to, and the code written in hex and binary. Codes are BigInt here so float64 is
 * handled like every other format.
 */
import type { Format } from 'floatlab';

/** The field a bit belongs to. */
export type Field = 'sign' | 'exponent' | 'mantissa';

/** One bit of a code. */
export interface Bit {
  /** Position, 0 = least significant. */
  index: number;
  /** The bit's value. */
  value: 0 | 1;
  /** Its field. */
  field: Field;
}

/** The field of bit `index` of a code of `F` (the layout is sign, exponent, mantissa from the top). */
export function fieldOf(F: Pick<Format, 'manBits' | 'expBits'>, index: number): Field {
  if (index < F.manBits) return 'mantissa';
  if (index < F.manBits + F.expBits) return 'exponent';
  return 'sign';
}

/** The bits of `code`, most significant first. */
export function bitsOf(F: Pick<Format, 'bits' | 'manBits' | 'expBits'>, code: bigint): Bit[] {
  const out: Bit[] = [];
  for (let i = F.bits - 1; i >= 0; i--) {
    out.push({ index: i, value: ((code >> BigInt(i)) & 1n) === 1n ? 1 : 0, field: fieldOf(F, i) });
  }
  return out;
}

/** `code` with bit `index` flipped. */
export function flipBit(code: bigint, index: number): bigint {
  return code ^ (1n << BigInt(index));
}

/** `0x…` with as many hex digits as the format's width needs. */
export function hexCode(bits: number, code: bigint): string {
  return `0x${code.toString(16).padStart(Math.ceil(bits / 4), '0')}`;
}

/** A code from the codec (a number, or a BigInt for float64) as a BigInt. */
export function toBig(code: number | bigint): bigint {
  return typeof code === 'bigint' ? code : BigInt(code);
}

/** A BigInt code as the codec takes it for `F`: a BigInt for 64-bit formats, a number otherwise. */
export function codecCode(F: Pick<Format, 'bits'>, code: bigint): number | bigint {
  return F.bits === 64 ? code : Number(code);
}
