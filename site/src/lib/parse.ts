/**
 * What the explorer's input box accepts: a value (decimal, `inf`, `nan`, a hex float such as
 * `0x1.8p-3`) or, with a format picked, a code of that format in hex (`0x3c00`), binary
 * (`0b0011110000000000`) or decimal.
 */

/** A parsed input: a real number, or a code of one format. */
export type ParsedInput = { kind: 'value'; value: number } | { kind: 'code'; code: bigint };

/** The result of parsing: the input, or a message saying what is wrong. */
export type ParseResult = { ok: true; input: ParsedInput } | { ok: false; error: string };

const SPECIALS: Record<string, number> = { inf: Infinity, infinity: Infinity, nan: NaN };
const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;
const HEX_FLOAT = /^([+-]?)0x([0-9a-f]*)\.?([0-9a-f]*)p([+-]?\d+)$/i;

/** `2^e` times `x` (an integer of at most 54 bits, so every step below stays exact when the result is). */
function scale2(x: number, e: number): number {
  // 2 ** e alone underflows or overflows for |e| > 1023 even when the product is representable.
  if (e < -1022) return x * 2 ** (e + 200) * 2 ** -200;
  if (e > 1023) return x * 2 ** (e - 200) * 2 ** 200;
  return x * 2 ** e;
}

/**
 * `m × 2^e` rounded to the nearest double, ties to even (what a C compiler does with a hex float
 * literal): exact arithmetic on BigInt, one rounding.
 */
export function roundBigToDouble(m: bigint, e: number): number {
  if (m === 0n) return 0;
  const length = m.toString(2).length;
  const top = length - 1 + e; // exponent of the leading bit
  if (top > 1023) return Infinity;
  // Bits the double keeps: 53, fewer in the subnormal range.
  const keep = top >= -1022 ? 53 : 53 - (-1022 - top);
  if (keep < 0) return 0;
  const drop = length - keep;
  if (drop > 0) {
    const half = 1n << BigInt(drop - 1);
    const rest = m & ((1n << BigInt(drop)) - 1n);
    let q = m >> BigInt(drop);
    if (rest > half || (rest === half && (q & 1n) === 1n)) q += 1n;
    m = q;
    e += drop;
  }
  return scale2(Number(m), e);
}

/** A hex float (`0x1.8p-3`, `-0x.4p2`, `0x1p+10`) as the nearest double, or undefined if `text` is not one. */
export function parseHexFloat(text: string): number | undefined {
  const m = HEX_FLOAT.exec(text.trim());
  if (!m) return undefined;
  const [, sign, whole = '', frac = '', exp = '0'] = m;
  if (whole === '' && frac === '') return undefined;
  const digits = BigInt(`0x${whole}${frac}`);
  const v = roundBigToDouble(digits, Number(exp) - 4 * frac.length);
  return sign === '-' ? -v : v;
}

/** A value: decimal, `inf`, `-inf`, `nan`, or a hex float. */
export function parseValue(text: string): ParseResult {
  const t = text.trim();
  const lower = t.toLowerCase();
  const sign = lower.startsWith('-') ? -1 : 1;
  const bare = lower.replace(/^[+-]/, '');
  if (Object.hasOwn(SPECIALS, bare)) return { ok: true, input: { kind: 'value', value: sign * SPECIALS[bare]! } };
  if (DECIMAL.test(t)) return { ok: true, input: { kind: 'value', value: Number(t) } };
  const hex = parseHexFloat(t);
  if (hex !== undefined) return { ok: true, input: { kind: 'value', value: hex } };
  return {
    ok: false,
    error: `not a number: ${JSON.stringify(text)} (try 0.1, -2.5e-3, inf, nan or a hex float such as 0x1.8p-3)`,
  };
}

/** A code of a `bits`-wide format: `0x…` hex, `0b…` binary or a decimal integer, below 2^bits. */
export function parseCode(text: string, bits: number): ParseResult {
  const t = text.trim().toLowerCase().replace(/_/g, '');
  if (!/^(0x[0-9a-f]+|0b[01]+|\d+)$/.test(t)) {
    return { ok: false, error: `not a code: ${JSON.stringify(text)} (try 0x3c00, 0b0011110000000000 or 15360)` };
  }
  const code = BigInt(t);
  if (code >= 1n << BigInt(bits)) return { ok: false, error: `code ${text.trim()} does not fit in ${bits} bits` };
  return { ok: true, input: { kind: 'code', code } };
}
