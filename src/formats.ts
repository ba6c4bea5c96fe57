/**
 * The format table: one record per format, holding only raw facts. Everything
 * else — masks, limits, special codes, finfo, codec behaviour — is derived from
 * the record by {@link deriveFormat}, never typed in by hand.
 */

import { exponentOf, ldexp, pow2 } from './core/bits.js';
import { checkInteger, checkKnownKeys, checkObject, describe } from './core/validation.js';

/**
 * How a format spends its special bit patterns, as ml_dtypes defines them.
 *
 * - `'ieee'`: IEEE 754 — the all-ones exponent holds ±inf (mantissa 0) and NaN (any other mantissa).
 * - `'fn'`: finite + NaN (OCP E4M3) — no inf; only S.1111.111 (exponent and mantissa all ones) is NaN.
 * - `'fnuz'`: finite, NaN, unsigned zero — no inf, no −0; the pattern 1000…0 is the only NaN; −0 rounds to +0.
 * - `'finite'`: finite only (the MX fp6/fp4 elements) — no inf, no NaN, with −0; overflow saturates to
 *   ±max and a NaN input is written as the sign-bit pattern (−0), as ml_dtypes does.
 * - `'fnu'`: finite, NaN, unsigned (E8M0) — no sign bit, no zero, no subnormals; the all-ones code is NaN.
 */
export type FormatKind = 'ieee' | 'fn' | 'fnuz' | 'finite' | 'fnu';

/** What each kind implies; the only place kinds are interpreted. */
const KIND_TRAITS: Readonly<
  Record<
    FormatKind,
    {
      /** A sign bit leads the code. */
      signed: boolean;
      /** Exponent field 0 holds zero and subnormals (otherwise it is an ordinary binade). */
      zero: boolean;
      /** −0 is a value of the format. */
      negativeZero: boolean;
      /** Which pattern is NaN: the IEEE exponent, the all-ones magnitude, the −0 pattern, or none. */
      nan: 'exponent' | 'allOnes' | 'negativeZero' | 'none';
    }
  >
> = {
  ieee: { signed: true, zero: true, negativeZero: true, nan: 'exponent' },
  fn: { signed: true, zero: true, negativeZero: true, nan: 'allOnes' },
  fnuz: { signed: true, zero: true, negativeZero: false, nan: 'negativeZero' },
  finite: { signed: true, zero: true, negativeZero: true, nan: 'none' },
  fnu: { signed: false, zero: false, negativeZero: false, nan: 'allOnes' },
};

/** The kinds, in table order (for validation messages and docs). */
export const FORMAT_KINDS: readonly FormatKind[] = Object.freeze(Object.keys(KIND_TRAITS) as FormatKind[]);

/** The raw facts that define a format. */
export interface FormatRecord {
  /** Canonical name, spelled as ml_dtypes and torch spell it (`'bfloat16'`, `'float8_e4m3fn'`). */
  readonly name: string;
  /** Total width of a code in bits, sign included (tf32: 19). */
  readonly bits: number;
  /** Width of the exponent field. */
  readonly expBits: number;
  /** Width of the stored mantissa (fraction) field, without the implicit leading bit. */
  readonly manBits: number;
  /** Exponent bias: a normal value is 1.f × 2^(E − bias) for exponent field E. */
  readonly bias: number;
  /** How the special patterns (inf, NaN, −0) are spent; see {@link FormatKind}. */
  readonly kind: FormatKind;
}

/**
 * A format: its {@link FormatRecord} and everything derived from it. Obtain one
 * with {@link format} or {@link defineFormat}; every function accepts it. A Format made by
 * another copy of floatlab (an ESM import beside a CommonJS require) or read back from JSON is
 * accepted too, by value: its record is validated and derived again, and every field must match.
 *
 * Code-valued fields (masks, `maxCode`, `infCode`, `nanCode`) are JS numbers, exact for
 * every format of at most 32 bits; float64's codes are `bigint` in the codec, and its
 * `magMask` and `maxCode` here are only approximate.
 */
export interface Format extends FormatRecord {
  /** A sign bit leads the code (false only for unsigned formats such as E8M0). */
  readonly signed: boolean;
  /** ±Infinity are values of the format. */
  readonly hasInf: boolean;
  /** The format has a NaN code. */
  readonly hasNaN: boolean;
  /** −0 is a value of the format (false for fnuz and unsigned formats). */
  readonly hasNegativeZero: boolean;
  /** Zero is a value of the format (false for E8M0); exponent field 0 is then the zero/subnormal binade. */
  readonly hasZero: boolean;
  /** Exponent field 0 holds subnormals (it holds only ±0 when manBits is 0). */
  readonly hasSubnormals: boolean;
  /** Number of distinct codes, 2^bits. */
  readonly codeCount: number;
  /** The sign bit's value in a code (0 for unsigned formats). */
  readonly signMask: number;
  /** Mask of the exponent field, in place. */
  readonly expMask: number;
  /** Mask of the mantissa field, in place: 2^manBits − 1. */
  readonly manMask: number;
  /** Mask of everything but the sign: the largest magnitude pattern. */
  readonly magMask: number;
  /** Exponent of the smallest normal value: 2^emin. */
  readonly emin: number;
  /** Exponent of the largest finite value. */
  readonly emax: number;
  /** Code of +max (the largest finite value). */
  readonly maxCode: number;
  /** Code of +Infinity, or -1 when the format has none. */
  readonly infCode: number;
  /** Code written for a NaN input: the canonical NaN, or the sign-bit pattern where there is no NaN. */
  readonly nanCode: number;
  /** Largest finite value. */
  readonly max: number;
  /** Lowest finite value: −max, or the smallest value for unsigned formats. */
  readonly lowest: number;
  /** Smallest positive normal value, 2^emin. */
  readonly smallestNormal: number;
  /** Smallest positive value (a subnormal where the format has them). */
  readonly smallestSubnormal: number;
}

/**
 * The format table. One line per format, raw facts only.
 */
const TABLE = [
  { name: 'float64', bits: 64, expBits: 11, manBits: 52, bias: 1023, kind: 'ieee' },
  { name: 'float32', bits: 32, expBits: 8, manBits: 23, bias: 127, kind: 'ieee' },
  { name: 'tf32', bits: 19, expBits: 8, manBits: 10, bias: 127, kind: 'ieee' },
  { name: 'float16', bits: 16, expBits: 5, manBits: 10, bias: 15, kind: 'ieee' },
  { name: 'bfloat16', bits: 16, expBits: 8, manBits: 7, bias: 127, kind: 'ieee' },
  { name: 'float8_e5m2', bits: 8, expBits: 5, manBits: 2, bias: 15, kind: 'ieee' },
  { name: 'float8_e4m3', bits: 8, expBits: 4, manBits: 3, bias: 7, kind: 'ieee' },
  { name: 'float8_e3m4', bits: 8, expBits: 3, manBits: 4, bias: 3, kind: 'ieee' },
  { name: 'float8_e4m3fn', bits: 8, expBits: 4, manBits: 3, bias: 7, kind: 'fn' },
  { name: 'float8_e4m3fnuz', bits: 8, expBits: 4, manBits: 3, bias: 8, kind: 'fnuz' },
  { name: 'float8_e5m2fnuz', bits: 8, expBits: 5, manBits: 2, bias: 16, kind: 'fnuz' },
  { name: 'float8_e4m3b11fnuz', bits: 8, expBits: 4, manBits: 3, bias: 11, kind: 'fnuz' },
  { name: 'float8_e8m0fnu', bits: 8, expBits: 8, manBits: 0, bias: 127, kind: 'fnu' },
  { name: 'float6_e2m3fn', bits: 6, expBits: 2, manBits: 3, bias: 1, kind: 'finite' },
  { name: 'float6_e3m2fn', bits: 6, expBits: 3, manBits: 2, bias: 3, kind: 'finite' },
  { name: 'float4_e2m1fn', bits: 4, expBits: 2, manBits: 1, bias: 1, kind: 'finite' },
] as const satisfies readonly FormatRecord[];

/** Canonical names of the built-in formats. */
export type FormatName = (typeof TABLE)[number]['name'];

/** Short names people use, each for one canonical name. The fp8_/fp6_/fp4_ ones are derived. */
const SHORT_ALIASES = {
  fp64: 'float64',
  f64: 'float64',
  double: 'float64',
  fp32: 'float32',
  f32: 'float32',
  float: 'float32',
  single: 'float32',
  fp16: 'float16',
  f16: 'float16',
  half: 'float16',
  bf16: 'bfloat16',
} as const satisfies Record<string, FormatName>;

type SubByteName = Extract<FormatName, `float${8 | 6 | 4}_${string}`>;
/** Every accepted alias of a built-in format. */
export type FormatAlias = keyof typeof SHORT_ALIASES | (SubByteName extends `float${infer W}_${infer R}` ? `fp${W}_${R}` : never);

/** Names of float64 and its aliases: the formats whose codes are `bigint`. */
export type Float64Name = 'float64' | 'fp64' | 'f64' | 'double';

/**
 * Anything that names a format: a canonical name, an alias, or a {@link Format}. A misspelt
 * name does not compile; a name known only at run time (from a user, a file) goes through
 * {@link format}, which takes any string and checks it.
 */
export type FormatLike = FormatName | FormatAlias | Format;

const FORMATS = new WeakSet<Format>();

function fail(fn: string, message: string): never {
  throw new RangeError(`${fn}: ${message}`);
}

/** Derives a {@link Format} from its record; throws a RangeError if the record cannot be a format. */
function deriveFormat(rec: FormatRecord, fn: string): Format {
  const traits = KIND_TRAITS[rec.kind];
  const signBits = traits.signed ? 1 : 0;
  if (rec.bits !== signBits + rec.expBits + rec.manBits) {
    fail(fn, `bits (${rec.bits}) must equal ${signBits} sign + expBits + manBits (${signBits + rec.expBits + rec.manBits})`);
  }
  const m = rec.manBits;
  const manMask = 2 ** m - 1;
  const expTop = 2 ** rec.expBits - 1;
  const magMask = 2 ** (rec.expBits + m) - 1;
  const signMask = traits.signed ? 2 ** (rec.bits - 1) : 0;
  const emin = (traits.zero ? 1 : 0) - rec.bias;
  const infCode = traits.nan === 'exponent' ? expTop * 2 ** m : -1;
  let nanCode: number;
  switch (traits.nan) {
    case 'exponent':
      nanCode = infCode + 2 ** (m - 1);
      break;
    case 'allOnes':
      nanCode = magMask;
      break;
    default:
      nanCode = signMask;
  }
  // The largest finite value's fields: below the inf exponent, or below the all-ones NaN pattern.
  const maxExpField = traits.nan === 'exponent' || (traits.nan === 'allOnes' && m === 0) ? expTop - 1 : expTop;
  const maxFraction = traits.nan === 'allOnes' && m > 0 ? manMask - 1 : manMask;
  const lowExponent = emin - (traits.zero ? m : 0);
  if (lowExponent < -1074 || maxExpField - rec.bias > 1023) {
    fail(fn, `the format's range (2^${lowExponent} … 2^${maxExpField - rec.bias + 1}) does not fit in a JS number`);
  }
  const max = ldexp(2 ** m + maxFraction, maxExpField - rec.bias - m);
  const smallestNormal = pow2(emin);
  const smallestSubnormal = pow2(lowExponent);
  const f: Format = {
    name: rec.name,
    bits: rec.bits,
    expBits: rec.expBits,
    manBits: rec.manBits,
    bias: rec.bias,
    kind: rec.kind,
    signed: traits.signed,
    hasInf: traits.nan === 'exponent',
    hasNaN: traits.nan !== 'none',
    hasNegativeZero: traits.negativeZero,
    hasZero: traits.zero,
    hasSubnormals: traits.zero && m > 0,
    codeCount: 2 ** rec.bits,
    signMask,
    expMask: expTop * 2 ** m,
    manMask,
    magMask,
    emin,
    emax: exponentOf(max),
    maxCode: maxExpField * 2 ** m + maxFraction,
    infCode,
    nanCode,
    max,
    lowest: traits.signed ? -max : smallestSubnormal,
    smallestNormal,
    smallestSubnormal,
  };
  Object.freeze(f);
  FORMATS.add(f);
  return f;
}

const BUILTIN = new Map<string, Format>();
for (const rec of TABLE) BUILTIN.set(rec.name, deriveFormat(rec, 'floatlab'));

const ALIASES = new Map<string, Format>();
for (const [alias, name] of Object.entries(SHORT_ALIASES)) ALIASES.set(alias, BUILTIN.get(name)!);
for (const [name, f] of BUILTIN) {
  const sub = /^float([864])_(.*)$/.exec(name);
  if (sub) ALIASES.set(`fp${sub[1]}_${sub[2]}`, f);
}

/** Canonical names of the built-in formats, in table order. */
export const FORMAT_NAMES: readonly FormatName[] = Object.freeze(TABLE.map((r) => r.name));

/** Every accepted alias, mapped to its canonical name. */
export const FORMAT_ALIASES: Readonly<Record<string, FormatName>> = Object.freeze(
  Object.fromEntries([...ALIASES].map(([alias, f]) => [alias, f.name as FormatName])),
);

/**
 * Resolves a format name, alias or {@link Format} to its {@link Format}.
 * Names are matched without regard to case.
 *
 * @param spec - a canonical name (`'bfloat16'`), an alias (`'bf16'`, `'fp8_e4m3fn'`) or a Format (from any copy of
 *   floatlab, or read back from JSON: the result is this copy's Format of that record); any string
 *   compiles here, so a name from a user is checked at run time: `encode(format(name), x)`
 * @throws RangeError for an unknown name (the message lists the valid ones), or a Format object whose fields
 *   do not derive from its record (naming the field); TypeError for anything else
 * @example
 * ```ts
 * format('bf16').manBits;            // 7
 * format('fp8_e4m3fn').max;          // 448
 * format('float16').smallestNormal;  // 0.00006103515625
 * ```
 */
export function format(spec: FormatLike | (string & {})): Format {
  return resolveFormat('format', spec);
}

/**
 * True for a {@link Format}: one from {@link format} or {@link defineFormat}, one made by another
 * copy of floatlab (an ESM import beside a CommonJS require), or one read back from JSON whose
 * fields are what its record derives — exactly the objects every function accepts as a format.
 * False for names (resolve them with {@link format}) and for block formats ({@link isMxFormat}).
 *
 * @example
 * ```ts
 * isFormat(format('bf16'));                                  // true
 * isFormat(JSON.parse(JSON.stringify(format('float16'))));   // true (a Format by value)
 * isFormat({ ...format('float16'), max: 1 });                // false (max does not derive from the record)
 * isFormat('bfloat16');                                      // false (a name, not a Format)
 * isFormat(mxFormat('mxfp4'));                               // false (a block format)
 * ```
 */
export function isFormat(x: unknown): x is Format {
  if (typeof x !== 'object' || x === null) return false;
  if (FORMATS.has(x as Format)) return true;
  if (Array.isArray(x) || ArrayBuffer.isView(x) || !RECORD_FIELDS.every((k) => k in x)) return false;
  try {
    formatByValue('isFormat', 'x', x as Record<string, unknown>);
    return true;
  } catch {
    return false;
  }
}

/** {@link format} with the calling function's name in error messages. @internal */
export function resolveFormat(fn: string, spec: unknown, param = 'fmt'): Format {
  if (typeof spec === 'string') {
    const key = spec.toLowerCase();
    const f = BUILTIN.get(key) ?? ALIASES.get(key);
    if (f) return f;
    throw new RangeError(
      `${fn}: unknown ${param} ${JSON.stringify(spec)}; the formats are ${FORMAT_NAMES.join(', ')} ` +
        `(aliases: ${Object.keys(FORMAT_ALIASES).join(', ')})`,
    );
  }
  if (typeof spec === 'object' && spec !== null) {
    if (FORMATS.has(spec as Format)) return spec as Format;
    if (!Array.isArray(spec) && !ArrayBuffer.isView(spec) && RECORD_FIELDS.every((k) => k in spec)) {
      return formatByValue(fn, param, spec as Record<string, unknown>);
    }
  }
  throw new TypeError(`${fn}: ${param} must be a format name or a Format from format()/defineFormat(), got ${describe(spec)}`);
}

/**
 * Every value of `F` (zeros, infinities and NaN included) is exactly a value of `G`: the one
 * predicate behind promotion, storage containers and the decode fast paths. Derived from the
 * records alone: the special values `F` has, its range, its precision in the binades both hold as
 * normals, and the finest spacing it uses (2^(emin − manBits), subnormal or not). @internal
 */
export function fitsIn(F: Format, G: Format): boolean {
  if (F === G) return true;
  if (F.signed && !G.signed) return false;
  if ((F.hasInf && !G.hasInf) || (F.hasNaN && !G.hasNaN)) return false;
  if ((F.hasZero && !G.hasZero) || (F.hasNegativeZero && !G.hasNegativeZero)) return false;
  return G.max >= F.max && G.manBits >= F.manBits && G.smallestSubnormal <= 2 ** (F.emin - F.manBits);
}

/** An array of codes: the container depends on the format's width. */
export type CodeArray = Uint8Array | Uint16Array | Uint32Array | BigUint64Array;

/** A typed-array constructor that holds F's codes: the narrowest of 8, 16, 32 and 64 bits. */
export type CodeContainer = Uint8ArrayConstructor | Uint16ArrayConstructor | Uint32ArrayConstructor | BigUint64ArrayConstructor;

/** The constructor of F's code container: the one rule for how wide a stored code is. @internal */
export function codeContainer(F: Format): CodeContainer {
  if (F.bits > 32) return BigUint64Array;
  if (F.bits > 16) return Uint32Array;
  if (F.bits > 8) return Uint16Array;
  return Uint8Array;
}

const RECORD_FIELDS = ['name', 'bits', 'expBits', 'manBits', 'bias', 'kind'] as const;
/** Formats met by value, by their record: the same fields give the same Format object. */
const BY_RECORD = new Map<string, Format>();

/**
 * A Format made by another copy of floatlab (an ESM import beside a CommonJS require, two
 * bundles) or read back from JSON: its record is validated and derived here, and every other
 * field must be what the record derives. Each field is read once. The result is this copy's
 * Format of that record (the built-in one for a built-in record).
 */
function formatByValue(fn: string, param: string, spec: Record<string, unknown>): Format {
  const fields: Record<string, unknown> = {};
  for (const key of Object.keys(BUILTIN.get('float32')!)) fields[key] = spec[key];
  const { name, bits, kind } = fields;
  const key = JSON.stringify(RECORD_FIELDS.map((k) => fields[k]));
  let F = BY_RECORD.get(key);
  if (F === undefined) {
    const builtin = typeof name === 'string' ? BUILTIN.get(name) : undefined;
    if (builtin) {
      const differ = RECORD_FIELDS.find((k) => !Object.is(builtin[k], fields[k]));
      if (differ) {
        throw new RangeError(
          `${fn}: ${param}.${differ} is ${describe(fields[differ])}, but ${name}'s is ${String(builtin[differ])}`,
        );
      }
      F = builtin;
    } else {
      F = formatFromSpec(fn, `${param}.`, {
        name: name as string,
        expBits: fields.expBits as number,
        manBits: fields.manBits as number,
        bias: fields.bias as number,
        kind: kind as FormatKind,
      });
      if (F.bits !== bits) throw new RangeError(`${fn}: ${param}.bits is ${describe(bits)}, the fields give ${F.bits}`);
    }
    BY_RECORD.set(key, F);
  }
  for (const k of Object.keys(F) as (keyof Format)[]) {
    if (!Object.is(F[k], fields[k])) {
      throw new RangeError(`${fn}: ${param}.${k} is ${describe(fields[k])}, but its record gives ${String(F[k])}`);
    }
  }
  return F;
}

/** What {@link defineFormat} takes. */
export interface FormatSpec {
  /** A name for messages and finfo's `dtype`; must not be a built-in name or alias. */
  name: string;
  /** Width of the exponent field, 1 … 11. */
  expBits: number;
  /** Width of the mantissa field, 0 … 52 (at most 32 bits in all). */
  manBits: number;
  /** Exponent bias; default 2^(expBits − 1) − 1. */
  bias?: number;
  /** Special-value kind; default `'ieee'`. */
  kind?: FormatKind;
}

const SPEC_FIELDS = ['name', 'expBits', 'manBits', 'bias', 'kind'];

/**
 * Makes a custom format that every floatlab function accepts. Its limits, finfo and
 * codec behaviour are derived exactly as for the built-in formats.
 *
 * @throws TypeError naming the field for a spec that is not an object or a field of the wrong type;
 *   RangeError naming it for an unknown field, a field out of range, an unknown kind or a taken name
 * @example
 * ```ts
 * const e3m3 = defineFormat({ name: 'e3m3', expBits: 3, manBits: 3 });
 * e3m3.bits;          // 7
 * e3m3.max;           // 15
 * round(e3m3, 1.3);   // 1.25
 * ```
 */
export function defineFormat(spec: FormatSpec): Format {
  const fn = 'defineFormat';
  checkKnownKeys(fn, checkObject(fn, 'spec', spec), SPEC_FIELDS, 'field');
  return formatFromSpec(fn, '', spec);
}

/** Validates a spec's fields (named `prefix` + field in errors) and derives its Format. */
function formatFromSpec(fn: string, prefix: string, spec: FormatSpec): Format {
  const { name, kind = 'ieee' } = spec;
  if (typeof name !== 'string' || name.length === 0) {
    throw new TypeError(`${fn}: ${prefix}name must be a non-empty string, got ${describe(name)}`);
  }
  if (BUILTIN.has(name.toLowerCase()) || ALIASES.has(name.toLowerCase())) {
    throw new RangeError(`${fn}: ${prefix}name ${JSON.stringify(name)} is taken by a built-in format`);
  }
  if (typeof kind !== 'string' || !Object.hasOwn(KIND_TRAITS, kind)) {
    throw new (typeof kind === 'string' ? RangeError : TypeError)(
      `${fn}: ${prefix}kind must be one of ${FORMAT_KINDS.join(', ')}, got ${describe(kind)}`,
    );
  }
  const expBits = checkInteger(fn, `${prefix}expBits`, spec.expBits, 1, 11);
  const manBits = checkInteger(fn, `${prefix}manBits`, spec.manBits, 0, 52);
  const bias = spec.bias === undefined ? 2 ** (expBits - 1) - 1 : checkInteger(fn, `${prefix}bias`, spec.bias, -2048, 2048);
  const bits = (KIND_TRAITS[kind].signed ? 1 : 0) + expBits + manBits;
  if (bits > 32) throw new RangeError(`${fn}: a custom format has at most 32 bits, this one has ${bits}`);
  if (kind === 'ieee' && (manBits < 1 || expBits < 2)) {
    throw new RangeError(`${fn}: an 'ieee' format needs expBits >= 2 and manBits >= 1 to hold inf and NaN`);
  }
  return deriveFormat({ name, bits, expBits, manBits, bias, kind }, fn);
}
