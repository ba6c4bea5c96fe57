/**
 * The element types of checkpoint files, one record each: the safetensors dtype name, its
 * width, and the floatlab format for floating-point ones (none for integers and bool).
 */
import type { FormatName } from '../../formats.js';

export interface FileDtype {
  /** The dtype string in a safetensors header. */
  readonly safetensors: string;
  /** Bytes per element. */
  readonly size: number;
  /** The floatlab format of a floating-point dtype; undefined for integers and bool (copied as they are). */
  readonly format?: FormatName;
}

export const FILE_DTYPES: readonly FileDtype[] = [
  { safetensors: 'F64', size: 8, format: 'float64' },
  { safetensors: 'F32', size: 4, format: 'float32' },
  { safetensors: 'F16', size: 2, format: 'float16' },
  { safetensors: 'BF16', size: 2, format: 'bfloat16' },
  { safetensors: 'F8_E4M3', size: 1, format: 'float8_e4m3fn' },
  { safetensors: 'F8_E5M2', size: 1, format: 'float8_e5m2' },
  { safetensors: 'F8_E8M0', size: 1, format: 'float8_e8m0fnu' },
  { safetensors: 'BOOL', size: 1 },
  { safetensors: 'U8', size: 1 },
  { safetensors: 'I8', size: 1 },
  { safetensors: 'U16', size: 2 },
  { safetensors: 'I16', size: 2 },
  { safetensors: 'U32', size: 4 },
  { safetensors: 'I32', size: 4 },
  { safetensors: 'U64', size: 8 },
  { safetensors: 'I64', size: 8 },
];

const BY_NAME = new Map(FILE_DTYPES.map((d) => [d.safetensors, d]));

/** The record of a safetensors dtype name, or undefined. */
export function safetensorsDtype(name: string): FileDtype | undefined {
  return BY_NAME.get(name);
}

/** The safetensors dtype that stores a floatlab format, or undefined where safetensors has none. */
export function dtypeOfFormat(format: string): FileDtype | undefined {
  return FILE_DTYPES.find((d) => d.format === format);
}
