/**
 * Block formats for the blocks tab. Each scheme quantizes a list of values into blocks with a
 * shared scale and says what it stored; the tab draws any scheme the same way, so another block
 * format is one more entry in {@link BLOCK_SCHEMES}.
 */
import {
  decode,
  MX_FORMAT_NAMES,
  mxDequantize,
  mxFormat,
  mxQuantize,
  mxReport,
  type TwoLevelFormatName,
  unpackCodes,
} from 'floatlab';
import { parseValue } from './parse.js';
import { seededRandom } from './random.js';

/** What a block scheme stored for some values. */
export interface BlockResult {
  /** Elements per block. */
  blockSize: number;
  /** Width of an element code in bits. */
  elementBits: number;
  /** Name of the element format and of the scale format. */
  element: string;
  scaleFormat: string;
  /** Per block: the scale's code and its value. */
  scales: { code: number; value: number }[];
  /**
   * The float32 scale over the block scales of a two-level format (NVFP4): element i reads
   * code × (tensorScale × block scale); absent for MX.
   */
  tensorScale?: number;
  /** Per element: its code, the dequantized value and its error (dequantized − input). */
  codes: number[];
  values: Float64Array;
  errors: Float64Array;
  /** Whole-input summary: largest |error| and root-mean-square error over the finite elements. */
  maxAbsError: number;
  rmsError: number;
  /** Elements clamped to the element format's largest magnitude, and nonzero elements stored as zero. */
  saturated: number;
  underflow: number;
}

/** A block format the tab can show. */
export interface BlockScheme {
  name: string;
  quantize(values: Float64Array): BlockResult;
}

/** The scheme of one of floatlab's block formats (MX, or two-level like NVFP4). */
export function mxScheme(name: string): BlockScheme {
  const M = mxFormat(name);
  return {
    name: M.name,
    quantize(values) {
      const q = mxQuantize(M, values);
      const deq = mxDequantize(q, { out: new Float64Array(q.length) }) as Float64Array;
      const report = mxReport(values, q);
      return {
        blockSize: M.blockSize,
        elementBits: M.element.bits,
        element: M.element.name,
        scaleFormat: M.scaleFormat.name,
        scales: Array.from(q.scales, (code) => ({ code, value: decode(M.scaleFormat, code) })),
        ...(q.tensorScale === undefined ? {} : { tensorScale: q.tensorScale }),
        codes: Array.from(unpackCodes(M, q.codes, q.length)),
        values: deq,
        errors: deq.map((v, i) => v - values[i]!),
        maxAbsError: report.maxAbsError,
        rmsError: report.rmsError,
        saturated: report.saturated,
        underflow: report.underflow,
      };
    },
  };
}

/** The two-level block formats the tab shows besides the MX ones (the library lists no names for them). */
const TWO_LEVEL_NAMES: readonly TwoLevelFormatName[] = ['nvfp4'];

/** Every block format the tab shows: one entry each. */
export const BLOCK_SCHEMES: readonly BlockScheme[] = [...MX_FORMAT_NAMES, ...TWO_LEVEL_NAMES].map(mxScheme);

/** Numbers separated by commas, semicolons or white space; each as the explorer reads a value. */
export function parseBlockInput(text: string): { ok: true; values: Float64Array } | { ok: false; error: string } {
  const parts = text.split(/[\s,;]+/).filter((p) => p !== '');
  if (parts.length === 0) return { ok: false, error: 'no values' };
  const values = new Float64Array(parts.length);
  for (let i = 0; i < parts.length; i++) {
    const r = parseValue(parts[i]!);
    if (!r.ok || r.input.kind !== 'value') return { ok: false, error: `value ${i + 1}: ${r.ok ? '' : r.error}` };
    values[i] = r.input.value;
  }
  return { ok: true, values };
}

/**
 * `count` sample values for a block, seeded: Gaussian-like activations with one outlier, the case
 * that shows what a shared scale costs the small elements.
 */
export function sampleBlock(seed: number, count = 32): number[] {
  const random = seededRandom(seed);
  const out: number[] = [];
  for (let i = 0; i < count; i++) {
    // Box–Muller; rounded to 4 significant digits so the text stays readable.
    const g = Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
    out.push(Number(g.toPrecision(4)));
  }
  out[Math.floor(random() * count)] = Number((40 * (1 + random())).toPrecision(4));
  return out;
}
