/**
 * Scale selection: a group's largest finite magnitude (amax) to its scale, by a pluggable rule,
 * and the scale stored in a scale format and applied to the elements. A rule returns the
 * quantization multiplier s (the convention of Transformer Engine's `scale` and torchao's
 * `_scale`: an element stores x·s, and reads back as code / s); the scale format then stores
 * it as its reference does — float32 keeps s itself, E8M0 a power of two, E4M3 the divisor 1/s.
 */

import { decodeCode } from '../codec/decode.js';
import { encodeExact } from '../codec/encode.js';
import { exponentOf, pow2 } from '../core/bits.js';
import { describe } from '../core/validation.js';
import { type Format, resolveFormat } from '../formats.js';
import { DEFAULT_OPTIONS, type ResolvedOptions } from '../options.js';
import { roundValue } from '../round.js';

/**
 * A scale rule: from a group's amax, the element's limits and the margin, the quantization
 * multiplier s (elements store x·s). gfloat's `compute_scale` plays this part.
 */
export type ScaleRuleFunction = (
  amax: number,
  element: { readonly max: number; readonly emax: number },
  margin: number,
) => number;

/**
 * The built-in scale rules, by the reference each follows: Transformer Engine, torchao, OCP MX.
 *
 * @example
 * ```ts
 * SCALE_RULE_NAMES;   // ['te', 'torchao', 'ocp']
 * ```
 */
export const SCALE_RULE_NAMES = Object.freeze(['te', 'torchao', 'ocp'] as const);

/** A built-in rule name, or a {@link ScaleRuleFunction}. */
export type ScaleRule = (typeof SCALE_RULE_NAMES)[number] | ScaleRuleFunction;

const FLOAT32 = resolveFormat('floatlab', 'float32');
/** torchao's `EPS` in `amax_to_scale`: the amax is clamped to it, so an all-zero tensor gets max / 1e-12. */
const TORCHAO_EPS = 1e-12;

/**
 * Transformer Engine's rule (`_default_sf_compute`, `compute_scale_from_amax`): s = (max / amax)
 * / 2^margin, the division in float32; an amax of 0 or ±inf keeps the scale 1; a quotient
 * past float32 becomes float32's max.
 */
export function teScale(amax: number, element: { readonly max: number }, margin: number): number {
  if (amax === 0 || !Number.isFinite(amax)) return 1;
  const s = Math.fround(element.max / Math.fround(amax));
  return s === Infinity ? FLOAT32.max : Math.fround(s / 2 ** margin);
}

/** torchao's rule (`amax_to_scale`): s = max / max(amax, 1e-12), in float64, then rounded to float32; then / 2^margin (torchao has no margin). */
export function torchaoScale(amax: number, element: { readonly max: number }, margin: number): number {
  return Math.fround(Math.fround(element.max / Math.max(amax, TORCHAO_EPS)) / 2 ** margin);
}

/**
 * OCP MX's rule (v1.0 §6.3): s = 2^(emax_elem − ⌊log2 amax⌋ − margin), so the largest
 * magnitude lands in the element's top binade; an amax of 0 gives +Infinity (the smallest
 * scale the scale format holds).
 */
export function ocpScale(amax: number, element: { readonly emax: number }, margin: number): number {
  if (amax === 0) return Infinity;
  const e = element.emax - exponentOf(amax) - margin;
  return e > 1023 ? Infinity : pow2(Math.max(e, -1074));
}

const RULES: Record<(typeof SCALE_RULE_NAMES)[number], ScaleRuleFunction> = { te: teScale, torchao: torchaoScale, ocp: ocpScale };

/** Resolves a rule name or function (errors name `fn` and `param`). @internal */
export function resolveScaleRule(fn: string, rule: unknown, param: string): ScaleRuleFunction {
  if (typeof rule === 'function') return rule as ScaleRuleFunction;
  if (typeof rule === 'string' && Object.hasOwn(RULES, rule)) return RULES[rule as keyof typeof RULES];
  if (typeof rule !== 'string') throw new TypeError(`${fn}: ${param} must be a rule name or a function, got ${describe(rule)}`);
  throw new RangeError(`${fn}: unknown ${param} ${JSON.stringify(rule)}; the rules are ${SCALE_RULE_NAMES.join(', ')}`);
}

/** What a scale format keeps of the multiplier s, and how it is applied. */
export type ScaleStorage = 'multiplier' | 'powerOfTwo' | 'divisor';

/**
 * The scale formats, one record each: what each keeps, as the reference that uses it does —
 * float32 the multiplier itself (TE, torchao), E8M0 a power of two (OCP MX; TE's and torchao's
 * power-of-two scales round s down to one), E4M3 the divisor 1/s (NVFP4's block scales).
 */
const SCALE_TABLE = [
  { format: 'float32', storage: 'multiplier' },
  { format: 'float8_e8m0fnu', storage: 'powerOfTwo' },
  { format: 'float8_e4m3fn', storage: 'divisor' },
] as const satisfies readonly { format: string; storage: ScaleStorage }[];

/** Names of the scale formats. */
export type ScaleFormatName = (typeof SCALE_TABLE)[number]['format'];

/**
 * Names of the scale formats, in table order.
 *
 * @example
 * ```ts
 * SCALE_FORMAT_NAMES;   // ['float32', 'float8_e8m0fnu', 'float8_e4m3fn']
 * ```
 */
export const SCALE_FORMAT_NAMES: readonly ScaleFormatName[] = Object.freeze(SCALE_TABLE.map((r) => r.format));

/** A resolved scale format: its Format and what it stores. @internal */
export interface ScaleFormat {
  readonly format: Format;
  readonly storage: ScaleStorage;
}

const SCALE_FORMATS = new Map<string, ScaleFormat>(
  SCALE_TABLE.map((r) => [r.format, Object.freeze({ format: resolveFormat('floatlab', r.format), storage: r.storage })]),
);

/** Resolves a scale format name (errors name `fn` and `param`). @internal */
export function resolveScaleFormat(fn: string, spec: unknown, param: string): ScaleFormat {
  const f = typeof spec === 'string' ? SCALE_FORMATS.get(spec) : undefined;
  if (f) return f;
  if (typeof spec !== 'string') throw new TypeError(`${fn}: ${param} must be a scale format name, got ${describe(spec)}`);
  throw new RangeError(`${fn}: unknown ${param} ${JSON.stringify(spec)}; the scale formats are ${SCALE_FORMAT_NAMES.join(', ')}`);
}

/**
 * The E8M0-style code of a power-of-two scale for multiplier s: 2^⌊log2 s⌋ (s rounded down to a
 * power of two, as TE's `force_pow_2_scales` and torchao's `round_scales_to_power_of_2` do),
 * kept as the dequantization factor 2^−⌊log2 s⌋ clamped to the format's exponents. @internal
 */
export function powerOfTwoScaleCode(S: Format, s: number): number {
  const down = s === Infinity ? S.emin : s === 0 ? S.emax : -exponentOf(s);
  return Math.min(Math.max(down, S.emin), S.emax) + S.bias;
}

const SMALLEST_NORMAL_DOUBLE = 2 ** -1022;

/**
 * x / 2^(code − bias) for finite x, exactly — or ±MIN_VALUE where the quotient falls below the
 * normal doubles (every element rounds such a value as it rounds the exact quotient). @internal
 */
export function powerOfTwoApply(S: Format, code: number): (x: number) => number {
  const down = pow2(S.bias - code);
  return (x) => {
    const y = x * down;
    if (x !== 0 && Math.abs(y) < SMALLEST_NORMAL_DOUBLE) return x < 0 ? -Number.MIN_VALUE : Number.MIN_VALUE;
    return y;
  };
}

const SATURATE: ResolvedOptions = { ...DEFAULT_OPTIONS, saturate: true };

/**
 * Stores multiplier s in the scale format: a float32 multiplier kept in [2^−149, max]; a power
 * of two as its code; an E4M3 divisor 1/s rounded to nearest and kept in [smallest normal, max],
 * as torchao clamps NVFP4's block scales. Returns the stored value (a float32, or a code). @internal
 */
export function storeScale(S: ScaleFormat, s: number): number {
  const F = S.format;
  if (S.storage === 'multiplier') return Math.min(Math.max(Math.fround(s), F.smallestSubnormal), F.max);
  if (S.storage === 'powerOfTwo') return powerOfTwoScaleCode(F, s);
  return encodeExact(F, Math.min(Math.max(roundValue(F, 1 / s, SATURATE), F.smallestNormal), F.max));
}

/** The stored value that marks a NaN scale. @internal */
export function nanScale(S: ScaleFormat): number {
  return S.storage === 'multiplier' ? NaN : S.format.nanCode;
}

/**
 * How a finite element is scaled under a stored (non-NaN) scale, as the reference computes it:
 * x·s in float32 (TE's and torchao's casts), x / 2^k exactly (MX), x / d in float32 (NVFP4). @internal
 */
export function applyOf(S: ScaleFormat, stored: number): (x: number) => number {
  if (S.storage === 'multiplier') return (x) => Math.fround(x * stored);
  if (S.storage === 'powerOfTwo') return powerOfTwoApply(S.format, stored);
  const d = decodeCode(S.format, stored);
  return (x) => Math.fround(x / d);
}

/**
 * How an element value reads back under a stored scale: code value / s for a float32
 * multiplier (torchao's `to_original_precision`), × the decoded factor otherwise (NaN for a
 * NaN code). @internal
 */
export function unscale(S: ScaleFormat, stored: number): (v: number) => number {
  if (S.storage === 'multiplier') return (v) => v / stored;
  const f = decodeCode(S.format, stored);
  return (v) => v * f;
}
