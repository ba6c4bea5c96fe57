/**
 * floatlab: bit-exact emulation of the number formats of machine learning.
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
export {
  type MxIntElement,
  type MxFormatRecord,
  type MxFormatName,
  type TwoLevelFormatName,
  type MxFormatLike,
  type MxElement,
  type MxFormat,
  type MxFormatSpec,
  MX_FORMAT_NAMES,
  mxFormat,
  defineMxFormat,
  isMxFormat,
} from './mx/formats.js';
export { packCodes, unpackCodes } from './mx/pack.js';
export {
  type MxArray,
  type MxArrayLike,
  type MxQuantizeOptions,
  type MxDequantizeOptions,
  mxQuantize,
  mxDequantize,
} from './mx/quantize.js';
export { type MxBlockReport, type MxReport, mxReport } from './mx/report.js';
export {
  type Accumulate,
  type OpOptions,
  type TensorOptions,
  type TensorValues,
  type RandnOptions,
  type MatmulOptions,
  type CrossEntropyOptions,
  Tensor,
} from './tensor/tensor.js';
export type { Dtype, DtypeLike } from './tensor/dtype.js';
export type { ValueArray } from './tensor/storage-codec.js';
export { promoteTypes } from './tensor/promote.js';
export { type PrecisionName, type PrecisionLike, type PrecisionPolicy, PRECISIONS, precisionPolicy } from './amp/policy.js';
export { type MasterWeightsOptions, MasterWeights } from './amp/master.js';
export { type GradScalerOptions, type GradScalerState, GradScaler } from './amp/grad-scaler.js';
export { type OptimizerName, type MemoryOptions, type MemoryEstimate, OPTIMIZER_NAMES, estimateMemory } from './amp/memory.js';
export {
  type Gradient,
  type Stepper,
  type OptimizerOptions,
  type OptimizerStateDict,
  type Round,
  type UpdateContext,
  Optimizer,
} from './optim/optimizer.js';
export { type SGDOptions, SGD } from './optim/sgd.js';
export { type AdamOptions, Adam, AdamW } from './optim/adam.js';
export {
  type ScaleRule,
  type ScaleRuleFunction,
  type ScaleFormatName,
  SCALE_RULE_NAMES,
  SCALE_FORMAT_NAMES,
} from './scaled/scale-rule.js';
export type { GroupReport } from './scaled/core.js';
export {
  type Granularity,
  type ScaledSchemeSpec,
  type ScaledScheme,
  type ScaledArray,
  type ScaledQuantizeOptions,
  type ScaledReport,
  type TensorLike,
  GRANULARITIES,
  scaledScheme,
  scaledQuantize,
  scaledDequantize,
  scaledReport,
} from './scaled/quantize.js';
export {
  type Fp8RecipeFormat,
  type TensorRole,
  type Float8CurrentScalingOptions,
  type DelayedScalingOptions,
  FP8_RECIPE_FORMATS,
  fp8Element,
  Float8CurrentScaling,
  DelayedScaling,
  DelayedScaler,
} from './scaled/recipe.js';
