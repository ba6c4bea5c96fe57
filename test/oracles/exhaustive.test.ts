/**
 * Every code of every format up to 16 bits: decode agrees with an independent decoder,
 * encode(decode(code)) gives the code back (NaNs by class), classify agrees.
 */
import { describe, expect, it } from 'vitest';
import { classify, decode, encode, FORMAT_NAMES, type Format, format } from '../../src/index.js';
import { E2M0_FN, E3M3, E4M0_FNU, E5M4_FNUZ, E6M9_FINITE } from '../helpers/formats.js';
import { codesToVisit } from '../helpers/profile.js';
import { referenceClass, referenceDecode } from '../helpers/reference.js';

const custom = [E3M3, E5M4_FNUZ, E2M0_FN, E6M9_FINITE, E4M0_FNU];
const small = [...FORMAT_NAMES.map((n) => format(n)), ...custom].filter((f) => f.bits <= 16);

/** F's codes in ranges of 8192, [first, last], so that no test body runs long. */
function codeRanges(F: Format): [first: string, last: string, from: number, to: number][] {
  const size = 1 << 13;
  const hex = (c: number) => `0x${c.toString(16)}`;
  return Array.from({ length: Math.ceil(F.codeCount / size) }, (_, k) => {
    const from = k * size;
    const to = Math.min(F.codeCount, from + size);
    return [hex(from), hex(to - 1), from, to];
  });
}

const codesIn = (F: Format, from: number, to: number) =>
  codesToVisit(
    F,
    Array.from({ length: to - from }, (_, i) => from + i),
  );

describe.each(small.map((f) => [f.name, f] as const))('%s: every code', (_name, F) => {
  const ranges = codeRanges(F);

  it.each(ranges)('codes %s to %s decode as the reference decoder does', (_first, _last, from, to) => {
    for (const code of codesIn(F, from, to)) {
      const want = referenceDecode(F, code);
      expect(Object.is(decode(F, code), want), `code 0x${code.toString(16)}`).toBe(true);
    }
  });

  it.each(ranges)('codes %s to %s round-trip through encode (NaNs by class), and classify agrees', (_first, _last, from, to) => {
    for (const code of codesIn(F, from, to)) {
      const v = decode(F, code);
      const cls = classify(F, code);
      expect(cls, `code 0x${code.toString(16)}`).toBe(referenceClass(v, F.smallestNormal));
      const back = encode(F, v);
      if (cls === 'nan') expect(classify(F, back)).toBe('nan');
      else expect(back, `code 0x${code.toString(16)} = ${v}`).toBe(code);
    }
  });

  it('has as many NaN codes as its kind defines', () => {
    let nanCodes = 0;
    for (let code = 0; code < F.codeCount; code++) if (classify(F, code) === 'nan') nanCodes++;
    const expectedNaNs = { ieee: 2 * (2 ** F.manBits - 1), fn: 2, fnuz: 1, finite: 0, fnu: 1 }[F.kind];
    expect(nanCodes).toBe(expectedNaNs);
  });

  it('has the limits the codes show', () => {
    const all: number[] = [];
    for (let code = 0; code < 2 ** F.bits; code++) all.push(referenceDecode(F, code));
    const finite = all.filter((v) => Number.isFinite(v));
    const positive = finite.filter((v) => v > 0);
    expect(F.max).toBe(Math.max(...finite));
    expect(F.lowest).toBe(Math.min(...finite));
    expect(F.smallestSubnormal).toBe(Math.min(...positive));
    expect(finite.some((v) => Object.is(v, -0))).toBe(F.hasNegativeZero);
    expect(finite.includes(0)).toBe(F.hasZero);
    expect(all.includes(Infinity)).toBe(F.hasInf);
    expect(all.some((v) => Number.isNaN(v))).toBe(F.hasNaN);
  });
});
