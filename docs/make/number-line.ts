/**
 * docs/number-line.svg: every positive finite value of the float8, float6 and float4 formats on a
 * log2 axis, with the count of values in each binade — where each format spends its codes.
 */
import { decode, FORMAT_NAMES, type Format, format } from '../../src/index.js';
import { line, svgDocument, text } from './svg.js';

const SMALL = FORMAT_NAMES.filter((name) => /^float[864]_/.test(name)).map((name) => format(name));

function positiveValues(F: Format): number[] {
  const values: number[] = [];
  for (let code = 0; code < F.codeCount; code++) {
    const v = decode(F, code);
    if (v > 0 && Number.isFinite(v)) values.push(v);
  }
  return [...new Set(values)].sort((a, b) => a - b);
}

export function numberLineSvg(): string {
  const rows = SMALL.map((F) => ({ F, values: positiveValues(F) }));
  const lo = Math.floor(Math.log2(Math.min(...rows.flatMap((r) => r.values.filter((v) => v >= 2 ** -24)))));
  const hi = 17;
  const left = 170;
  const width = 1100;
  const plot = width - left - 20;
  const x = (v: number) => left + ((Math.log2(v) - lo) / (hi - lo)) * plot;
  const rowH = 46;
  const top = 40;
  const body: string[] = [
    text(
      left,
      20,
      `Positive finite values per format on a log2 axis (2^${lo} … 2^${hi}); numbers under a row: values per binade`,
      'font-weight="bold"',
    ),
  ];
  rows.forEach(({ F, values }, i) => {
    const y = top + i * rowH + 16;
    body.push(text(10, y + 4, F.name));
    body.push(line(left, y, left + plot, y, 'stroke="#bbb"'));
    for (const v of values) {
      if (v < 2 ** lo) continue;
      body.push(line(x(v), y - 8, x(v), y + 8, 'stroke="#1f77b4" stroke-width="1"'));
    }
    const binades = new Map<number, number>();
    for (const v of values) binades.set(Math.floor(Math.log2(v)), (binades.get(Math.floor(Math.log2(v))) ?? 0) + 1);
    for (const [e, count] of binades) {
      if (e < lo) continue;
      body.push(text(x(2 ** e) + 2, y + 22, String(count), 'font-size="9" fill="#555"'));
    }
  });
  const axisY = top + rows.length * rowH + 6;
  body.push(line(left, axisY, left + plot, axisY));
  for (let e = lo; e <= hi; e += 2) {
    body.push(line(x(2 ** e), axisY, x(2 ** e), axisY + 5));
    body.push(text(x(2 ** e) - 10, axisY + 18, `2^${e}`, 'font-size="10"'));
  }
  return svgDocument(width, axisY + 30, body, 'Representable values of the float8, float6 and float4 formats');
}
