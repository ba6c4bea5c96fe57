/**
 * Type promotion: the dtype an op on tensors of two dtypes computes its result in, derived
 * from the formats' fields (no table of pairs).
 */
import { type Format, type FormatLike, format, resolveFormat } from '../formats.js';

const FLOAT32 = format('float32');
const FLOAT64 = format('float64');

/** Every value of `F` (zeros, infinities and NaN included) is a value of `G`. */
export function holds(G: Format, F: Format): boolean {
  if (G === F) return true;
  if (F.signed && !G.signed) return false;
  if ((F.hasInf && !G.hasInf) || (F.hasNaN && !G.hasNaN)) return false;
  if ((F.hasZero && !G.hasZero) || (F.hasNegativeZero && !G.hasNegativeZero)) return false;
  // Range, precision in the binades both hold as normals, and the finest spacing F uses.
  return G.max >= F.max && G.manBits >= F.manBits && G.smallestSubnormal <= 2 ** (F.emin - F.manBits);
}

/** {@link promoteTypes} on resolved formats. @internal */
export function promote(A: Format, B: Format): Format {
  if (holds(A, B)) return A;
  if (holds(B, A)) return B;
  // Neither holds the other: the narrower of float32 and float64 that holds both (float64 always does).
  return holds(FLOAT32, A) && holds(FLOAT32, B) ? FLOAT32 : FLOAT64;
}

/**
 * The dtype of an op's result on tensors of dtypes `a` and `b`, as `torch.promote_types`:
 * the wider of the two when one holds every value of the other, otherwise the narrower of
 * float32 and float64 that holds both. So float16 with bfloat16 gives float32, and anything
 * with float64 gives float64. (torch refuses to promote float8 formats with each other or
 * with float16; floatlab applies the same rule to them: float8_e4m3fn with float16 gives float16.)
 *
 * @throws TypeError naming `a` or `b` unless it is a format name or Format; RangeError for an unknown name
 * @example
 * ```ts
 * promoteTypes('float16', 'bfloat16').name;      // 'float32'
 * promoteTypes('float16', 'float32').name;       // 'float32'
 * promoteTypes('bf16', 'float64').name;          // 'float64'
 * promoteTypes('float8_e4m3fn', 'float16').name; // 'float16'
 * ```
 */
export function promoteTypes(a: FormatLike, b: FormatLike): Format {
  return promote(resolveFormat('promoteTypes', a, 'a'), resolveFormat('promoteTypes', b, 'b'));
}
