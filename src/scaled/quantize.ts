/**
 * Scaled quantization at any granularity: one element format, one scale per group of
 * elements — the whole tensor, each row, each column, tiles of 1×B or B×B, or runs of B
 * along the flat array (MX and NVFP4 blocks) — chosen from the group's amax by a pluggable
 * rule and stored in a scale format. One implementation ({@link quantizeGroups}) serves every
 * granularity; MX is its configuration with runs of 32, the `'ocp'` rule and E8M0 scales.
 */

import { checkNumberArray, checkOut, decodeArray } from '../codec/array.js';
import {
  checkChoice,
  checkFormatFirst,
  checkInteger,
  checkKnownKeys,
  checkObject,
  checkOptionsObject,
  describe,
} from '../core/validation.js';
import { allocate, checkAttached, checkDisjoint, type NumberArray } from '../core/views.js';
import type { FormatLike } from '../formats.js';
import { decodeElement } from '../mx/element.js';
import { elementOf, type MxElement, type MxIntElement } from '../mx/formats.js';
import { packedLength, packInto, unpackInto } from '../mx/pack.js';
import { ELEMENT_ROUNDING_KEYS, type ElementRoundingKey, type RoundingOptions, resolveOptions } from '../options.js';
import { type Grouping, type GroupReport, quantizeGroups, type ReportTotals, reportGroups, runs } from './core.js';
import {
  applyOf,
  nanScale,
  resolveScaleFormat,
  resolveScaleRule,
  type ScaleFormat,
  type ScaleFormatName,
  type ScaleRule,
  type ScaleRuleFunction,
  storeScale,
  unscale,
} from './scale-rule.js';

/**
 * The granularities: `'tensor'` (one scale), `'row'` and `'column'` (one per row or column of
 * the 2-D view: leading dimensions × last), `'1xB'` (runs of B along each row), `'BxB'` (B×B
 * tiles), `'block'` (runs of B along the flat array, as MX and NVFP4 block).
 *
 * @example
 * ```ts
 * GRANULARITIES.length;   // 6
 * GRANULARITIES[3];       // '1xB'
 * ```
 */
export const GRANULARITIES = Object.freeze(['tensor', 'row', 'column', '1xB', 'BxB', 'block'] as const);

/** A granularity name. */
export type Granularity = (typeof GRANULARITIES)[number];

/** What {@link scaledScheme} takes. */
export interface ScaledSchemeSpec {
  /** The element: a scalar format of at most 8 bits with a sign (`'float8_e4m3fn'`), or an integer element. */
  element: FormatLike | MxIntElement | MxElement;
  /** Which elements share a scale; default `'tensor'`. */
  granularity?: Granularity;
  /** B: the tile side of `'1xB'` and `'BxB'` (default 128), the run of `'block'` (default 32). */
  blockSize?: number;
  /** How scales are stored; default `'float32'`. */
  scaleFormat?: ScaleFormatName;
  /** The scale rule: `'te'` (default), `'torchao'`, `'ocp'`, or a function. */
  rule?: ScaleRule;
  /** The scale is divided by 2^margin (TE's `margin`); an integer ≥ 0, default 0. */
  margin?: number;
}

/** A resolved scheme, as {@link scaledScheme} returns it. */
export interface ScaledScheme {
  /** The element and its limits. */
  readonly element: MxElement;
  /** Which elements share a scale. */
  readonly granularity: Granularity;
  /** B of `'1xB'`, `'BxB'` and `'block'` (unused by the others). */
  readonly blockSize: number;
  /** How scales are stored. */
  readonly scaleFormat: ScaleFormatName;
  /** The scale rule. */
  readonly rule: ScaleRuleFunction;
  /** The margin. */
  readonly margin: number;
}

/** A quantized array: the scheme, the shape it was grouped by, one scale per group and the packed element codes. */
export interface ScaledArray {
  /** The scheme. */
  readonly scheme: ScaledScheme;
  /** The shape the groups were taken over (row-major). */
  readonly shape: readonly number[];
  /** Number of elements. */
  readonly length: number;
  /**
   * One scale per group, in the order of the groups (row-major over the grid of groups):
   * float32 multipliers s (elements store x·s), or 8-bit codes of the scale format (E8M0: the
   * factor 2^(code − 127); E4M3: the factor itself), by which elements are multiplied back.
   */
  readonly scales: Float32Array | Uint8Array;
  /** The element codes in row-major order, packed least significant bit first (see `packCodes`). */
  readonly codes: Uint8Array;
  /** Bytes of storage: scales and codes. */
  readonly nbytes: number;
}

/** A tensor as {@link scaledQuantize} reads one (a `Tensor`): its shape and its exact values in row-major order. */
export interface TensorLike {
  readonly shape: readonly number[];
  toArray(): number[];
}

/** Options of {@link scaledQuantize}: the rounding options without `saturate` (elements always saturate), `shape` and `nonFinite`. */
export interface ScaledQuantizeOptions extends Pick<RoundingOptions, ElementRoundingKey> {
  /** The shape of `src` (row-major); default a Tensor's shape, or `[src.length]`. Rows and columns are those of the 2-D view: leading dimensions × last. */
  shape?: readonly number[];
  /**
   * `'element'` (default): NaN and ±inf go to elements that hold them, else the group's scale is
   * NaN; `'block'`: any makes its group's scale NaN; `'saturate'`: ±inf become ±max (TE's and
   * torchao's saturating casts) and NaN goes to the element, or makes the group NaN where the
   * element has none.
   */
  nonFinite?: 'element' | 'block' | 'saturate';
}

const SCHEMES = new WeakSet<ScaledScheme>();
const DEFAULT_TILE = 128;
const DEFAULT_RUN = 32;

/**
 * Resolves a scheme: an element format, a granularity, a scale format, a rule and a margin.
 *
 * @throws TypeError/RangeError naming the bad field
 * @example
 * ```ts
 * const s = scaledScheme({ element: 'float8_e4m3fn', granularity: '1xB' });
 * s.blockSize;          // 128
 * s.scaleFormat;        // 'float32'
 * s.element.max;        // 448
 * scaledScheme({ element: 'float4_e2m1fn', granularity: 'block' }).blockSize; // 32
 * ```
 */
export function scaledScheme(spec: ScaledSchemeSpec | ScaledScheme): ScaledScheme {
  return resolveScheme('scaledScheme', spec, 'spec');
}

/** {@link scaledScheme} with the caller's name in messages. @internal */
export function resolveScheme(fn: string, spec: unknown, param: string): ScaledScheme {
  if (SCHEMES.has(spec as ScaledScheme)) return spec as ScaledScheme;
  const o = checkObject(fn, param, spec) as unknown as ScaledSchemeSpec;
  checkKnownKeys(fn, o, ['element', 'granularity', 'blockSize', 'scaleFormat', 'rule', 'margin'], 'field');
  const element = elementOf(fn, o.element, `${param}.element`);
  const granularity = checkChoice(fn, `${param}.granularity`, o.granularity, GRANULARITIES, 'tensor');
  const fallback = granularity === 'block' ? DEFAULT_RUN : DEFAULT_TILE;
  const blockSize = o.blockSize === undefined ? fallback : checkInteger(fn, `${param}.blockSize`, o.blockSize, 1, 2 ** 20);
  const scaleFormat = resolveScaleFormat(fn, o.scaleFormat === undefined ? 'float32' : o.scaleFormat, `${param}.scaleFormat`)
    .format.name as ScaleFormatName;
  const rule = resolveScaleRule(fn, o.rule === undefined ? 'te' : o.rule, `${param}.rule`);
  const margin = o.margin === undefined ? 0 : checkInteger(fn, `${param}.margin`, o.margin, 0, 1074);
  const s: ScaledScheme = Object.freeze({ element, granularity, blockSize, scaleFormat, rule, margin });
  SCHEMES.add(s);
  return s;
}

/**
 * The groups of a rows × cols matrix cut into tiles of tr × tc (the last tiles hold the
 * remainder), tile by tile in row-major order of the tile grid, each tile's members row by row.
 */
function tiles(rows: number, cols: number, tr: number, tc: number): Grouping {
  const gr = Math.ceil(rows / tr);
  const gc = Math.ceil(cols / tc);
  const order = new Int32Array(rows * cols);
  const starts = new Int32Array(gr * gc + 1);
  let k = 0;
  let identity = true;
  for (let a = 0; a < gr; a++) {
    for (let b = 0; b < gc; b++) {
      starts[a * gc + b] = k;
      for (let r = a * tr; r < Math.min((a + 1) * tr, rows); r++) {
        for (let c = b * tc; c < Math.min((b + 1) * tc, cols); c++) {
          const i = r * cols + c;
          if (i !== k) identity = false;
          order[k++] = i;
        }
      }
    }
  }
  starts[gr * gc] = k;
  return { count: gr * gc, starts, order: identity ? null : order };
}

/** The groups of a scheme over a shape. @internal */
export function groupingOf(S: ScaledScheme, shape: readonly number[]): Grouping {
  const n = shape.reduce((a, b) => a * b, 1);
  const cols = shape.length === 0 ? 1 : shape[shape.length - 1]!;
  const rows = cols === 0 ? 0 : n / cols;
  if (n === 0) return { count: 0, starts: new Int32Array(1), order: null };
  const B = S.blockSize;
  const tile: Record<Granularity, [number, number]> = {
    tensor: [rows, cols],
    row: [1, cols],
    column: [rows, 1],
    '1xB': [1, B],
    BxB: [B, B],
    block: [0, 0],
  };
  if (S.granularity === 'block') return runs(n, B);
  const [tr, tc] = tile[S.granularity];
  return tiles(rows, cols, tr, tc);
}

/** Validates a shape for `n` elements. */
function checkShapeFor(fn: string, shape: unknown, n: number): readonly number[] {
  if (shape === undefined) return [n];
  if (!Array.isArray(shape)) throw new TypeError(`${fn}: opts.shape must be an array of integers, got ${describe(shape)}`);
  shape.forEach((d, i) => checkInteger(fn, `opts.shape[${i}]`, d, 0, Number.MAX_SAFE_INTEGER));
  const size = shape.reduce((a: number, b: number) => a * b, 1);
  if (size !== n) throw new RangeError(`${fn}: opts.shape [${shape.join(', ')}] holds ${size} elements, src has ${n}`);
  return Object.freeze([...shape]);
}

/**
 * Quantizes `src` with one scale per group of the scheme's granularity: for each group, the
 * rule turns its largest finite magnitude into a multiplier s (Transformer Engine's default:
 * s = (max_elem / amax) / 2^margin), the scale format stores it, and each element is stored as
 * the element nearest x·s (any rounding mode), saturated to the element's range. `src` is not
 * modified.
 *
 * The scheme (the format of the result) comes first, as in {@link mxQuantize}; values first is
 * refused with a TypeError that names the order.
 *
 * @param scheme - a {@link ScaledSchemeSpec} or a scheme from {@link scaledScheme}
 * @param src - the values: a Float32Array, Float64Array, array of numbers, or a Tensor (its shape is the default shape)
 * @param opts - `shape`, rounding mode (with `seed`/`random`), `flushSubnormals`, `nonFinite`
 * @throws TypeError/RangeError naming the parameter (and index) for a bad array, scheme, shape or option
 * @example
 * ```ts
 * const q = scaledQuantize({ element: 'float8_e4m3fn', granularity: 'row' }, [1, -2, 3, 100], { shape: [2, 2] });
 * q.scales;                 // Float32Array [224, 4.480000019073486] (448 / 2 and 448 / 100, in float32)
 * scaledDequantize(q);      // Float32Array [1, -2, 2.9017856121063232, 100] (3 × 4.48 = 13.44 is stored as 13)
 * q.nbytes;                 // 12
 * scaledQuantize({ element: 'float8_e4m3fn' }, [0, 0]).scales;   // Float32Array [1] (amax 0: TE keeps the scale 1)
 * scaledQuantize({ element: 'float8_e4m3fn', granularity: 'column' }, Tensor.from([[1, 2], [4, 8]])).scales; // Float32Array [112, 56]
 * ```
 */
export function scaledQuantize(
  scheme: ScaledSchemeSpec | ScaledScheme,
  src: NumberArray | TensorLike,
  opts?: ScaledQuantizeOptions,
): ScaledArray {
  checkFormatFirst('scaledQuantize', 'scheme', scheme);
  return quantizeAs('scaledQuantize', src, scheme, opts);
}

/** {@link scaledQuantize} with the caller's name in messages. @internal */
export function quantizeAs(
  fn: string,
  src: NumberArray | TensorLike,
  scheme: ScaledSchemeSpec | ScaledScheme,
  opts?: ScaledQuantizeOptions,
): ScaledArray {
  const tensor = isTensorLike(src);
  const values = tensor ? Float64Array.from(src.toArray()) : checkNumberArray(fn, src);
  const S = resolveScheme(fn, scheme, 'scheme');
  checkOptionsObject(fn, opts, [...ELEMENT_ROUNDING_KEYS, 'shape', 'nonFinite']);
  const o = resolveOptions(fn, opts, ['shape', 'nonFinite']);
  const nonFinite = checkChoice(fn, 'opts.nonFinite', opts?.nonFinite, ['element', 'block', 'saturate'], 'element');
  const wholeGroupNaN = nonFinite === 'block';
  const saturateInfinity = nonFinite === 'saturate';
  const shape = checkShapeFor(fn, opts?.shape !== undefined ? opts.shape : tensor ? src.shape : undefined, values.length);
  const G = groupingOf(S, shape);
  const SF = resolveScaleFormat(fn, S.scaleFormat, 'scaleFormat');
  const scales = SF.storage === 'multiplier' ? new Float32Array(G.count) : new Uint8Array(G.count);
  const E = S.element;
  const unpacked = new Uint8Array(values.length);
  quantizeGroups(
    E,
    values,
    G,
    (g, st) => {
      if ((st.nan || (st.inf && !saturateInfinity)) && (wholeGroupNaN || !E.hasNaN)) {
        scales[g] = nanScale(SF);
        return null;
      }
      const s = S.rule(st.amax, E, S.margin);
      if (typeof s !== 'number' || !(s > 0)) {
        throw new RangeError(
          `${fn}: scheme.rule must return a positive number (or Infinity), returned ${describe(s)} for amax ${st.amax}`,
        );
      }
      scales[g] = storeScale(SF, s);
      return applyOf(SF, scales[g]!);
    },
    o,
    unpacked,
    0,
    G.count,
    saturateInfinity,
  );
  const codes = new Uint8Array(packedLength(E.bits, values.length));
  packInto(E.bits, unpacked, codes);
  return Object.freeze({ scheme: S, shape, length: values.length, scales, codes, nbytes: scales.byteLength + codes.length });
}

/** A Tensor or anything shaped like one: not an array, with a shape and exact values. */
function isTensorLike(src: unknown): src is TensorLike {
  return (
    typeof src === 'object' &&
    src !== null &&
    !Array.isArray(src) &&
    !ArrayBuffer.isView(src) &&
    Array.isArray((src as TensorLike).shape) &&
    typeof (src as TensorLike).toArray === 'function'
  );
}

/** Checks a {@link ScaledArray}. @internal */
export function checkScaledArray(
  fn: string,
  q: unknown,
  param = 'q',
): { S: ScaledScheme; SF: ScaleFormat; G: Grouping; n: number; scales: Float32Array | Uint8Array; codes: Uint8Array } {
  const a = checkObject(fn, param, q, 'a ScaledArray (from scaledQuantize)') as Partial<ScaledArray>;
  const S = resolveScheme(fn, a.scheme, `${param}.scheme`);
  const n = checkInteger(fn, `${param}.length`, a.length, 0, Number.MAX_SAFE_INTEGER);
  const shape = checkShapeFor(fn, a.shape, n);
  const SF = resolveScaleFormat(fn, S.scaleFormat, 'scaleFormat');
  const G = groupingOf(S, shape);
  const Scales = SF.storage === 'multiplier' ? Float32Array : Uint8Array;
  for (const [field, Type, want] of [
    ['scales', Scales, G.count],
    ['codes', Uint8Array, packedLength(S.element.bits, n)],
  ] as const) {
    const v = a[field];
    if (!(v instanceof Type)) throw new TypeError(`${fn}: ${param}.${field} must be a ${Type.name}, got ${describe(v)}`);
    checkAttached(fn, `${param}.${field}`, v);
    if (v.length !== want) throw new RangeError(`${fn}: ${param}.${field} has ${v.length} entries; the scheme needs ${want}`);
  }
  return { S, SF, G, n, scales: a.scales!, codes: a.codes! };
}

/** The values of the element codes, through the public codec for float elements. */
function elementValues(E: MxElement, codes: Uint8Array, n: number): ArrayLike<number> {
  const unpacked = new Uint8Array(n);
  unpackInto(E.bits, codes, unpacked);
  return E.format
    ? decodeArray(E.format, unpacked, { out: new Float64Array(n) })
    : Array.from(unpacked, (c) => decodeElement(E, c));
}

/** The dequantized values of a checked array into `out`. @internal */
export function dequantizeGroups(
  S: ScaledScheme,
  SF: ScaleFormat,
  G: Grouping,
  n: number,
  scales: ArrayLike<number>,
  codes: Uint8Array,
  out: Float32Array | Float64Array,
): void {
  const v = elementValues(S.element, codes, n);
  for (let g = 0; g < G.count; g++) {
    const back = unscale(SF, scales[g]!);
    for (let k = G.starts[g]!; k < G.starts[g + 1]!; k++) {
      const i = G.order ? G.order[k]! : k;
      out[i] = back(v[i]!);
    }
  }
}

/**
 * The values of a scaled array: element × the group's factor (element / s for float32
 * multipliers), a Float32Array by default. A group whose scale is NaN reads as NaN.
 *
 * @param q - a {@link ScaledArray} from {@link scaledQuantize}
 * @param opts - `out`: a Float32Array or Float64Array of `q.length` elements
 * @throws TypeError/RangeError naming the field for a bad array or `out`
 * @example
 * ```ts
 * const q = scaledQuantize({ element: 'float4_e2m1fn', scaleFormat: 'float8_e8m0fnu', rule: 'ocp' }, [0.5, 3, -7]);
 * q.scales;                 // Uint8Array [127] (the factor 2^0: 7 has exponent 2, E2M1's emax)
 * scaledDequantize(q);      // Float32Array [0.5, 3, -6] (7 saturates to 6, as OCP MX clamps)
 * ```
 */
export function scaledDequantize(q: ScaledArray, opts?: { out?: Float32Array | Float64Array }): Float32Array | Float64Array {
  const fn = 'scaledDequantize';
  const { S, SF, G, n, scales, codes } = checkScaledArray(fn, q);
  checkOptionsObject(fn, opts, ['out']);
  const outArg = opts?.out;
  const given = checkOut(fn, outArg, [Float32Array, Float64Array], n);
  checkDisjoint(fn, codes, 'q.codes', given);
  checkDisjoint(fn, scales, 'q.scales', given);
  const out = given ?? allocate(fn, 'q.length', Float32Array, n);
  dequantizeGroups(S, SF, G, n, scales, codes, out);
  return outArg ?? out;
}

/** What {@link scaledReport} returns. */
export interface ScaledReport extends ReportTotals {
  /** Number of groups. */
  groups: number;
  /** Groups whose scale is NaN. */
  nanGroups: number;
  /** The same figures per group. */
  perGroup: GroupReport;
}

/**
 * What quantizing `src` into `q` cost: per group the dequantization factor, the elements that
 * saturated or flushed to zero, and the error of the stored values against the input (exact,
 * as doubles); the same over all groups.
 *
 * @param src - the values that were quantized
 * @param q - their quantization, from {@link scaledQuantize}
 * @throws TypeError/RangeError for a bad array or quantization, or when their lengths differ
 * @example
 * ```ts
 * const src = [1000, 1, 0.001];
 * const r = scaledReport(src, scaledQuantize({ element: 'float8_e4m3fn', margin: 1 }, src));
 * r.perGroup.scales;        // Float64Array [4.464285576487991] (1 / s, s = 448 / 1000 / 2 in float32)
 * r.underflow;          // 1 (0.001 × 0.224 is below E4M3's smallest 2^−9)
 * r.saturated;              // 0
 * ```
 */
export function scaledReport(src: NumberArray, q: ScaledArray): ScaledReport {
  const fn = 'scaledReport';
  const values = checkNumberArray(fn, src);
  const { S, SF, G, n, scales, codes } = checkScaledArray(fn, q);
  if (values.length !== n) throw new RangeError(`${fn}: src has ${values.length} elements, q has ${n}`);
  const stored = new Float64Array(n);
  dequantizeGroups(S, SF, G, n, scales, codes, stored);
  const E = S.element;
  const apply = Array.from(scales, (v) => (Object.is(v, nanScale(SF)) ? null : applyOf(SF, v)));
  const factor = (g: number): number => unscale(SF, scales[g]!)(1);
  const { totals, perGroup, nanGroups } = reportGroups(values, stored, G, factor, (x, g) => {
    const y = apply[g]!(x);
    return y > E.max || y < E.lowest;
  });
  return { ...totals, groups: G.count, nanGroups, perGroup };
}
