/**
 * docs/mx-block.svg: one MXFP4 block as floatlab quantizes it — the shared E8M0 scale, the 32
 * E2M1 elements with their inputs and stored values, and the 17 bytes they take in memory.
 */
import { decode, mxDequantize, mxFormat, mxQuantize, unpackCodes } from '../../src/index.js';
import { esc, svgDocument, text } from './svg.js';

/** The sample block: a wave around ±0.03 with one outlier, so the scale, saturation and flushing all show. */
export function sampleBlock(): Float32Array {
  const xs = Float32Array.from({ length: 32 }, (_, i) => (Math.sin(i * 0.55) * (1.2 + (i % 7) * 0.35)) / 64);
  xs[9] = 7.3 / 64; // the block maximum: sets the scale, and saturates
  xs[20] = 0.06 / 64; // flushes to zero
  return xs;
}

const fmt = (v: number) => (Object.is(v, -0) ? '-0' : Number(v.toPrecision(3)).toString());
const rect = (x: number, y: number, w: number, h: number, fill: string) =>
  `<rect x="${x}" y="${y}" width="${w}" height="${h}" fill="${fill}" stroke="#333" stroke-width="1"/>`;
/** A vertical label: 'up' runs upward from (x, y), 'down' hangs below it. */
const vtext = (x: number, y: number, s: string, dir: 'up' | 'down') =>
  `<text transform="translate(${x} ${y}) rotate(-90)" text-anchor="${dir === 'up' ? 'start' : 'end'}" font-size="10">${esc(s)}</text>`;
const MONO = 'font-family="monospace"';

export function mxBlockSvg(): string {
  const M = mxFormat('mxfp4_e2m1');
  const xs = sampleBlock();
  const q = mxQuantize(M, xs);
  const codes = unpackCodes(M, q.codes, q.length);
  const stored = mxDequantize(q);
  const scaleCode = q.scales[0]!;
  const e = scaleCode - M.scaleFormat.bias;
  const X = decode(M.scaleFormat, scaleCode);
  const max = M.element.max;
  const amax = Math.max(...Array.from(xs, Math.abs));

  const left = 20;
  const scaleW = 112;
  const cell = 25;
  const x0 = left + scaleW + 14;
  const width = x0 + 32 * cell + 20;
  const body: string[] = [
    text(
      left,
      22,
      'One MXFP4 block: a shared E8M0 scale X and 32 E2M1 elements P[i]; value[i] = X × P[i]',
      'font-size="14" font-weight="bold"',
    ),
    text(
      left,
      40,
      `shared_exp = ⌊log2 max|x|⌋ − emax(E2M1) = ⌊log2 ${fmt(amax)}⌋ − ${M.element.emax} = ${e}, so X = 2^${e} = ${X}; ` +
        `each x / X is rounded (ties to even) and saturated to ±${max}`,
      'font-size="11"',
    ),
  ];

  // Inputs, element codes, stored values.
  const rowTop = 128;
  body.push(text(left, 64, 'input x[i]', 'font-size="11" font-style="italic"'));
  body.push(text(left, rowTop + 54, 'stored', 'font-size="11" font-style="italic"'));
  body.push(text(left, rowTop + 67, 'X × P[i]', 'font-size="11" font-style="italic"'));
  body.push(rect(left, rowTop, scaleW, 36, '#f6c177'));
  body.push(text(left + scaleW / 2, rowTop + 15, 'scale X: E8M0', 'font-size="11" text-anchor="middle"'));
  body.push(text(left + scaleW / 2, rowTop + 30, `code ${scaleCode} = 2^${e}`, `font-size="11" text-anchor="middle" ${MONO}`));
  for (let i = 0; i < 32; i++) {
    const cx = x0 + i * cell;
    const saturated = Math.abs(xs[i]!) > max * X;
    const flushed = xs[i] !== 0 && stored[i] === 0;
    body.push(vtext(cx + cell / 2 + 4, rowTop - 6, fmt(xs[i]!), 'up'));
    body.push(rect(cx, rowTop, cell, 36, saturated ? '#eb6f92' : flushed ? '#c8c8c8' : '#9ccfd8'));
    body.push(
      text(cx + cell / 2, rowTop + 15, codes[i]!.toString(16).toUpperCase(), `font-size="12" text-anchor="middle" ${MONO}`),
    );
    body.push(text(cx + cell / 2, rowTop + 30, String(i), 'font-size="8" text-anchor="middle" fill="#555"'));
    body.push(vtext(cx + cell / 2 + 4, rowTop + 44, fmt(stored[i]!), 'down'));
  }
  body.push(
    text(
      x0,
      rowTop + 110,
      'element code (hex, 4 bits: sign, 2 exponent bits, 1 mantissa bit) and index',
      'font-size="10" fill="#555"',
    ),
  );
  const legend = [
    ['#9ccfd8', 'rounded'],
    ['#eb6f92', `saturated (|x| > ${max} X)`],
    ['#c8c8c8', 'flushed to zero'],
  ] as const;
  legend.forEach(([fill, label], k) => {
    body.push(rect(x0 + 430 + k * 130, rowTop + 101, 10, 10, fill));
    body.push(text(x0 + 444 + k * 130, rowTop + 110, label, 'font-size="10"'));
  });

  // Memory: the scale byte and the code bytes, two elements per byte, low nibble first.
  const memTop = rowTop + 140;
  const codeBytes = M.codeBytesPerBlock;
  body.push(
    text(
      left,
      memTop - 8,
      `In memory: ${q.nbytes} bytes = 1 scale byte + ${codeBytes} code bytes (${M.bitsPerElement} bits per element). Element 2j is the low nibble of code byte j.`,
      'font-size="11"',
    ),
  );
  const byteW = (32 * cell) / codeBytes;
  body.push(rect(left, memTop, scaleW, 30, '#f6c177'));
  body.push(text(left + scaleW / 2, memTop + 19, `scales[0] = ${scaleCode}`, `font-size="11" text-anchor="middle" ${MONO}`));
  for (let j = 0; j < codeBytes; j++) {
    const bx = x0 + j * byteW;
    body.push(rect(bx, memTop, byteW / 2, 30, '#9ccfd8'));
    body.push(rect(bx + byteW / 2, memTop, byteW / 2, 30, '#c4e4ea'));
    for (const [dx, i] of [
      [byteW / 4, 2 * j + 1],
      [(3 * byteW) / 4, 2 * j],
    ] as const) {
      body.push(text(bx + dx, memTop + 14, codes[i]!.toString(16).toUpperCase(), `font-size="11" text-anchor="middle" ${MONO}`));
      body.push(text(bx + dx, memTop + 26, `P${i}`, 'font-size="8" text-anchor="middle" fill="#555"'));
    }
    body.push(
      text(
        bx + byteW / 2,
        memTop + 42,
        `0x${q.codes[j]!.toString(16).padStart(2, '0')}`,
        `font-size="9" text-anchor="middle" ${MONO} fill="#555"`,
      ),
    );
  }
  body.push(
    text(
      x0,
      memTop + 58,
      'codes[j]: bits 7…4 hold P[2j+1], bits 3…0 hold P[2j] (least significant bits first, as zarr packbits and torch.float4_e2m1fn_x2)',
      'font-size="10" fill="#555"',
    ),
  );
  return svgDocument(width, memTop + 70, body, 'One MXFP4 block: the E8M0 scale, 32 E2M1 elements and their 17 bytes');
}
