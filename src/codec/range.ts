/**
 * Range checks: what casting an array into a format would do to it — how many values overflow,
 * underflow, land among the subnormals or change at all — in one pass that allocates nothing
 * that grows with the input, over one array (checkRange) or a stream of chunks (createRangeCheck).
 */
import type { NumberArray } from '../core/views.js';
import { type Format, type FormatLike, resolveFormat } from '../formats.js';
import { type ResolvedOptions, type RoundingOptions, resolveOptions } from '../options.js';
import { type OverflowFlag, roundValue } from '../round.js';
import { checkNumberArray, guardSource } from './array.js';
import { CHUNK, forEachIndexChunk } from './fast/bulk.js';

/** What {@link checkRange} reports about an array's values in a format. */
export interface RangeReport {
  /** Elements checked. */
  count: number;
  /** NaN inputs. */
  nan: number;
  /** ±Infinity inputs. */
  infinite: number;
  /**
   * Finite inputs whose rounding went past ±max: the result is ±inf or NaN, or ±max where
   * `saturate`, the rounding mode or the format (MX fp6/fp4) clamps it. Also finite inputs whose
   * result is NaN for want of a value: negative numbers and zero in float8_e8m0fnu.
   */
  overflow: number;
  /** Nonzero finite inputs whose result is ±0 (with `flushSubnormals`, subnormal results too). */
  underflow: number;
  /** Results that are nonzero and finite but below the smallest normal value (subnormals). */
  subnormal: number;
  /**
   * Results that differ from their input as numbers: NaN for NaN and a zero that loses its
   * sign (in a format without −0) do not count; inf clamped to max and NaN written as −0 do.
   */
  inexact: number;
  /** The largest |x| of the finite inputs; 0 when there is none. */
  maxAbs: number;
  /** The smallest |x| of the finite nonzero inputs; Infinity when there is none. */
  minAbsNonzero: number;
  /** Index of the first overflowing input, or -1. */
  firstOverflow: number;
  /** Index of the first underflowing input, or -1. */
  firstUnderflow: number;
}

/** Checks arrays chunk by chunk, as if they were one array; see {@link createRangeCheck}. */
export interface RangeCheck {
  /** Checks the next chunk; its indices continue from the chunks before. Returns the check. */
  add(chunk: NumberArray): RangeCheck;
  /** The report over every chunk added so far (a new object each call). */
  report(): RangeReport;
}

/** The running totals, and the one place an element is classified. */
class Tally {
  count = 0;
  nan = 0;
  infinite = 0;
  overflow = 0;
  underflow = 0;
  subnormal = 0;
  inexact = 0;
  maxAbs = 0;
  minAbsNonzero = Infinity;
  firstOverflow = -1;
  firstUnderflow = -1;

  constructor(private readonly smallestNormal: number) {}

  /** Element i was x and rounded to r; `overflowed` when the rounding went past max. */
  add(i: number, x: number, r: number, overflowed: boolean): void {
    this.count++;
    if (x !== x) {
      this.nan++;
      if (r === r) this.inexact++;
      return;
    }
    const a = x < 0 ? -x : x;
    if (a === Infinity) {
      this.infinite++;
      if (r !== x) this.inexact++;
      return;
    }
    if (a > this.maxAbs) this.maxAbs = a;
    if (a !== 0 && a < this.minAbsNonzero) this.minAbsNonzero = a;
    const ra = r < 0 ? -r : r;
    if (overflowed || r !== r || ra === Infinity) {
      this.overflow++;
      if (this.firstOverflow < 0) this.firstOverflow = i;
    } else if (r === 0) {
      if (a !== 0) {
        this.underflow++;
        if (this.firstUnderflow < 0) this.firstUnderflow = i;
      }
    } else if (ra < this.smallestNormal) {
      this.subnormal++;
    }
    if (r !== x) this.inexact++;
  }

  report(): RangeReport {
    const {
      count,
      nan,
      infinite,
      overflow,
      underflow,
      subnormal,
      inexact,
      maxAbs,
      minAbsNonzero,
      firstOverflow,
      firstUnderflow,
    } = this;
    return {
      count,
      nan,
      infinite,
      overflow,
      underflow,
      subnormal,
      inexact,
      maxAbs,
      minAbsNonzero,
      firstOverflow,
      firstUnderflow,
    };
  }
}

class Check implements RangeCheck {
  private readonly tally: Tally;
  private readonly flag: OverflowFlag = { overflow: false };
  private readonly scratch = new Uint16Array(CHUNK);

  constructor(
    private readonly fn: string,
    private readonly F: Format,
    private readonly o: ResolvedOptions,
    private readonly fast: boolean,
  ) {
    this.tally = new Tally(F.smallestNormal);
  }

  add(chunk: NumberArray): RangeCheck {
    const param = this.fn === 'checkRange' ? 'src' : 'chunk';
    const src = checkNumberArray(this.fn, chunk, param);
    const { F, tally, flag } = this;
    const o = guardSource(this.fn, this.o, src, param);
    const base = tally.count;
    const fast =
      this.fast &&
      forEachIndexChunk(F, src, o, this.scratch, (from, to, indices, map) => {
        const { values, ovf, width } = map;
        for (let i = from; i < to; i++) {
          const k = indices[i - from]!;
          tally.add(base + i, src[i]!, values[k]!, k === ovf || k === width + ovf);
        }
      });
    if (!fast) {
      for (let i = 0; i < src.length; i++) {
        flag.overflow = false;
        const x = src[i]!;
        tally.add(base + i, x, roundValue(F, x, o, flag), flag.overflow);
      }
    }
    return this;
  }

  report(): RangeReport {
    return this.tally.report();
  }
}

/**
 * What rounding every element of `src` into `fmt` would do, without writing anything: counts
 * of NaN and infinite inputs, overflows, underflows, subnormal and inexact results, the range
 * of the finite magnitudes, and where the first overflow and underflow are. One pass; nothing
 * allocated grows with a typed array input (an array of numbers is copied once into a Float64Array). This is the check a trainer runs on activations and gradients
 * before it casts them. The options are those of {@link encodeArray}; a stochastic check draws
 * as encodeArray does, so with the same seed it describes exactly the codes encodeArray writes.
 *
 * @param fmt - the target format
 * @param src - the values (not modified)
 * @param opts - rounding mode, saturate, flushSubnormals, seed/random
 * @throws TypeError/RangeError naming the parameter (and index) for a bad array, element or option; a TypeError
 *   if `opts.random` detaches or resizes `src` mid-array
 * @example
 * ```ts
 * const r = checkRange('float16', [1, 1e5, 1e-9, 1e-6, 0.1, NaN]);
 * r.overflow;        // 1 (1e5 > 65504 becomes inf)
 * r.firstOverflow;   // 1
 * r.underflow;       // 1 (1e-9 rounds to 0)
 * r.subnormal;       // 1 (1e-6)
 * r.inexact;         // 4
 * r.maxAbs;          // 100000
 * checkRange('float8_e4m3fn', new Float32Array([500, -1000]), { saturate: true }).overflow; // 2
 * ```
 */
export function checkRange(fmt: FormatLike, src: NumberArray, opts?: RoundingOptions): RangeReport {
  return checkWith('checkRange', fmt, opts, true).add(src).report();
}

/** {@link checkRange} by the generic per-element loop only: the reference for the fast path. @internal */
export function checkRangeGeneric(fmt: FormatLike, src: NumberArray, opts?: RoundingOptions): RangeReport {
  return checkWith('checkRange', fmt, opts, false).add(src).report();
}

/**
 * A range check over a stream of chunks (a file read piece by piece): `add` each chunk in order,
 * then `report()` gives what {@link checkRange} gives for all the chunks concatenated, indices
 * counted from the start of the first chunk. A stochastic check keeps one random sequence
 * across chunks. Holds a fixed 8 KiB of scratch memory, however much is added (an array of
 * numbers is copied once, for the call that adds it).
 *
 * @param fmt - the target format
 * @param opts - as for {@link checkRange}
 * @throws TypeError/RangeError naming a bad format or option; `add` throws as {@link checkRange} does for a bad chunk,
 *   naming `chunk` (and the index), before anything is counted
 * @example
 * ```ts
 * const check = createRangeCheck('bfloat16').add(new Float32Array([1, 2])).add([3e38, 4e38]);
 * check.report().count;          // 4
 * check.report().firstOverflow;  // 3 (4e38 is past bfloat16's max, 3.39e38)
 * ```
 */
export function createRangeCheck(fmt: FormatLike, opts?: RoundingOptions): RangeCheck {
  return checkWith('createRangeCheck', fmt, opts, true);
}

/** {@link createRangeCheck} by the generic loop only. @internal */
export function createRangeCheckGeneric(fmt: FormatLike, opts?: RoundingOptions): RangeCheck {
  return checkWith('createRangeCheck', fmt, opts, false);
}

function checkWith(fn: string, fmt: FormatLike, opts: RoundingOptions | undefined, fast: boolean): Check {
  const F = resolveFormat(fn, fmt);
  const o = resolveOptions(fn, opts);
  return new Check(fn === 'checkRange' ? fn : 'RangeCheck.add', F, o, fast);
}
