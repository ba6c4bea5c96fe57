/**
 * Parsing what people type for numbers and codes, strictly: a typo is an error, never a
 * silently different number.
 */
import picomatch from 'picomatch';
import { checkCode } from '../codec/decode.js';
import { ldexp } from '../core/bits.js';
import type { TensorInfo } from '../files/tensors.js';
import { FORMAT_ALIASES, FORMAT_NAMES, type Format, resolveFormat } from '../formats.js';
import type { RoundingMode, RoundingOptions } from '../options.js';

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

/** The edit distance of `a` and `b` (insertions, deletions, substitutions). */
function editDistance(a: string, b: string): number {
  let row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const next = [i];
    for (let j = 1; j <= b.length; j++) {
      next[j] = Math.min(row[j]! + 1, next[j - 1]! + 1, row[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    row = next;
  }
  return row[b.length]!;
}

/** The format name or alias nearest to `name`, when one is near enough to be a typo. */
export function nearestFormat(name: string): string | undefined {
  const key = name.toLowerCase().replace(/[-.\s]/g, '_');
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of [...FORMAT_NAMES, ...Object.keys(FORMAT_ALIASES)]) {
    // a tie goes to the name that continues what was typed (fp8_e4m3f → fp8_e4m3fn)
    const d = editDistance(key, candidate) - (candidate.startsWith(key) ? 0.5 : 0);
    if (d < bestDistance) [best, bestDistance] = [FORMAT_ALIASES[candidate] ?? candidate, d];
  }
  return bestDistance <= Math.max(2, Math.floor(key.length / 3)) ? best : undefined;
}

/**
 * A format named on the command line by `param` (`FORMAT`, `--to`); an unknown name is an input
 * error naming the parameter, the nearest format and where the list is.
 */
export function cliFormat(name: string, param = 'FORMAT'): Format {
  try {
    return resolveFormat('floatlab', name, 'format');
  } catch (err) {
    if (typeof name !== 'string') throw err;
    const near = nearestFormat(name);
    throw new InputError(
      `${param}: unknown format ${JSON.stringify(name)}${near ? `; did you mean '${near}'?` : ''} (\`floatlab finfo --table\` lists the formats)`,
    );
  }
}

/**
 * The rounding options of a command's `--rounding`, `--saturate` and `--seed`. Stochastic rounding
 * on the command line is always seeded (0 unless `--seed` says), so a command run twice prints the same.
 */
export function cliRounding(mode: RoundingMode, saturate: boolean | undefined, seed?: string): RoundingOptions {
  if (seed !== undefined && !/^\d{1,15}$/.test(seed)) {
    throw new InputError(`--seed must be a non-negative integer, got ${JSON.stringify(seed)}`);
  }
  return { rounding: mode, saturate: Boolean(saturate), ...(mode === 'stochastic' ? { seed: Number(seed ?? 0) } : {}) };
}

/**
 * The predicate of `--keep PATTERN...`: globs on tensor names (picomatch, with `.` an ordinary
 * character and `*` crossing dots, so `'*norm*'` matches `model.layers.0.input_layernorm.weight`);
 * it returns the reason a tensor is kept, naming the pattern.
 */
export function cliKeep(patterns: readonly string[] | undefined): ((t: TensorInfo) => string | false) | undefined {
  if (!patterns?.length) return undefined;
  const matchers = patterns.map((p) => {
    if (p === '') throw new InputError('--keep: empty pattern');
    return [p, picomatch(p, { dot: true, bash: true })] as const;
  });
  return (t) => {
    const hit = matchers.find(([, m]) => m(t.name));
    return hit ? `kept by --keep '${hit[0]}'` : false;
  };
}
