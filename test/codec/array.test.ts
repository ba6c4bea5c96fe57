/**
 * The bulk codec equals the scalar codec element by element: over the oracle vectors and
 * random arrays, for every format and every mode.
 */
import { describe, expect, it } from 'vitest';
import { createRandom } from '../../src/core/random.js';
import {
  type CodeArray,
  decode,
  decodeArray,
  encode,
  encodeArray,
  FORMAT_NAMES,
  format,
  ROUNDING_MODES,
  round,
  roundArray,
} from '../../src/index.js';
import { codesToVisit, iterations } from '../helpers/profile.js';
import { doubleFromHex, reference } from '../helpers/vectors.js';

function inputsFor(name: string): Float64Array {
  const rows = reference.vectors[name] ?? reference.vectors.float32!;
  const random = createRandom(99);
  const xs = rows.map((r) => doubleFromHex(r.x));
  for (let i = 0; i < iterations(2000, 200); i++) xs.push((random() - 0.5) * Math.exp(60 * (random() - 0.5)));
  return Float64Array.from(xs);
}

describe.each(FORMAT_NAMES.map((n) => [n] as const))('%s', (name) => {
  const F = format(name);
  const xs = inputsFor(name);
  const f32 = Float32Array.from(xs);

  it.each(ROUNDING_MODES.map((m) => [m]))('%s: encodeArray and roundArray equal encode and round', (mode) => {
    for (const src of [xs, f32, Array.from(f32)]) {
      for (const extra of [{}, { saturate: true }, { flushSubnormals: true }]) {
        const a = createRandom(5);
        const b = createRandom(5);
        const codes = encodeArray(F, src, { rounding: mode, random: a, ...extra }) as CodeArray;
        const rounded = roundArray(F, src, { rounding: mode, random: createRandom(5), ...extra });
        const wrong: string[] = [];
        for (let i = 0; i < src.length; i++) {
          const want = encode(F, src[i]!, { rounding: mode, random: b, ...extra });
          if (codes[i] !== want && !(Number.isNaN(decode(F, want)) && Number.isNaN(decode(F, codes[i]!)))) {
            wrong.push(`encode ${src[i]}: ${codes[i]} != ${want}`);
          }
        }
        const c = createRandom(5);
        for (let i = 0; i < src.length; i++) {
          const want = round(F, src[i]!, { rounding: mode, random: c, ...extra });
          const got = src instanceof Float32Array ? Math.fround(want) : want;
          if (!Object.is(rounded[i], got)) wrong.push(`round ${src[i]}: ${rounded[i]} != ${want}`);
        }
        expect(wrong.slice(0, 3)).toEqual([]);
      }
    }
  });

  it('decodeArray equals decode for every code (a sample for 32 and 64 bits)', () => {
    const codes = encodeArray(F, xs) as CodeArray;
    const all =
      F.bits <= 8
        ? Uint8Array.from({ length: F.codeCount }, (_, i) => i)
        : F.bits <= 16
          ? Uint16Array.from(codesToVisit(F))
          : codes;
    const values = decodeArray(F, all as CodeArray);
    expect(values).toBeInstanceOf(F.bits > 32 ? Float64Array : Float32Array);
    for (let i = 0; i < all.length; i++) expect(Object.is(values[i], decode(F, all[i]!))).toBe(true);
  });
});
