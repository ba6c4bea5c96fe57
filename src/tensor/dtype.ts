/**
 * A tensor's dtype: a scalar format (one code per element) or an MX block format (packed
 * element codes and one shared E8M0 scale per block).
 */
import { describe } from '../core/validation.js';
import { type Format, type FormatLike, resolveFormat } from '../formats.js';
import { isMxFormatLike, MX_FORMAT_NAMES, type MxFormat, type MxFormatLike, resolveMxFormat } from '../mx/formats.js';

/**
 * The element type of a `Tensor`: a scalar {@link Format} or an MX block format
 * ({@link MxFormat}). Both have a `name`; {@link isMxFormat} tells them apart.
 */
export type Dtype = Format | MxFormat;

/** Anything that names a {@link Dtype}: a format or block format name (or alias), a `Format` or an `MxFormat`. */
export type DtypeLike = FormatLike | MxFormatLike;

/** Resolves a dtype: a block format name or MxFormat to its MxFormat, anything else as {@link resolveFormat} does (errors name `fn` and `param`). @internal */
export function resolveDtype(fn: string, spec: unknown, param: string): Dtype {
  if (isMxFormatLike(spec)) return resolveMxFormat(fn, spec, param);
  try {
    return resolveFormat(fn, spec, param);
  } catch (e) {
    if (e instanceof RangeError) throw new RangeError(`${e.message}; block formats: ${MX_FORMAT_NAMES.join(', ')}`);
    throw new TypeError(
      `${fn}: ${param} must be a format name, a Format, a block format name or an MxFormat, got ${describe(spec)}`,
    );
  }
}
