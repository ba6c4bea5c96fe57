/**
 * The explorer's model: one input seen in one format — its code, value, error, class,
 * neighbours, and what every rounding option would store. Pure; the view only draws it.
 */
import {
  classify,
  decode,
  encode,
  exactDecimal,
  type FloatClass,
  type Format,
  nextDown,
  nextUp,
  ROUNDING_MODES,
  type RoundingOptions,
} from 'floatlab';
import { codecCode, toBig } from './bits.js';
import { type ParsedInput, type ParseResult, parseCode, parseValue } from './parse.js';

/** The rounding options the explorer compares: every mode, then saturate and flushSubnormals. */
export const OPTION_ROWS: readonly { label: string; opts: RoundingOptions }[] = [
  ...ROUNDING_MODES.map((rounding) => ({
    label: rounding === 'stochastic' ? 'stochastic (seed 0)' : rounding,
    opts: rounding === 'stochastic' ? { rounding, seed: 0 } : { rounding },
  })),
  { label: 'saturate', opts: { saturate: true } },
  { label: 'flushSubnormals', opts: { flushSubnormals: true } },
];

/** One format's view of the input. */
export interface Cell {
  format: Format;
  /** The code stored (the typed code itself in the format it was typed for). */
  code: bigint;
  /** The value of that code. */
  value: number;
  /** Every digit of the value. */
  exact: string;
  /** value − input, and |value − input| / |input| (NaN where undefined). */
  error: number;
  relError: number;
  class: FloatClass;
  /** The neighbours of the stored value (NaN for NaN). */
  down: number;
  up: number;
  /** The code and value under each of {@link OPTION_ROWS}. */
  options: { label: string; code: bigint; value: number }[];
}

/** The input box's text read as a value, or as a code of `as` when a format is picked. */
export function readInput(text: string, as: Format | null): ParseResult {
  return as ? parseCode(text, as.bits) : parseValue(text);
}

/** The real number an input stands for: the value, or the value of the code in the format it was typed for. */
export function inputValue(input: ParsedInput, as: Format | null): number {
  if (input.kind === 'value') return input.value;
  if (!as) throw new RangeError('inputValue: a code needs the format it belongs to');
  return decode(as, codecCode(as, input.code));
}

/** The cell of format `F` for `input` (a code typed for `as`, or a value). */
export function cellOf(F: Format, input: ParsedInput, as: Format | null): Cell {
  const x = inputValue(input, as);
  const own = input.kind === 'code' && as === F;
  const code = own ? input.code : toBig(encode(F, x));
  const value = decode(F, codecCode(F, code));
  const error = value - x;
  return {
    format: F,
    code,
    value,
    exact: own ? exactDecimal('float64', value) : exactDecimal(F, x),
    error,
    relError: x === 0 ? (value === 0 ? 0 : Infinity) : Math.abs(error / x),
    class: classify(F, codecCode(F, code)),
    down: nextDown(F, value),
    up: nextUp(F, value),
    options: OPTION_ROWS.map(({ label, opts }) => {
      const c = toBig(encode(F, x, opts));
      return { label, code: c, value: decode(F, codecCode(F, c)) };
    }),
  };
}

/** A number as the shortest decimal that reads back as the same double, with `inf`, `nan`, `-0`. */
export function full(v: number): string {
  if (v !== v) return 'nan';
  if (Math.abs(v) === Infinity) return v > 0 ? 'inf' : '-inf';
  return Object.is(v, -0) ? '-0' : String(v);
}

/** A number in short form for tables: up to 7 significant digits, `inf`, `nan`, `-0`. */
export function short(v: number): string {
  if (v !== v) return 'nan';
  if (v === Infinity) return 'inf';
  if (v === -Infinity) return '-inf';
  if (Object.is(v, -0)) return '-0';
  const a = Math.abs(v);
  if (a !== 0 && (a < 1e-4 || a >= 1e7)) return v.toExponential(6).replace(/\.?0+e/, 'e');
  return String(Number(v.toPrecision(7)));
}
