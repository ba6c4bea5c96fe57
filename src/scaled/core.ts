/**
 * The core every scaled quantization shares: the elements are partitioned into groups, each
 * group gets one scale chosen from its largest finite magnitude, and each finite element is
 * scaled and rounded (any rounding mode, saturating) into the element format. MX blocks,
 * NVFP4 blocks and the per-tensor, per-channel and tiled scalings are configurations of it:
 * they differ only in the grouping and in how a group's scale is chosen and applied.
 * @internal
 */
import { encodeArray } from '../codec/array.js';
import { encodeElement, nonFiniteCode, roundElement } from '../mx/element.js';
import type { MxElement } from '../mx/formats.js';
import { type ResolvedOptions, ROUNDING_MODES } from '../options.js';

/**
 * A partition of the indices 0 … n−1 into `count` groups, as compressed rows: group g's
 * members are order[starts[g]] … order[starts[g+1] − 1] (or starts[g] … starts[g+1] − 1 when
 * `order` is null: groups of consecutive indices).
 */
export interface Grouping {
  readonly count: number;
  readonly starts: Int32Array;
  readonly order: Int32Array | null;
}

/** What a group's scale is chosen from: its largest finite magnitude, and whether it holds a NaN or an infinity. */
export interface GroupStats {
  amax: number;
  nan: boolean;
  inf: boolean;
}

/**
 * Chooses group g's scale (storing it wherever the caller keeps scales) and returns how a
 * finite value of the group becomes the number the element rounds; null when the group's
 * scale is NaN (its elements are stored as code 0 and read back as NaN).
 */
export type GroupScaler = (g: number, stats: GroupStats) => ((x: number) => number) | null;

/** Runs of `size` consecutive indices of 0 … n−1 (the last run holds the remainder). */
export function runs(n: number, size: number): Grouping {
  const count = Math.ceil(n / size);
  const starts = Int32Array.from({ length: count + 1 }, (_, g) => Math.min(g * size, n));
  return { count, starts, order: null };
}

/** Index of member k of group g. */
function member(G: Grouping, k: number): number {
  return G.order ? G.order[k]! : k;
}

/** The amax and non-finite flags of group g of `values`. */
export function groupStats(values: ArrayLike<number>, G: Grouping, g: number): GroupStats {
  const order = G.order;
  let amax = 0;
  let nan = false;
  let inf = false;
  for (let k = G.starts[g]!, end = G.starts[g + 1]!; k < end; k++) {
    const a = Math.abs(values[order ? order[k]! : k]!);
    if (a !== a) nan = true;
    else if (a === Infinity) inf = true;
    else if (a > amax) amax = a;
  }
  return { amax, nan, inf };
}

/**
 * The reference quantization of groups [first, last) of `values` into `codes` (one element code
 * per byte, indexed like `values`). Float elements are rounded through the public codec
 * (`encodeArray` with saturation, so `'stochastic'` draws one number per inexact finite
 * element, in group order); integer elements through {@link roundElement}. NaN and ±inf are
 * placed after rounding as the element holds them (they draw no random number) — or, with
 * `saturateInfinity`, ±inf as ±max, as TE's and torchao's saturating FP8 casts do.
 * @internal
 */
export function quantizeGroups(
  E: MxElement,
  values: ArrayLike<number>,
  G: Grouping,
  scaler: GroupScaler,
  o: ResolvedOptions,
  codes: Uint8Array,
  first = 0,
  last = G.count,
  saturateInfinity = false,
): void {
  const from = G.starts[first]!;
  const to = G.starts[last]!;
  const { order, starts } = G;
  const scaled = new Float64Array(E.format ? to - from : 0);
  const saturating: ResolvedOptions = { ...o, saturate: true };
  const nanGroup = new Uint8Array(last - first);
  for (let g = first; g < last; g++) {
    const apply = scaler(g, groupStats(values, G, g));
    if (!apply) {
      nanGroup[g - first] = 1;
      continue; // the elements of a NaN group stay 0
    }
    for (let k = starts[g]!, end = starts[g + 1]!; k < end; k++) {
      const i = order ? order[k]! : k;
      const x = values[i]!;
      if (x - x !== 0) continue;
      if (E.format) scaled[k - from] = apply(x);
      else codes[i] = encodeElement(E, roundElement(E, apply(x), saturating));
    }
  }
  if (E.format) {
    const rounded = encodeArray(E.format, scaled, {
      rounding: ROUNDING_MODES[o.mode],
      saturate: true,
      flushSubnormals: o.flushSubnormals,
      random: o.random,
    }) as Uint8Array;
    if (order) for (let k = from; k < to; k++) codes[order[k]!] = rounded[k - from]!;
    else codes.set(rounded, from);
  }
  for (let g = first; g < last; g++) {
    for (let k = G.starts[g]!; k < G.starts[g + 1]!; k++) {
      const i = member(G, k);
      if (nanGroup[g - first]) codes[i] = 0;
      else if (values[i]! - values[i]! !== 0) codes[i] = placeNonFinite(E, values[i]!, saturateInfinity);
    }
  }
}

/** The code of a NaN or ±inf input: what the element holds, or ±max for ±inf when saturating. */
function placeNonFinite(E: MxElement, x: number, saturateInfinity: boolean): number {
  if (saturateInfinity && x === x) return encodeElement(E, x > 0 ? E.max : E.lowest);
  return nonFiniteCode(E, x);
}

/** Per-group figures of a quantization report, one entry per group. */
export interface GroupReport {
  /** The group's dequantization factor: stored value = element × factor (NaN for a NaN scale). */
  scales: Float64Array;
  /** Finite inputs beyond the element range at the group's scale, stored as the nearest end of it. */
  saturated: Uint32Array;
  /** Nonzero finite inputs stored as ±0. */
  underflow: Uint32Array;
  /** Largest |stored − input| over the group's finite inputs (NaN in a group whose scale is NaN). */
  maxAbsError: Float64Array;
  /** Root mean square of stored − input over the group's finite inputs (NaN in a NaN group; 0 for a group of no finite inputs). */
  rmsError: Float64Array;
}

/** Totals of a quantization report. Counts are of elements; errors are exact stored values minus inputs, in doubles. */
export interface ReportTotals {
  /** Number of elements. */
  count: number;
  /** NaN inputs. */
  nan: number;
  /** ±Infinity inputs. */
  infinite: number;
  /** Finite inputs beyond the element range at their group's scale. */
  saturated: number;
  /** Nonzero finite inputs stored as ±0 (in groups with a finite scale). */
  underflow: number;
  /** Largest |stored − input| over finite inputs in groups with a finite scale (0 if there are none). */
  maxAbsError: number;
  /** Root mean square of stored − input over the same inputs (0 if there are none). */
  rmsError: number;
}

/**
 * What quantizing `values` cost, group by group: `stored` holds the dequantized values and
 * `factor(g)` the dequantization factor of group g; `saturatesAt(x, g)` tells whether a finite
 * input lies beyond the element range at that scale.
 */
export function reportGroups(
  values: ArrayLike<number>,
  stored: ArrayLike<number>,
  G: Grouping,
  factor: (g: number) => number,
  saturatesAt: (x: number, g: number) => boolean,
): { totals: ReportTotals; perGroup: GroupReport; nanGroups: number } {
  const n = G.count;
  const perGroup: GroupReport = {
    scales: new Float64Array(n),
    saturated: new Uint32Array(n),
    underflow: new Uint32Array(n),
    maxAbsError: new Float64Array(n),
    rmsError: new Float64Array(n),
  };
  const totals: ReportTotals = {
    count: values.length,
    nan: 0,
    infinite: 0,
    saturated: 0,
    underflow: 0,
    maxAbsError: 0,
    rmsError: 0,
  };
  let nanGroups = 0;
  let sumSq = 0;
  let measured = 0;
  for (let g = 0; g < n; g++) {
    const X = factor(g);
    const nanScale = X !== X;
    perGroup.scales[g] = X;
    if (nanScale) nanGroups++;
    let max = 0;
    let sq = 0;
    let finite = 0;
    for (let k = G.starts[g]!; k < G.starts[g + 1]!; k++) {
      const i = member(G, k);
      const x = values[i]!;
      if (x !== x) totals.nan++;
      else if (x === Infinity || x === -Infinity) totals.infinite++;
      else if (!nanScale) {
        const v = stored[i]!;
        if (saturatesAt(x, g)) perGroup.saturated[g]!++;
        if (x !== 0 && v === 0) perGroup.underflow[g]!++;
        const d = Math.abs(v - x);
        if (d > max) max = d;
        sq += d * d;
        finite++;
      }
    }
    perGroup.maxAbsError[g] = nanScale ? NaN : max;
    perGroup.rmsError[g] = nanScale ? NaN : finite === 0 ? 0 : Math.sqrt(sq / finite);
    totals.saturated += perGroup.saturated[g]!;
    totals.underflow += perGroup.underflow[g]!;
    if (!nanScale && max > totals.maxAbsError) totals.maxAbsError = max;
    sumSq += sq;
    measured += finite;
  }
  totals.rmsError = measured === 0 ? 0 : Math.sqrt(sumSq / measured);
  return { totals, perGroup, nanGroups };
}
