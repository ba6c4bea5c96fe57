/**
 * Small facts about arrays of numbers that several features ask.
 * @internal
 */

/** No NaN and no infinity in `a`. */
export function allFinite(a: ArrayLike<number>): boolean {
  for (let i = 0; i < a.length; i++) if (!Number.isFinite(a[i]!)) return false;
  return true;
}
