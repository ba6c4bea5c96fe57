/**
 * The MX block formats of the OCP Microscaling Formats (MX) Specification v1.0: one record
 * per block format, raw facts only (the element and the block size). Everything else —
 * the element's limits, the scale's range, bits per element, bytes per block — is derived
 * by {@link deriveMxFormat}, never typed in by hand.
 */
import { exponentOf, pow2 } from '../core/bits.js';
import { checkInteger, checkKnownKeys, checkObject, describe } from '../core/validation.js';
import { type Format, type FormatLike, type FormatName, resolveFormat } from '../formats.js';

/**
 * An integer element: a two's complement integer k of `bits` bits that stands for
 * k × 2^−fractionBits. MXINT8's element is `{ name: 'int8', bits: 8, fractionBits: 6 }`:
 * the values k/64 for k = −128 … 127, that is −2 … 1 63/64.
 */
export interface MxIntElement {
  /** Name for messages and docs, e.g. `'int8'`. */
  readonly name: string;
  /** Width of the two's complement integer, 2 … 8. */
  readonly bits: number;
  /** The implicit scale: k stands for k × 2^−fractionBits (OCP INT8: 6). */
  readonly fractionBits: number;
}

/** The raw facts that define a block format. */
export interface MxFormatRecord {
  /** Canonical name, as OCP, torchao and gfloat spell it (`'mxfp4_e2m1'`). */
  readonly name: string;
  /** The element: a scalar format of at most 8 bits (by name), or an integer element. */
  readonly element: FormatName | MxIntElement;
  /** Elements per block that share one scale (OCP: 32). */
  readonly blockSize: number;
  /** The block scale's format; default float8_e8m0fnu (OCP MX). */
  readonly scale?: FormatName;
}

/**
 * The block format table (OCP MX v1.0, Table 1). One line per block format, raw facts only.
 * Every block shares one E8M0 scale; elements are the OCP formats as ml_dtypes names them.
 */
const MX_TABLE = [
  { name: 'mxfp8_e5m2', element: 'float8_e5m2', blockSize: 32 },
  { name: 'mxfp8_e4m3', element: 'float8_e4m3fn', blockSize: 32 },
  { name: 'mxfp6_e3m2', element: 'float6_e3m2fn', blockSize: 32 },
  { name: 'mxfp6_e2m3', element: 'float6_e2m3fn', blockSize: 32 },
  { name: 'mxfp4_e2m1', element: 'float4_e2m1fn', blockSize: 32 },
  { name: 'mxint8', element: { name: 'int8', bits: 8, fractionBits: 6 }, blockSize: 32 },
] as const satisfies readonly MxFormatRecord[];

/**
 * Two-level block formats: block scales in a format with mantissa bits, under one float32
 * scale per tensor. NVFP4 (NVIDIA; torchao's `NVFP4Tensor`): E2M1 elements, one E4M3 scale
 * per 16 elements.
 */
const TWO_LEVEL_TABLE = [
  { name: 'nvfp4', element: 'float4_e2m1fn', blockSize: 16, scale: 'float8_e4m3fn' },
] as const satisfies readonly MxFormatRecord[];

/** Canonical names of the built-in block formats. */
export type MxFormatName = (typeof MX_TABLE)[number]['name'];

/** Names of the built-in two-level block formats: `'nvfp4'`. */
export type TwoLevelFormatName = (typeof TWO_LEVEL_TABLE)[number]['name'];

/**
 * Anything that names a block format: a canonical name (any case), the alias `'mxfp4'`
 * (a width with one element format), or an {@link MxFormat}.
 */
export type MxFormatLike = MxFormatName | TwoLevelFormatName | MxFormat | (string & {});

/**
 * The element of a block format, described the same way whether it is a float or an
 * integer: the limits the scale selection and the codec need.
 */
export interface MxElement {
  /** The element's name: the scalar format's canonical name, or the integer element's. */
  readonly name: string;
  /** `'float'` for a scalar float format, `'int'` for a two's complement integer element. */
  readonly kind: 'float' | 'int';
  /** The scalar format of a float element; null for an integer element. */
  readonly format: Format | null;
  /** The integer element's record; null for a float element. */
  readonly int: MxIntElement | null;
  /** Width of one element code in bits. */
  readonly bits: number;
  /** Exponent of the largest finite element value, OCP's emax_elem: floor(log2(max)). */
  readonly emax: number;
  /** Largest finite element value. */
  readonly max: number;
  /** Most negative element value (−max for floats; −2^(bits−1−fractionBits) for integers). */
  readonly lowest: number;
  /** Smallest positive element value. */
  readonly smallest: number;
  /** The element can hold ±Infinity (only float8_e5m2 among the OCP elements). */
  readonly hasInf: boolean;
  /** The element can hold NaN (the float8 elements). */
  readonly hasNaN: boolean;
}

/**
 * A block format: its record and everything derived from it. Obtain one with
 * {@link mxFormat} or {@link defineMxFormat}; every MX function accepts it.
 */
export interface MxFormat {
  /** Canonical name (`'mxfp4_e2m1'`), or the name given to {@link defineMxFormat}. */
  readonly name: string;
  /** The element and its limits. */
  readonly element: MxElement;
  /** Elements per block that share one scale. */
  readonly blockSize: number;
  /** The block scale's format: float8_e8m0fnu (E8M0: powers of two 2^−127 … 2^127 and NaN) for MX, float8_e4m3fn for NVFP4. */
  readonly scaleFormat: Format;
  /**
   * Whether a float32 scale per tensor sits over the block scales (two-level scaling, NVFP4):
   * derived — a block scale format with mantissa bits has too little range on its own.
   */
  readonly tensorScale: boolean;
  /** Storage per element, scale included: element bits + 8 / blockSize (MXFP4: 4.25). */
  readonly bitsPerElement: number;
  /** Bytes of packed element codes in one full block (MXFP4: 16). */
  readonly codeBytesPerBlock: number;
  /** Bytes of one full block, scale included (MXFP4: 17). */
  readonly bytesPerBlock: number;
}

/** What {@link defineMxFormat} takes. */
export interface MxFormatSpec {
  /** The element: a scalar format of at most 8 bits with a sign bit, an integer element, or another block format's `element`. */
  element: FormatLike | MxIntElement | MxElement;
  /** Elements per block, 1 … 2^20; default 32. The block's codes must fill whole bytes: blockSize × element bits a multiple of 8. */
  blockSize?: number;
  /** A name for messages; default `mx_<element>_<blockSize>`. Must not be a built-in block format's name. */
  name?: string;
}

const MX_FORMATS = new WeakSet<MxFormat>();
const ELEMENTS = new WeakSet<MxElement>();
const SCALE_FORMAT = resolveFormat('floatlab', 'float8_e8m0fnu');
const DEFAULT_BLOCK_SIZE = 32;
const MAX_BLOCK_SIZE = 2 ** 20;

/** Derives the element description of a scalar float format or an integer element. */
function deriveElement(fn: string, spec: Format | MxIntElement): MxElement {
  let e: MxElement;
  if ('kind' in spec) {
    const F = spec;
    if (F.bits > 8 || !F.signed) {
      throw new RangeError(
        `${fn}: an element must be a signed format of at most 8 bits, got ${F.name} (${F.bits} bits${F.signed ? '' : ', unsigned'})`,
      );
    }
    e = {
      name: F.name,
      kind: 'float',
      format: F,
      int: null,
      bits: F.bits,
      emax: F.emax,
      max: F.max,
      lowest: F.lowest,
      smallest: F.smallestSubnormal,
      hasInf: F.hasInf,
      hasNaN: F.hasNaN,
    };
  } else {
    const bits = checkInteger(fn, 'element.bits', spec.bits, 2, 8);
    const fractionBits = checkInteger(fn, 'element.fractionBits', spec.fractionBits, 0, 126);
    const name = typeof spec.name === 'string' && spec.name.length > 0 ? spec.name : `int${bits}`;
    const int = Object.freeze({ name, bits, fractionBits });
    const max = (2 ** (bits - 1) - 1) * pow2(-fractionBits);
    e = {
      name,
      kind: 'int',
      format: null,
      int,
      bits,
      emax: exponentOf(max),
      max,
      lowest: -(2 ** (bits - 1)) * pow2(-fractionBits),
      smallest: pow2(-fractionBits),
      hasInf: false,
      hasNaN: false,
    };
  }
  Object.freeze(e);
  ELEMENTS.add(e);
  return e;
}

/** Derives a block format from its element, block size and scale format. */
function deriveMxFormat(fn: string, name: string, element: MxElement, blockSize: number, scaleFormat = SCALE_FORMAT): MxFormat {
  const codeBits = blockSize * element.bits;
  if (codeBits % 8 !== 0) {
    throw new RangeError(
      `${fn}: blockSize × element bits (${blockSize} × ${element.bits}) must be a multiple of 8, so that every block starts on a byte`,
    );
  }
  const f: MxFormat = {
    name,
    element,
    blockSize,
    scaleFormat,
    tensorScale: scaleFormat.manBits > 0,
    bitsPerElement: element.bits + scaleFormat.bits / blockSize,
    codeBytesPerBlock: codeBits / 8,
    bytesPerBlock: codeBits / 8 + scaleFormat.bits / 8,
  };
  Object.freeze(f);
  MX_FORMATS.add(f);
  return f;
}

/** The element a block or scaled format is made of: a scalar format of at most 8 bits, an integer element, or an element already derived. @internal */
export function elementOf(
  fn: string,
  spec: MxFormatRecord['element'] | FormatLike | MxIntElement | MxElement,
  param = 'element',
): MxElement {
  if (typeof spec === 'object' && spec !== null && ELEMENTS.has(spec as MxElement)) return spec as MxElement;
  if (typeof spec === 'object' && spec !== null && !('kind' in spec) && 'bits' in spec) {
    return deriveElement(fn, spec as MxIntElement);
  }
  return deriveElement(fn, resolveFormat(fn, spec, param));
}

const BUILTIN = new Map<string, MxFormat>();
for (const rec of [...MX_TABLE, ...TWO_LEVEL_TABLE] as readonly MxFormatRecord[]) {
  const scale = resolveFormat('floatlab', rec.scale ?? SCALE_FORMAT);
  BUILTIN.set(rec.name, deriveMxFormat('floatlab', rec.name, elementOf('floatlab', rec.element), rec.blockSize, scale));
}

/** Aliases: `mxfp<W>` for a width W that only one built-in block format has. */
const ALIASES = new Map<string, MxFormat>();
{
  const byWidth = new Map<string, MxFormat[]>();
  for (const [name, f] of BUILTIN) {
    const w = /^(mxfp\d+)_/.exec(name)?.[1];
    if (w) byWidth.set(w, [...(byWidth.get(w) ?? []), f]);
  }
  for (const [w, fs] of byWidth) if (fs.length === 1) ALIASES.set(w, fs[0]!);
}

/**
 * Canonical names of the built-in block formats, in table order.
 *
 * @example
 * ```ts
 * MX_FORMAT_NAMES.length;   // 6
 * MX_FORMAT_NAMES[4];       // 'mxfp4_e2m1'
 * ```
 */
export const MX_FORMAT_NAMES: readonly MxFormatName[] = Object.freeze(MX_TABLE.map((r) => r.name));

/** Names of the built-in two-level block formats (not OCP MX, so not in {@link MX_FORMAT_NAMES}). */
const TWO_LEVEL_NAMES: readonly string[] = TWO_LEVEL_TABLE.map((r) => r.name);

/**
 * Resolves a block format name (any case), alias or {@link MxFormat} to its {@link MxFormat}. An MxFormat
 * made by another copy of floatlab, or read back from JSON, is accepted by value: its element and
 * block size are validated and derived again, and every field must match.
 *
 * @throws RangeError for an unknown name (the message lists the valid ones) or an MxFormat object whose fields do
 *   not derive from its element and block size; TypeError for anything else
 * @example
 * ```ts
 * mxFormat('mxfp4_e2m1').bitsPerElement;     // 4.25
 * mxFormat('mxfp4_e2m1').bytesPerBlock;      // 17
 * mxFormat('MXFP8_E4M3').element.emax;       // 8
 * mxFormat('mxint8').element.max;            // 1.984375
 * mxFormat('mxfp4').name;                    // 'mxfp4_e2m1'
 * mxFormat('nvfp4').bitsPerElement;          // 4.5 (E2M1 and one E4M3 scale per 16, under a float32 tensor scale)
 * mxFormat('nvfp4').tensorScale;             // true
 * ```
 */
export function mxFormat(spec: MxFormatLike): MxFormat {
  return resolveMxFormat('mxFormat', spec);
}

/** {@link mxFormat} with the calling function's name in error messages. @internal */
export function resolveMxFormat(fn: string, spec: unknown, param = 'blockFormat'): MxFormat {
  if (typeof spec === 'string') {
    const key = spec.toLowerCase();
    const f = BUILTIN.get(key) ?? ALIASES.get(key);
    if (f) return f;
    throw new RangeError(
      `${fn}: unknown ${param} ${JSON.stringify(spec)}; the block formats are ${MX_FORMAT_NAMES.join(', ')} ` +
        `(aliases: ${[...ALIASES.keys()].join(', ')}); two-level: ${TWO_LEVEL_NAMES.join(', ')}`,
    );
  }
  if (isMxFormat(spec)) return spec;
  if (looksLikeMxFormat(spec)) return mxFormatByValue(fn, param, spec as Record<string, unknown>);
  throw new TypeError(
    `${fn}: ${param} must be a block format name or an MxFormat from mxFormat()/defineMxFormat(), got ${describe(spec)}`,
  );
}

/**
 * True for an {@link MxFormat} (a block format), false for anything else, a scalar
 * {@link Format} included. It narrows a `Tensor`'s `dtype`, which is a `Format` or an `MxFormat`.
 *
 * @example
 * ```ts
 * isMxFormat(mxFormat('mxfp4'));                                  // true
 * isMxFormat(Tensor.zeros([2], { dtype: 'mxfp8_e4m3' }).dtype);   // true
 * isMxFormat(Tensor.zeros([2], { dtype: 'float16' }).dtype);      // false
 * isMxFormat('mxfp4_e2m1');                                       // false (a name, not an MxFormat)
 * ```
 */
export function isMxFormat(spec: unknown): spec is MxFormat {
  return typeof spec === 'object' && spec !== null && MX_FORMATS.has(spec as MxFormat);
}

/** True for an {@link MxFormat}, an object with its fields, and a string that names a built-in block format. @internal */
export function isMxFormatLike(spec: unknown): boolean {
  if (typeof spec === 'string') return BUILTIN.has(spec.toLowerCase()) || ALIASES.has(spec.toLowerCase());
  return isMxFormat(spec) || looksLikeMxFormat(spec);
}

const MX_FIELDS = ['name', 'element', 'blockSize', 'scaleFormat', 'bitsPerElement', 'codeBytesPerBlock', 'bytesPerBlock'];
const ELEMENT_FIELDS = ['name', 'kind', 'bits', 'emax', 'max', 'lowest', 'smallest', 'hasInf', 'hasNaN'];

/** An object with every field of an MxFormat (made by another copy of floatlab, or read back from JSON). */
function looksLikeMxFormat(spec: unknown): boolean {
  return typeof spec === 'object' && spec !== null && !isMxFormat(spec) && MX_FIELDS.every((k) => k in spec);
}

/** Block formats met by value, by their record: the same fields give the same MxFormat object. */
const BY_RECORD = new Map<string, MxFormat>();

/**
 * An MxFormat made by another copy of floatlab or read back from JSON: its element (by its
 * scalar format or integer record) and block size are validated and derived here, and every
 * other field must be what they derive. Each field is read once.
 */
function mxFormatByValue(fn: string, param: string, spec: Record<string, unknown>): MxFormat {
  const fields: Record<string, unknown> = {};
  for (const k of MX_FIELDS) fields[k] = spec[k];
  const given = checkObject(fn, `${param}.element`, fields.element);
  const elementFields: Record<string, unknown> = {};
  for (const k of [...ELEMENT_FIELDS, 'format', 'int']) elementFields[k] = given[k];
  const { name, blockSize } = fields;
  if (typeof name !== 'string' || name.length === 0) {
    throw new TypeError(`${fn}: ${param}.name must be a non-empty string, got ${describe(name)}`);
  }
  const element = ELEMENTS.has(given as unknown as MxElement)
    ? (given as unknown as MxElement)
    : elementFields.kind === 'int'
      ? deriveElement(fn, checkObject(fn, `${param}.element.int`, elementFields.int) as unknown as MxIntElement)
      : deriveElement(fn, resolveFormat(fn, elementFields.format, `${param}.element.format`));
  const size = checkInteger(fn, `${param}.blockSize`, blockSize, 1, MAX_BLOCK_SIZE);
  const key = JSON.stringify([name, size, element.kind, element.format?.name ?? null, element.int]);
  let M = BY_RECORD.get(key);
  if (M === undefined) {
    const builtin = BUILTIN.get(name);
    M = builtin ?? deriveMxFormat(fn, name, element, size);
    if (builtin && (builtin.blockSize !== size || !sameFields(builtin.element, element, ELEMENT_FIELDS))) {
      throw new RangeError(`${fn}: ${param} is named ${name}, but its element or block size is not ${name}'s`);
    }
    BY_RECORD.set(key, M);
  }
  const differ =
    MX_FIELDS.find((k) => k !== 'element' && k !== 'scaleFormat' && !Object.is(M[k as keyof MxFormat], fields[k])) ??
    ELEMENT_FIELDS.find((k) => !Object.is(M.element[k as keyof MxElement], elementFields[k]));
  if (differ) throw new RangeError(`${fn}: ${param}'s ${differ} is not what its element and block size give`);
  if (resolveFormat(fn, fields.scaleFormat, `${param}.scaleFormat`) !== SCALE_FORMAT) {
    throw new RangeError(`${fn}: ${param}.scaleFormat must be float8_e8m0fnu`);
  }
  return M;
}

function sameFields(a: object, b: object, keys: readonly string[]): boolean {
  return keys.every((k) => Object.is((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}

/**
 * Makes a block format: an element (a scalar format, an integer element, or a built-in
 * block format's `element`) and a block size. Its limits are derived as for the built-ins.
 *
 * @throws TypeError/RangeError naming the bad field
 * @example
 * ```ts
 * const mxfp4x16 = defineMxFormat({ element: 'float4_e2m1fn', blockSize: 16 });
 * mxfp4x16.name;             // 'mx_float4_e2m1fn_16'
 * mxfp4x16.bitsPerElement;   // 4.5
 * defineMxFormat({ element: mxFormat('mxint8').element, blockSize: 64 }).bytesPerBlock; // 65
 * defineMxFormat({ element: { name: 'int4', bits: 4, fractionBits: 2 } }).element.max;  // 1.75
 * ```
 */
export function defineMxFormat(spec: MxFormatSpec): MxFormat {
  const fn = 'defineMxFormat';
  checkKnownKeys(fn, checkObject(fn, 'spec', spec), ['element', 'blockSize', 'name'], 'field');
  const element = elementOf(fn, spec.element);
  const blockSize =
    spec.blockSize === undefined ? DEFAULT_BLOCK_SIZE : checkInteger(fn, 'blockSize', spec.blockSize, 1, MAX_BLOCK_SIZE);
  let name = `mx_${element.name}_${blockSize}`;
  if (spec.name !== undefined) {
    if (typeof spec.name !== 'string' || spec.name.length === 0) {
      throw new TypeError(`${fn}: name must be a non-empty string, got ${describe(spec.name)}`);
    }
    name = spec.name;
  }
  if (BUILTIN.has(name.toLowerCase()) || ALIASES.has(name.toLowerCase())) {
    throw new RangeError(`${fn}: name ${JSON.stringify(name)} is taken by a built-in block format`);
  }
  return deriveMxFormat(fn, name, element, blockSize);
}
