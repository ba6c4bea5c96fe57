/**
 * floatlab/mx: block-scaled and scaled quantization — the MX block formats (OCP MX v1.0) and
 * NVFP4, scaled quantization by tensor, row, column, tile or block, and the FP8 training recipes.
 * The root entry `floatlab` exports all of this too.
 * @packageDocumentation
 */
export {
  defineMxFormat,
  isMxFormat,
  MX_FORMAT_NAMES,
  type MxElement,
  type MxFormat,
  type MxFormatAlias,
  type MxFormatLike,
  type MxFormatName,
  type MxFormatRecord,
  type MxFormatSpec,
  type MxIntElement,
  mxFormat,
  type TwoLevelFormatName,
} from '../mx/formats.js';
export { packCodes, unpackCodes } from '../mx/pack.js';
export {
  type MxArray,
  type MxArrayLike,
  type MxDequantizeOptions,
  type MxQuantizeOptions,
  mxDequantize,
  mxQuantize,
} from '../mx/quantize.js';
export { type MxBlockReport, type MxReport, mxReport } from '../mx/report.js';
export type { GroupReport } from '../scaled/core.js';
export {
  GRANULARITIES,
  type Granularity,
  type ScaledArray,
  type ScaledQuantizeOptions,
  type ScaledReport,
  type ScaledScheme,
  type ScaledSchemeSpec,
  scaledDequantize,
  scaledQuantize,
  scaledReport,
  scaledScheme,
  type TensorLike,
} from '../scaled/quantize.js';
export {
  DelayedScaler,
  DelayedScaling,
  type DelayedScalingOptions,
  Float8CurrentScaling,
  type Float8CurrentScalingOptions,
  FP8_RECIPE_FORMATS,
  type Fp8RecipeFormat,
  fp8Element,
  type TensorRole,
} from '../scaled/recipe.js';
export {
  SCALE_FORMAT_NAMES,
  SCALE_RULE_NAMES,
  type ScaleFormatName,
  type ScaleRule,
  type ScaleRuleFunction,
} from '../scaled/scale-rule.js';
