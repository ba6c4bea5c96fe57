/**
 * The element types of safetensors files — every dtype of the reference implementation's `Dtype`
 * enum (huggingface/safetensors, `safetensors/src/tensor.rs`) — one record each: the name, the
 * width in bits, and the floatlab format where floatlab has one. Sub-byte dtypes are packed as
 * the reference and PyTorch's `float4_e2m1fn_x2` store them: codes end to end, least significant
 * bit first (see `packCodes`), and a tensor must fill whole bytes.
 */
import type { FormatName } from '../formats.js';

export interface FileDtype {
  /** The dtype string in a safetensors header. */
  readonly safetensors: string;
  /** Bits per element (4 and 6 for the packed MX element types). */
  readonly bits: number;
  /** The floatlab format of a floating-point dtype whose codes floatlab reads and writes. */
  readonly format?: FormatName;
  /**
   * Whether `convert` rewrites it by default. The MX scale and element dtypes (`F8_E8M0`, `F4`,
   * `F6_*`) are not: their values mean something only with the block scales stored beside them,
   * so they pass through unless asked for.
   */
  readonly source: boolean;
}

/** Every dtype of the safetensors spec, in the reference's order of alignment. */
export const FILE_DTYPES: readonly FileDtype[] = [
  { safetensors: 'BOOL', bits: 8, source: false },
  { safetensors: 'F4', bits: 4, format: 'float4_e2m1fn', source: false },
  { safetensors: 'F6_E2M3', bits: 6, format: 'float6_e2m3fn', source: false },
  { safetensors: 'F6_E3M2', bits: 6, format: 'float6_e3m2fn', source: false },
  { safetensors: 'U8', bits: 8, source: false },
  { safetensors: 'I8', bits: 8, source: false },
  { safetensors: 'F8_E5M2', bits: 8, format: 'float8_e5m2', source: true },
  { safetensors: 'F8_E4M3', bits: 8, format: 'float8_e4m3fn', source: true },
  { safetensors: 'F8_E8M0', bits: 8, format: 'float8_e8m0fnu', source: false },
  { safetensors: 'F8_E4M3FNUZ', bits: 8, format: 'float8_e4m3fnuz', source: true },
  { safetensors: 'F8_E5M2FNUZ', bits: 8, format: 'float8_e5m2fnuz', source: true },
  { safetensors: 'I16', bits: 16, source: false },
  { safetensors: 'U16', bits: 16, source: false },
  { safetensors: 'F16', bits: 16, format: 'float16', source: true },
  { safetensors: 'BF16', bits: 16, format: 'bfloat16', source: true },
  { safetensors: 'I32', bits: 32, source: false },
  { safetensors: 'U32', bits: 32, source: false },
  { safetensors: 'F32', bits: 32, format: 'float32', source: true },
  { safetensors: 'C64', bits: 64, source: false },
  { safetensors: 'F64', bits: 64, format: 'float64', source: true },
  { safetensors: 'I64', bits: 64, source: false },
  { safetensors: 'U64', bits: 64, source: false },
];

const BY_NAME = new Map(FILE_DTYPES.map((d) => [d.safetensors, d]));

/**
 * The record of a safetensors dtype name, or undefined.
 *
 * @example
 * ```ts
 * safetensorsDtype('BF16')?.format; // 'bfloat16'
 * ```
 */
export function safetensorsDtype(name: string): FileDtype | undefined {
  return BY_NAME.get(name);
}

/**
 * The safetensors dtype that stores a floatlab format, or undefined where safetensors has none.
 *
 * @example
 * ```ts
 * dtypeOfFormat('float8_e4m3fn')?.safetensors; // 'F8_E4M3'
 * ```
 */
export function dtypeOfFormat(format: string): FileDtype | undefined {
  return FILE_DTYPES.find((d) => d.format === format);
}

/**
 * Bytes that `count` elements of `dtype` fill, or undefined when they end inside a byte (the
 * reference refuses such a tensor).
 *
 * @example
 * ```ts
 * byteLengthOf({ safetensors: 'F4', bits: 4, source: false }, 6); // 3
 * ```
 */
export function byteLengthOf(dtype: FileDtype, count: number): number | undefined {
  const bits = count * dtype.bits;
  return bits % 8 === 0 ? bits / 8 : undefined;
}
