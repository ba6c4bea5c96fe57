/**
 * floatlab: bit-exact emulation of the number formats of machine learning.
 * @packageDocumentation
 */
export { type FormatKind, type FormatRecord, type Format, type FormatName, type FormatAlias, type FormatLike, type FormatSpec, type Float64Name, FORMAT_NAMES, FORMAT_ALIASES, FORMAT_KINDS, format, defineFormat } from './formats.js';
export { type RoundingMode, type RoundingOptions, ROUNDING_MODES } from './options.js';
export { round } from './round.js';
export { type CodeOf, encode } from './codec/encode.js';
export { type FloatClass, decode, classify } from './codec/decode.js';
export {
  type CodeArray,
  type CodeArrayOf,
  type NumberArray,
  type EncodeArrayOptions,
  type DecodeArrayOptions,
  type RoundArrayOptions,
  encodeArray,
  decodeArray,
  roundArray,
} from './codec/array.js';
export { nextUp, nextDown, ulp } from './ulp.js';
export { exactDecimal } from './decimal.js';
export { type Inspection, inspect } from './inspect.js';
export { FInfo, finfo } from './finfo.js';
export { type RangeReport, type RangeCheck, checkRange, createRangeCheck } from './codec/range.js';
export { getFloat, setFloat } from './codec/dataview.js';
export { type Float16ArrayView, toFloat16Array, fromFloat16Array } from './codec/float16array.js';
