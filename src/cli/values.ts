/**
 * Parsing what people type for numbers and codes, strictly: a typo is an error, never a
 * silently different number.
 */
import { ldexp } from '../core/bits.js';
import { type Format, resolveFormat } from '../formats.js';
import type { RoundingMode, RoundingOptions } from '../options.js';
import { checkCode } from '../codec/decode.js';

/** Marks an argument such as `-inf` so the option parser leaves it alone (see runCli). */
export const VALUE_MARK = '\u0000';

/** A usage or input error: the CLI prints its message on one line and exits with 2. */
export class InputError extends Error {}

const DECIMAL = /^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i;
const HEX_FLOAT = /^([-+]?)0x([0-9a-f]*)(?:\.([0-9a-f]*))?(?:p([-+]?\d+))?$/i;

/** A hex float's exact value, rounded once to the nearest double (ties to even). */
function hexFloat(sign: string, intDigits: string, fracDigits: string, exp: string | undefined): number {
  const digits = intDigits + fracDigits;
  let M = BigInt(`0x${digits || '0'}`);
  let e = Number(exp ?? 0) - 4 * fracDigits.length;
  const neg = sign === '-';
  if (M === 0n) return neg ? -0 : 0;
  const top = M.toString(2).length - 1 + e; // exponent of the leading bit
  if (top > 1023) return neg ? -Infinity : Infinity;
  const q = Math.max(top - 52, -1074); // exponent of the last bit a double can keep
  if (q > e) {
    const shift = BigInt(q - e);
    const kept = M >> shift;
    const rem = M - (kept << shift);
    const half = 1n << (shift - 1n);
    M = rem > half || (rem === half && (kept & 1n) === 1n) ? kept + 1n : kept;
    e = q;
  }
  const v = ldexp(Number(M), e);
  return neg ? -v : v;
}

/**
 * A number from text: a decimal (`0.1`, `-3e-5`), `inf`/`infinity`/`nan` (any case, signed),
 * or a hex float (`0x1.8p-3`). Decimals are read as JS reads them: the nearest double.
 */
export function parseValue(text: string): number {
  const t = text.replace(VALUE_MARK, '').trim();
  const special = /^([-+]?)(inf|infinity|nan)$/i.exec(t);
  if (special) {
    if (special[2]!.toLowerCase() === 'nan') return NaN;
    return special[1] === '-' ? -Infinity : Infinity;
  }
  if (DECIMAL.test(t)) return Number(t);
  const hex = HEX_FLOAT.exec(t);
  if (hex && (hex[2] || hex[3])) return hexFloat(hex[1]!, hex[2]!, hex[3] ?? '', hex[4]);
  throw new InputError(`VALUE: not a number: ${JSON.stringify(text)} (use a decimal, inf, nan or a hex float such as 0x1.8p-3)`);
}

/** A code of F from text (`0x3c00`, `0b0011110000000000`, `15360`): a bigint for float64. */
export function parseCode(F: Format, text: string): number | bigint {
  const t = text.trim();
  if (!/^(0x[0-9a-f]+|0b[01]+|0o[0-7]+|\d+)$/i.test(t)) {
    throw new InputError(`VALUE: not a code: ${JSON.stringify(text)} (use hex 0x…, binary 0b… or decimal digits)`);
  }
  const big = BigInt(t);
  const code = F.bits === 64 ? big : Number(big);
  try {
    checkCode('code', F, code);
  } catch {
    throw new InputError(`VALUE: code ${text} is out of range for ${F.name} (${F.bits} bits)`);
  }
  return code;
}

/**
 * A format named on the command line by `param` (`FORMAT`, `--to`); an unknown name is an input
 * error naming the parameter and listing the formats.
 */
export function cliFormat(name: string, param = 'FORMAT'): Format {
  try {
    return resolveFormat('floatlab', name, 'format');
  } catch (err) {
    throw new InputError(`${param}: ${(err as Error).message.replace(/^floatlab: /, '')}`);
  }
}

/**
 * The rounding options of a command's `--rounding` and `--saturate`. Stochastic rounding on the
 * command line is seeded (0), so a command run twice prints the same.
 */
export function cliRounding(mode: RoundingMode, saturate: boolean | undefined): RoundingOptions {
  return { rounding: mode, saturate: Boolean(saturate), ...(mode === 'stochastic' ? { seed: 0 } : {}) };
}
