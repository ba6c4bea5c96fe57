/**
 * The MX block formats' section of docs/formats.md, and the table docs/mx.md shows: every
 * figure computed from the block format table in src/mx/formats.ts.
 */
import { MX_FORMAT_NAMES, mxFormat } from '../../src/index.js';

/** The block format table (markdown lines). */
export function mxFormatTable(): string[] {
  return [
    '| name | element | element bits | emax | max | lowest | smallest | bits per element | bytes per block |',
    '|---|---|---|---|---|---|---|---|---|',
    ...MX_FORMAT_NAMES.map((name) => {
      const M = mxFormat(name);
      const E = M.element;
      return `| ${name} | ${E.name} | ${E.bits} | ${E.emax} | ${E.max} | ${E.lowest} | ${E.smallest} | ${M.bitsPerElement} | ${M.bytesPerBlock} |`;
    }),
  ];
}

/** The MX section of docs/formats.md. */
export function mxFormatsSection(): string[] {
  const first = mxFormat(MX_FORMAT_NAMES[0]!);
  const S = first.scaleFormat;
  return [
    '## MX block formats',
    '',
    `Each block format is one record — element and block size (${first.blockSize} for all of OCP MX v1.0) — in`,
    '`src/mx/formats.ts`. Every block shares one scale in',
    `${S.name} (2^${S.emin} … 2^${S.emax}, NaN at 0x${S.nanCode.toString(16)}); \`emax\` is the exponent of the element's largest value,`,
    "OCP's emax_elem; `int8` is OCP's INT8 element, a two's complement byte k standing for k/64.",
    '',
    ...mxFormatTable(),
    '',
    'The scale rule, NaN and infinity, the packed bit order and a picture of a block: [mx.md](mx.md).',
    '',
  ];
}
