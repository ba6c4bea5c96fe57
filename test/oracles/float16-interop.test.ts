/**
 * @petamoriken/float16, the ecosystem's fp16 library, agrees with floatlab's float16
 * bit for bit: on all 65,536 codes and on a million random doubles.
 */
import { f16round, getFloat16, setFloat16 } from '@petamoriken/float16';
import { describe, expect, it } from 'vitest';
import { createRandom } from '../../src/core/random.js';
import { decode, encode, format, round } from '../../src/index.js';
import { codesToVisit, iterations } from '../helpers/profile.js';

const view = new DataView(new ArrayBuffer(2));
const F16 = format('float16');

describe('float16 agrees with @petamoriken/float16', () => {
  it('decodes all 65,536 codes as getFloat16 does', () => {
    const wrong: number[] = [];
    for (const code of codesToVisit(F16)) {
      view.setUint16(0, code);
      if (!Object.is(getFloat16(view, 0), decode('float16', code))) wrong.push(code);
    }
    expect(wrong).toEqual([]);
  });

  it('encodes every float16 value as setFloat16 does', () => {
    const wrong: number[] = [];
    for (const code of codesToVisit(F16)) {
      const v = decode('float16', code);
      setFloat16(view, 0, v);
      if (view.getUint16(0) !== encode('float16', v)) wrong.push(code);
    }
    expect(wrong).toEqual([]);
  });

  // The million doubles are made once; ten tests of 100,000 each keep every test body short.
  const doubles = millionDoubles();
  const PART = doubles.length / 10;
  it.each(Array.from({ length: 10 }, (_, k) => [k * PART, (k + 1) * PART] as const))(
    'rounds random doubles %i to %i (of a million) as f16round and setFloat16 do',
    (from, to) => {
      const wrong: string[] = [];
      for (const x of doubles.subarray(from, to)) {
        setFloat16(view, 0, x);
        const code = encode('float16', x);
        if (view.getUint16(0) !== code || !Object.is(f16round(x), round('float16', x))) wrong.push(String(x));
      }
      expect(wrong.slice(0, 5)).toEqual([]);
    },
  );
});

/** A million doubles from a fixed seed: mixed magnitudes and bit patterns near float16's exponents. */
function millionDoubles(): Float64Array {
  const random = createRandom(2024);
  const bits = new Float64Array(1);
  const words = new Uint32Array(bits.buffer);
  return Float64Array.from({ length: iterations(1_000_000, 50_000) }, (_, i) => {
    if (i % 2 === 0) {
      // mixed magnitudes across and beyond float16's range, both signs
      return (random() - 0.5) * Math.exp(40 * (random() - 0.5));
    }
    // any double's bit pattern near float16's exponents: ties and near-ties included
    words[0] = random() * 2 ** 32;
    words[1] = (random() < 0.5 ? 0x80000000 : 0) | ((0x3e0 + Math.floor(random() * 0x40)) << 20) | (random() * 2 ** 20);
    return bits[0]!;
  });
}
