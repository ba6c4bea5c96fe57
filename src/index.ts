/**
 * floatlab: bit-exact emulation of the number formats of machine learning. This entry holds the
 * codec core (formats, rounding, encode/decode, finfo, range checks) and, for compatibility, also
 * re-exports `floatlab/mx` (block-scaled and scaled quantization) and the training building blocks
 * of `floatlab/train` (Tensor, optimizers, mixed precision; the demo is in `floatlab/train` only).
 * @packageDocumentation
 */
export {
  type FormatKind,
  type FormatRecord,
  type Format,
  type FormatName,
  type FormatAlias,
  type FormatLike,
  type FormatSpec,
  type Float64Name,
  type CodeArray,
  FORMAT_NAMES,
  FORMAT_ALIASES,
  FORMAT_KINDS,
  format,
  defineFormat,
  isFormat,
} from './formats.js';
export { type NaNPolicy, type RoundingMode, type RoundingOptions, NAN_POLICIES, ROUNDING_MODES } from './options.js';
export { round } from './round.js';
export { type CodeOf, encode } from './codec/encode.js';
export { type FloatClass, decode, classify } from './codec/decode.js';
export type { NumberArray } from './core/views.js';
export {
  type CodeArrayOf,
  type EncodeArrayOptions,
  type DecodeArrayOptions,
  type DecodedArrayOf,
  type RoundArrayOptions,
  encodeArray,
  decodeArray,
  roundArray,
} from './codec/array.js';
export { type WasmMode, setWasmMode, wasmAvailable } from './codec/wasm/bulk.js';
export { type ArenaArray, WasmArena } from './codec/wasm/arena.js';
export { nextUp, nextDown, ulp } from './ulp.js';
export { exactDecimal } from './decimal.js';
export { type Inspection, inspect } from './inspect.js';
export { FInfo, finfo } from './finfo.js';
export { type RangeReport, type RangeCheck, checkRange, createRangeCheck } from './codec/range.js';
export { getFloat, setFloat } from './codec/dataview.js';
export { type Float16ArrayView, toFloat16Array, fromFloat16Array } from './codec/float16array.js';
export * from './entries/mx.js';
export * from './entries/training.js';
