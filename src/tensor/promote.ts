/**
 * Type promotion: the dtype an op on tensors of two dtypes computes its result in, derived
 * from the formats' fields (no table of pairs).
 */
import { type Format, type FormatAlias, type FormatName, fitsIn, format } from '../formats.js';
import { isMxFormat, type MxElement, type MxFormat } from '../mx/formats.js';
import { type Dtype, type DtypeLike, resolveDtype } from './dtype.js';

const FLOAT32 = format('float32');
const FLOAT64 = format('float64');

/**
 * The scalar format a block format promotes as: float32, the format ops dequantize MX blocks
 * to (the MX spec's dot products produce FP32). @internal
 */
export const MX_OPMATH: Format = FLOAT32;

/** Two elements with the same values, hence the same codes. */
function sameElement(a: MxElement, b: MxElement): boolean {
  if (a === b) return true;
  if (a.format && b.format) return fitsIn(b.format, a.format) && fitsIn(a.format, b.format);
  return a.int !== null && b.int !== null && a.bits === b.bits && a.int.fractionBits === b.int.fractionBits;
}

/** Two block formats that store the same values the same way (the same format, or the same element, block size and scale format under other names). */
export function sameBlockFormat(A: MxFormat, B: MxFormat): boolean {
  return A === B || (A.blockSize === B.blockSize && A.scaleFormat === B.scaleFormat && sameElement(A.element, B.element));
}

/** {@link promoteTypes} on scalar formats. */
function promoteFormats(A: Format, B: Format): Format {
  if (fitsIn(B, A)) return A;
  if (fitsIn(A, B)) return B;
  // Neither holds the other: the narrower of float32 and float64 that holds both (float64 always does).
  return fitsIn(A, FLOAT32) && fitsIn(B, FLOAT32) ? FLOAT32 : FLOAT64;
}

/** {@link promoteTypes} on resolved dtypes (two scalar formats give a scalar format). @internal */
export function promote(A: Format, B: Format): Format;
export function promote(A: Dtype, B: Dtype): Dtype;
export function promote(A: Dtype, B: Dtype): Dtype {
  if (isMxFormat(A) && isMxFormat(B) && sameBlockFormat(A, B)) return A;
  return promoteFormats(isMxFormat(A) ? MX_OPMATH : A, isMxFormat(B) ? MX_OPMATH : B);
}

/**
 * The dtype of an op's result on tensors of dtypes `a` and `b`, as `torch.promote_types`:
 * the wider of the two when one holds every value of the other, otherwise the narrower of
 * float32 and float64 that holds both. So float16 with bfloat16 gives float32, and anything
 * with float64 gives float64. (torch refuses to promote float8 formats with each other or
 * with float16; floatlab applies the same rule to them: float8_e4m3fn with float16 gives float16.)
 *
 * Block formats (torch has no MX dtype and so no rule for them): two tensors of the same block
 * format give that block format; a block format with anything else promotes as float32, the
 * type its blocks are dequantized to — so MX with float16 or another block format gives
 * float32, and MX with float64 gives float64.
 *
 * @throws TypeError naming `a` or `b` unless it is a format name, a Format or an MxFormat; RangeError for an unknown name
 * @example
 * ```ts
 * promoteTypes('float16', 'bfloat16').name;      // 'float32'
 * promoteTypes('float16', 'float32').name;       // 'float32'
 * promoteTypes('bf16', 'float64').name;          // 'float64'
 * promoteTypes('float8_e4m3fn', 'float16').name; // 'float16'
 * promoteTypes('mxfp4', 'mxfp4_e2m1').name;      // 'mxfp4_e2m1'
 * promoteTypes('mxfp4_e2m1', 'mxfp8_e4m3').name; // 'float32'
 * promoteTypes('mxint8', 'float64').name;        // 'float64'
 * ```
 */
export function promoteTypes(a: Format | FormatName | FormatAlias, b: Format | FormatName | FormatAlias): Format;
export function promoteTypes(a: DtypeLike, b: DtypeLike): Dtype;
export function promoteTypes(a: DtypeLike, b: DtypeLike): Dtype {
  return promote(resolveDtype('promoteTypes', a, 'a'), resolveDtype('promoteTypes', b, 'b'));
}
