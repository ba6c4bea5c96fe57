/**
 * The rounding options every codec function takes, and their validation.
 */

import { checkSeed, createRandom, type RandomSource } from './core/random.js';
import { checkBoolean, checkOptionsObject, describe } from './core/validation.js';

/** The rounding modes, in the order docs and tables list them. */
export const ROUNDING_MODES = Object.freeze([
  'tiesToEven',
  'tiesToAway',
  'towardZero',
  'towardPositive',
  'towardNegative',
  'toOdd',
  'stochastic',
] as const);

/**
 * How a value that falls between two representable numbers is rounded.
 *
 * - `'tiesToEven'` (default): nearest; a tie goes to the even significand (IEEE 754 roundTiesToEven).
 * - `'tiesToAway'`: nearest; a tie goes away from zero.
 * - `'towardZero'`: truncation.
 * - `'towardPositive'` / `'towardNegative'`: the neighbour above / below.
 * - `'toOdd'`: the neighbour with an odd significand when inexact (no double-rounding errors later).
 * - `'stochastic'`: away from zero with probability (|x| − lower) / gap, so the result is unbiased.
 */
export type RoundingMode = (typeof ROUNDING_MODES)[number];

/** Options of {@link encode} and {@link round}, and of every function built on them. */
export interface RoundingOptions {
  /** Rounding mode; default `'tiesToEven'`. */
  rounding?: RoundingMode;
  /** Clamp every overflow and ±inf to ±max instead of inf/NaN; default false. */
  saturate?: boolean;
  /** Results in the subnormal range become ±0; default false. */
  flushSubnormals?: boolean;
  /** Seed for `'stochastic'`: the same seed gives the same draws. */
  seed?: number;
  /** Source of uniform numbers in [0, 1) for `'stochastic'` (instead of `seed`); one draw per inexact value. */
  random?: () => number;
  /**
   * The code a NaN result gets (encode, encodeArray, and the file converters): `'canonical'`
   * (default) writes the format's one canonical NaN; `'preserve'` keeps the sign (of the NaN, or
   * of the finite value that overflowed into NaN) and as many of the NaN's top payload bits as the
   * format's mantissa holds, with the quiet bit set, as numpy's and torch's float casts do for
   * quiet NaNs. A format with one NaN per sign (float8_e4m3fn) keeps the sign only; one with a
   * single NaN (the fnuz formats, float8_e8m0fnu) and one without NaN (MX fp6/fp4) write it as
   * `'canonical'` does.
   */
  nan?: NaNPolicy;
}

/**
 * The rounding options of functions whose elements always saturate (MX and scaled quantization):
 * every rounding option but `saturate`.
 */
export type ElementRoundingKey = Exclude<keyof RoundingOptions, 'saturate'>;

/** What a NaN result is written as: see {@link RoundingOptions.nan}. */
export type NaNPolicy = 'canonical' | 'preserve';

/** The NaN policies, in the order docs list them. */
export const NAN_POLICIES: readonly NaNPolicy[] = Object.freeze(['canonical', 'preserve'] as const);

/** The option names accepted by the scalar codec. */
export const ROUNDING_OPTION_KEYS: readonly string[] = Object.freeze([
  'rounding',
  'saturate',
  'flushSubnormals',
  'seed',
  'random',
  'nan',
]);

/** The option names of {@link ElementRoundingKey}. @internal */
export const ELEMENT_ROUNDING_KEYS: readonly ElementRoundingKey[] = Object.freeze(
  ROUNDING_OPTION_KEYS.filter((k): k is ElementRoundingKey => k !== 'saturate'),
);

/** Index of each mode in {@link ROUNDING_MODES}; the codec switches on these small integers. @internal */
export const Mode = {
  TiesToEven: 0,
  TiesToAway: 1,
  TowardZero: 2,
  TowardPositive: 3,
  TowardNegative: 4,
  ToOdd: 5,
  Stochastic: 6,
} as const;
/** A mode's index. @internal */
export type Mode = (typeof Mode)[keyof typeof Mode];

/** Validated options. @internal */
export interface ResolvedOptions {
  readonly mode: Mode;
  readonly saturate: boolean;
  readonly flushSubnormals: boolean;
  /** The uniform source for stochastic rounding (unused otherwise). */
  readonly random: RandomSource;
  /** `random` calls the caller's `opts.random`: code that may run mid-array and change the arrays. */
  readonly userRandom?: boolean;
  /** NaN results keep sign and payload (`nan: 'preserve'`); the fast paths leave such calls to the generic loop. */
  readonly preserveNaN?: boolean;
}

/** The default options, shared so the common call allocates nothing. @internal */
export const DEFAULT_OPTIONS: ResolvedOptions = Object.freeze({
  mode: Mode.TiesToEven,
  saturate: false,
  flushSubnormals: false,
  random: Math.random,
});

/** Validates a rounding mode name. @internal */
export function resolveMode(fn: string, rounding: unknown): Mode {
  const i = ROUNDING_MODES.indexOf(rounding as RoundingMode);
  if (i < 0) {
    if (typeof rounding !== 'string') {
      throw new TypeError(`${fn}: opts.rounding must be a string, got ${describe(rounding)}`);
    }
    throw new RangeError(`${fn}: unknown rounding mode ${JSON.stringify(rounding)}; the modes are ${ROUNDING_MODES.join(', ')}`);
  }
  return i as Mode;
}

/**
 * Validates `opts` (undefined or a {@link RoundingOptions}, plus any `extraKeys` the
 * caller handles itself) into {@link ResolvedOptions}.
 * @internal
 */
export function resolveOptions(fn: string, opts: unknown, extraKeys: readonly string[] = []): ResolvedOptions {
  const o = checkOptionsObject(fn, opts, extraKeys.length ? [...ROUNDING_OPTION_KEYS, ...extraKeys] : ROUNDING_OPTION_KEYS);
  if (o === undefined) return DEFAULT_OPTIONS;
  // Each option is read once: a getter cannot pass the check with one value and be used with another.
  const { rounding, seed, random: callback } = o;
  const mode = rounding === undefined ? Mode.TiesToEven : resolveMode(fn, rounding);
  const saturate = checkBoolean(fn, 'opts.saturate', o.saturate, false);
  const nan = o.nan;
  if (nan !== undefined && !NAN_POLICIES.includes(nan as NaNPolicy)) {
    if (typeof nan !== 'string') throw new TypeError(`${fn}: opts.nan must be a string, got ${describe(nan)}`);
    throw new RangeError(`${fn}: unknown opts.nan ${JSON.stringify(nan)}; the policies are ${NAN_POLICIES.join(', ')}`);
  }
  const preserveNaN = nan === 'preserve';
  const flushSubnormals = checkBoolean(fn, 'opts.flushSubnormals', o.flushSubnormals, false);
  let random: RandomSource = Math.random;
  if (callback !== undefined && seed !== undefined) {
    throw new TypeError(`${fn}: give opts.seed or opts.random, not both`);
  }
  if (callback !== undefined) {
    if (typeof callback !== 'function') {
      throw new TypeError(`${fn}: opts.random must be a function returning numbers in [0, 1), got ${describe(callback)}`);
    }
    random = checkedRandom(fn, callback as () => unknown);
  } else if (seed !== undefined) {
    random = createRandom(checkSeed(fn, 'opts.seed', seed));
  }
  if (mode === Mode.TiesToEven && !saturate && !flushSubnormals && !preserveNaN) return DEFAULT_OPTIONS;
  return { mode, saturate, flushSubnormals, random, userRandom: callback !== undefined, ...(preserveNaN ? { preserveNaN } : {}) };
}

/** Wraps a caller's random source so a bad draw is an error, not a silent bias. */
function checkedRandom(fn: string, random: () => unknown): RandomSource {
  return () => {
    const u = random();
    if (typeof u !== 'number' || !(u >= 0 && u < 1)) {
      throw new RangeError(`${fn}: opts.random() must return a number in [0, 1), returned ${describe(u)}`);
    }
    return u;
  };
}
