/**
 * floatlab: bit-exact emulation of the number formats of machine learning. This entry holds the
 * codec core (formats, rounding, encode/decode, finfo, range checks) and, for compatibility, also
 * re-exports `floatlab/mx` (block-scaled and scaled quantization) and the training building blocks
 * of `floatlab/train` (Tensor, optimizers, mixed precision; the demo is in `floatlab/train` only).
 * @packageDocumentation
 */

export {
  type CodeArrayOf,
  type DecodeArrayOptions,
  type DecodedArrayOf,
  decodeArray,
  type EncodeArrayOptions,
  encodeArray,
  type RoundArrayOptions,
  roundArray,
} from './codec/array.js';
export { getFloat, setFloat } from './codec/dataview.js';
export { classify, decode, type FloatClass } from './codec/decode.js';
export { type CodeOf, encode } from './codec/encode.js';
export { type Float16ArrayView, fromFloat16Array, toFloat16Array } from './codec/float16array.js';
export { checkRange, createRangeCheck, type RangeCheck, type RangeReport } from './codec/range.js';
export { type ArenaArray, WasmArena } from './codec/wasm/arena.js';
export { setWasmMode, type WasmMode, wasmAvailable } from './codec/wasm/bulk.js';
export type { NumberArray } from './core/views.js';
export { exactDecimal } from './decimal.js';
export * from './entries/mx.js';
export * from './entries/training.js';
export { FInfo, finfo } from './finfo.js';
export {
  type CodeArray,
  defineFormat,
  type Float64Name,
  FORMAT_ALIASES,
  FORMAT_KINDS,
  FORMAT_NAMES,
  type Format,
  type FormatAlias,
  type FormatKind,
  type FormatLike,
  type FormatName,
  type FormatRecord,
  type FormatSpec,
  format,
  isFormat,
} from './formats.js';
export { type Inspection, inspect } from './inspect.js';
export { NAN_POLICIES, type NaNPolicy, ROUNDING_MODES, type RoundingMode, type RoundingOptions } from './options.js';
export { round } from './round.js';
export { nextDown, nextUp, ulp } from './ulp.js';
