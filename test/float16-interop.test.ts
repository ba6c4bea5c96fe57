/**
 * @petamoriken/float16, the ecosystem's fp16 library, agrees with floatlab's float16
 * bit for bit: on all 65,536 codes and on a million random doubles.
 */
import { f16round, getFloat16, setFloat16 } from '@petamoriken/float16';
import { describe, expect, it } from 'vitest';
import { decode, encode, format, round } from '../src/index.js';
import { codesToVisit, iterations } from './helpers/profile.js';
import { createRandom } from '../src/random.js';

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

  it('rounds a million random doubles as f16round and setFloat16 do', () => {
    const random = createRandom(2024);
    const bits = new Float64Array(1);
    const words = new Uint32Array(bits.buffer);
    const wrong: string[] = [];
    for (let i = 0; i < iterations(1_000_000, 50_000); i++) {
      let x: number;
      if (i % 2 === 0) {
        // mixed magnitudes across and beyond float16's range, both signs
        x = (random() - 0.5) * Math.exp(40 * (random() - 0.5));
      } else {
        // any double's bit pattern near float16's exponents: ties and near-ties included
        words[0] = random() * 2 ** 32;
        words[1] = (random() < 0.5 ? 0x80000000 : 0) | ((0x3e0 + Math.floor(random() * 0x40)) << 20) | (random() * 2 ** 20);
        x = bits[0]!;
      }
      setFloat16(view, 0, x);
      const code = encode('float16', x);
      if (view.getUint16(0) !== code || !Object.is(f16round(x), round('float16', x))) wrong.push(String(x));
    }
    expect(wrong.slice(0, 5)).toEqual([]);
  });
});
