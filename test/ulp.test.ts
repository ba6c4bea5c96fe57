/** Neighbours and spacing: nextUp, nextDown and ulp on every code of every format up to 16 bits, and at the edges. */
import { describe, expect, it } from 'vitest';
import { decode, FORMAT_NAMES, type FormatName, format, nextDown, nextUp, ulp } from '../src/index.js';
import { codesToVisit } from './helpers/profile.js';

describe('neighbours and spacing', () => {
  it.each(FORMAT_NAMES.filter((n) => format(n).bits <= 16))(
    '%s: nextUp/nextDown walk the codes and invert each other',
    (name) => {
      const F = format(name);
      const wrong: string[] = [];
      for (const code of codesToVisit(F)) {
        const v = decode(F, code);
        if (!Number.isFinite(v)) continue;
        const up = nextUp(F, v);
        const down = nextDown(F, v);
        if (Number.isFinite(up) && nextDown(F, up) !== v) wrong.push(`nextDown(nextUp(${v}))`);
        if (Number.isFinite(down) && nextUp(F, down) !== v) wrong.push(`nextUp(nextDown(${v}))`);
        if (!(up > v) && !(v === F.max && (F.hasInf ? up === Infinity : Number.isNaN(up)))) wrong.push(`nextUp(${v}) = ${up}`);
        if (v > 0 && v >= F.smallestNormal && v < F.max && ulp(F, v) !== up - v) wrong.push(`ulp(${v})`);
        if (!Object.is(ulp(F, v), -ulp(F, -v)) && F.signed && F.hasNegativeZero) wrong.push(`ulp(${v}) is not -ulp(${-v})`);
        // between two neighbours, nextUp is the upper one and nextDown the lower
        if (Number.isFinite(up) && up > v) {
          const mid = v + (up - v) / 2;
          if (nextUp(F, mid) !== up || nextDown(F, mid) !== v) wrong.push(`neighbours of ${mid}`);
        }
      }
      expect(wrong.slice(0, 5)).toEqual([]);
    },
  );

  it.each<[string, number, number, number, number]>([
    // format, x, nextUp, nextDown, ulp
    ['float16', 0, 2 ** -24, -(2 ** -24), 2 ** -24],
    ['float16', -0, 2 ** -24, -(2 ** -24), -(2 ** -24)],
    ['float16', Infinity, Infinity, 65504, NaN],
    ['float16', -Infinity, -65504, -Infinity, NaN],
    ['float16', NaN, NaN, NaN, NaN],
    ['float8_e4m3fnuz', -(2 ** -10), 0, -(2 ** -9), -(2 ** -10)],
    ['float8_e4m3fn', -448, -416, NaN, NaN],
    ['float4_e2m1fn', 7, NaN, 6, NaN],
    ['float8_e8m0fnu', 0, 2 ** -127, NaN, NaN],
    ['float8_e8m0fnu', 1, 2, 0.5, 1],
    ['float64', 1, 1 + 2 ** -52, 1 - 2 ** -53, 2 ** -52],
    ['float64', 5e-324, 1e-323, 0, 5e-324],
    ['float32', 1, 1 + 2 ** -23, 1 - 2 ** -24, 2 ** -23],
  ])('%s at %s: nextUp %s, nextDown %s, ulp %s', (n, x, up, down, spacing) => {
    const name = n as FormatName;
    expect(Object.is(nextUp(name, x), up)).toBe(true);
    expect(Object.is(nextDown(name, x), down)).toBe(true);
    expect(Object.is(ulp(name, x), spacing)).toBe(true);
  });
});
