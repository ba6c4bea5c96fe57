/**
 * floatlab/mx: block-scaled and scaled quantization — the MX block formats (OCP MX v1.0) and
 * NVFP4, scaled quantization by tensor, row, column, tile or block, and the FP8 training recipes.
 * The root entry `floatlab` exports all of this too.
 * @packageDocumentation
 */
export {
  type MxIntElement,
  type MxFormatRecord,
  type MxFormatName,
  type TwoLevelFormatName,
  type MxFormatLike,
  type MxFormatAlias,
  type MxElement,
  type MxFormat,
  type MxFormatSpec,
  MX_FORMAT_NAMES,
  mxFormat,
  defineMxFormat,
  isMxFormat,
} from '../mx/formats.js';
export { packCodes, unpackCodes } from '../mx/pack.js';
export {
  type MxArray,
  type MxArrayLike,
  type MxQuantizeOptions,
  type MxDequantizeOptions,
  mxQuantize,
  mxDequantize,
} from '../mx/quantize.js';
export { type MxBlockReport, type MxReport, mxReport } from '../mx/report.js';
export {
  type ScaleRule,
  type ScaleRuleFunction,
  type ScaleFormatName,
  SCALE_RULE_NAMES,
  SCALE_FORMAT_NAMES,
} from '../scaled/scale-rule.js';
export type { GroupReport } from '../scaled/core.js';
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
} from '../scaled/quantize.js';
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
} from '../scaled/recipe.js';
