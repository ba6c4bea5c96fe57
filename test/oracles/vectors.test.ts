/**
 * Every oracle vector (exact arithmetic, MPFR, numpy, torch; see test/fixtures/README.md),
 * every format × rounding mode × saturate.
 */
import { describe, expect, it } from 'vitest';
import { decode, encode, type FormatName, type RoundingMode, round } from '../../src/index.js';
import { sameCode } from '../helpers/compare.js';
import { doubleFromHex, ORACLE_MODE, reference, type VectorRow } from '../helpers/vectors.js';

const formats = Object.keys(reference.vectors) as FormatName[];
const cases: [RoundingMode | 'saturate', keyof VectorRow, boolean][] = [
  ...Object.entries(ORACLE_MODE).map(
    ([mode, key]) => [mode as RoundingMode, key, false] as [RoundingMode, keyof VectorRow, boolean],
  ),
  ['saturate', 'saturate', true],
];

describe('the oracle fixture', () => {
  it('covers the formats and modes the oracle names', () => {
    expect(formats.length).toBe(14);
    expect(reference.modes).toEqual(Object.values(ORACLE_MODE));
    for (const f of formats) expect(reference.vectors[f]!.length).toBeGreaterThan(1000);
  });
});

describe.each(formats)('%s', (fmt) => {
  const rows = reference.vectors[fmt]!;
  it.each(cases)('%s: encode matches every vector, round = decode(encode)', (mode, key, saturate) => {
    const opts = saturate ? { saturate: true } : { rounding: mode as RoundingMode };
    const wrong: string[] = [];
    for (const row of rows) {
      const x = doubleFromHex(row.x);
      const want = row[key] as number;
      const code = encode(fmt, x, opts) as number;
      if (!sameCode(fmt, code, want)) wrong.push(`x=${x}: 0x${code.toString(16)}, wanted 0x${want.toString(16)}`);
      if (!Object.is(round(fmt, x, opts), decode(fmt, code))) wrong.push(`round(${x}) is not decode(encode(${x}))`);
    }
    expect(wrong.slice(0, 5)).toEqual([]);
  });
});
