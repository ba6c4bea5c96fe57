/**
 * The number line's model: the representable magnitudes of a format between 2^lo and 2^hi,
 * and, for a value, the interval of reals each rounding mode sends to the same result.
 */
import { type Format, nextDown, nextUp, type RoundingMode, round } from 'floatlab';

/** Values in view beyond this many are not drawn one by one (the view says how many there are). */
export const MAX_TICKS = 512;

/** The positive finite values of `F` in [2^lo, 2^hi], or `tooMany` when there are more than `cap`. */
export function valuesInView(F: Format, lo: number, hi: number, cap = MAX_TICKS): { values: number[]; tooMany: boolean } {
  const top = 2 ** hi;
  let v = round(F, 2 ** lo, { rounding: 'towardPositive' });
  if (v === 0) v = nextUp(F, 0);
  const values: number[] = [];
  while (Number.isFinite(v) && v <= top) {
    if (values.length === cap) return { values, tooMany: true };
    values.push(v);
    v = nextUp(F, v);
  }
  return { values, tooMany: false };
}

/** The last double, going from `r` towards `out` (which rounds elsewhere), that still rounds to `r`. */
function boundary(F: Format, mode: RoundingMode, r: number, out: number): number {
  let inside = r;
  let outside = out;
  // Bisect until the two are adjacent doubles: the boundary lies between them.
  for (let i = 0; i < 4000; i++) {
    const mid = inside / 2 + outside / 2;
    if (mid === inside || mid === outside) break;
    if (Object.is(round(F, mid, { rounding: mode }), r)) inside = mid;
    else outside = mid;
  }
  return inside;
}

/** The reals that `mode` rounds to the same value as `x`: [lo, hi] (with infinite ends when unbounded). */
export interface RoundingInterval {
  mode: RoundingMode;
  /** The stored value. */
  value: number;
  lo: number;
  hi: number;
}

/** The interval of reals `mode` rounds to `round(F, x, mode)`, for a nonzero finite result; null otherwise. */
export function roundingInterval(F: Format, x: number, mode: RoundingMode): RoundingInterval | null {
  const r = round(F, x, { rounding: mode });
  if (!Number.isFinite(r) || r === 0) return null;
  const rounds = (y: number) => Object.is(round(F, y, { rounding: mode }), r);
  const side = (next: number, far: number) => {
    if (Number.isFinite(next)) return boundary(F, mode, r, next);
    // No neighbour that way (r is ±max): the set is unbounded unless some finite value rounds elsewhere.
    return rounds(far) ? Math.sign(far) * Infinity : boundary(F, mode, r, far);
  };
  const lo = side(nextDown(F, r), -Number.MAX_VALUE);
  const hi = side(nextUp(F, r), Number.MAX_VALUE);
  return { mode, value: r, lo, hi };
}
