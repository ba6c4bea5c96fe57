/**
 * Every oracle vector (exact arithmetic, MPFR, numpy, torch; see test/fixtures/README.md),
 * every format × rounding mode × saturate.
 */
import { describe, expect, it } from 'vitest';
import { classify, decode, encode, round, type RoundingMode } from '../src/index.js';
import { doubleFromHex, ORACLE_MODE, reference, type VectorRow } from './helpers/vectors.js';

const formats = Object.keys(reference.vectors);
const cases: [RoundingMode | 'saturate', keyof VectorRow, boolean][] = [
  ...Object.entries(ORACLE_MODE).map(
    ([mode, key]) => [mode as RoundingMode, key, false] as [RoundingMode, keyof VectorRow, boolean],
  ),
  ['saturate', 'saturate', true],
];

/** The expected code matches, NaNs by class (any NaN code is right for IEEE formats). */
function expectCode(fmt: string, got: number | bigint, want: number, x: number) {
  if (classify(fmt, want) === 'nan' && classify(fmt, got) === 'nan') return;
  expect(got, `${fmt} x=${x} (0x${want.toString(16)} wanted)`).toBe(want);
}

describe('the oracle fixture', () => {
  it('covers the formats and modes the issue names', () => {
    expect(formats.length).toBe(14);
    expect(reference.modes).toEqual(Object.values(ORACLE_MODE));
    for (const f of formats) expect(reference.vectors[f]!.length).toBeGreaterThan(1000);
  });
});

describe.each(formats)('%s', (fmt) => {
  const rows = reference.vectors[fmt]!;
  it.each(cases)('%s: encode matches every vector, round = decode(encode)', (mode, key, saturate) => {
    const opts = saturate ? { saturate: true } : { rounding: mode as RoundingMode };
    for (const row of rows) {
      const x = doubleFromHex(row.x);
      const want = row[key] as number;
      const code = encode(fmt, x, opts) as number;
      expectCode(fmt, code, want, x);
      const r = round(fmt, x, opts);
      expect(Object.is(r, decode(fmt, code)), `${fmt} round(${x})`).toBe(true);
    }
  });
});
