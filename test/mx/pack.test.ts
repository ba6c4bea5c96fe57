/**
 * Packed sub-byte storage: the bit order (least significant bit first, as zarr's packbits,
 * PyTorch's float4_e2m1fn_x2 and torchao's pack_uint4), the fast loops against the generic
 * ones at every width, and bad input.
 */
import { describe, expect, it } from 'vitest';
import { createRandom } from '../../src/core/random.js';
import { encodeArray, packCodes, unpackCodes } from '../../src/index.js';
import { packGeneric, packInto, unpackGeneric, unpackInto } from '../../src/mx/pack.js';

describe('the bit order', () => {
  it('float4: code 2i in the low nibble, code 2i+1 in the high nibble', () => {
    const codes = encodeArray('float4_e2m1fn', [1, 6, -0.5]); // 0x2, 0x7, 0x9
    expect(Array.from(packCodes('float4_e2m1fn', codes))).toEqual([0x72, 0x09]);
  });

  it('float6: four codes in three bytes, as one little-endian 24-bit word c0 | c1 << 6 | c2 << 12 | c3 << 18', () => {
    const c = [0b000001, 0b100000, 0b111111, 0b010101];
    const w = c[0]! | (c[1]! << 6) | (c[2]! << 12) | (c[3]! << 18);
    expect(Array.from(packCodes('float6_e3m2fn', Uint8Array.from(c)))).toEqual([w & 0xff, (w >> 8) & 0xff, w >> 16]);
  });

  it('a block format packs with its element’s width', () => {
    const c = Uint8Array.from([1, 2, 3, 4, 5]);
    expect(packCodes('mxfp4_e2m1', c)).toEqual(packCodes('float4_e2m1fn', c));
    expect(packCodes('mxfp6_e2m3', c)).toEqual(packCodes('float6_e2m3fn', c));
    expect(packCodes('mxint8', c)).toEqual(c);
  });

  it('unused bits of the last byte are zero', () => {
    expect(Array.from(packCodes('float4_e2m1fn', Uint8Array.from([15, 15, 15])))).toEqual([0xff, 0x0f]);
    expect(Array.from(packCodes('float6_e2m3fn', Uint8Array.from([63])))).toEqual([0x3f]);
  });
});

describe.each([1, 2, 3, 4, 5, 6, 7, 8].map((b) => [b] as const))('%i-bit codes', (bits) => {
  it('the loop for the width equals the generic loop, and unpacking inverts packing', () => {
    const random = createRandom(bits);
    for (const n of [0, 1, 2, 3, 4, 5, 7, 8, 31, 32, 33, 1001]) {
      const codes = Uint8Array.from({ length: n }, () => Math.floor(random() * 2 ** bits));
      const len = Math.ceil((n * bits) / 8);
      const fast = new Uint8Array(len);
      const slow = new Uint8Array(len);
      packInto(bits, codes, fast);
      packGeneric(bits, codes, slow);
      expect(fast).toEqual(slow);
      const back = new Uint8Array(n);
      const backSlow = new Uint8Array(n);
      unpackInto(bits, fast, back);
      unpackGeneric(bits, fast, backSlow);
      expect(back).toEqual(codes);
      expect(backSlow).toEqual(codes);
    }
  });
});

describe('public round trip', () => {
  it.each(['float4_e2m1fn', 'float6_e3m2fn', 'float6_e2m3fn', 'float8_e4m3fn'] as const)('%s', (fmt) => {
    const all = Uint8Array.from({ length: 2 ** Number(/float(\d)/.exec(fmt)![1]) }, (_, i) => i);
    const packed = packCodes(fmt, all);
    expect(packed.length).toBe((all.length * Number(/float(\d)/.exec(fmt)![1])) / 8);
    expect(unpackCodes(fmt, packed, all.length)).toEqual(all);
  });

  it('unpackCodes reads only the bytes the codes fill', () => {
    expect(Array.from(unpackCodes('float4_e2m1fn', Uint8Array.from([0x21, 0x43, 0xff]), 3))).toEqual([1, 2, 3]);
  });
});

describe('bad input', () => {
  it.each([
    [
      () => packCodes('float4_e2m1fn', Uint8Array.from([1, 16])),
      RangeError,
      'packCodes: codes[1] must be an integer in [0, 15] for float4_e2m1fn, got 16',
    ],
    [
      () => packCodes('mxfp6_e2m3', Uint8Array.from([64])),
      RangeError,
      'packCodes: codes[0] must be an integer in [0, 63] for float6_e2m3fn, got 64',
    ],
    [() => packCodes('float4_e2m1fn', [1, 2] as never), TypeError, 'packCodes: codes must be a Uint8Array, got an array'],
    [
      () => packCodes('float16', new Uint8Array(2)),
      RangeError,
      'packCodes: packing is for codes of at most 8 bits; float16 has 16',
    ],
    [() => packCodes('nope' as never, new Uint8Array(2)), RangeError, /^packCodes: unknown fmt "nope"/],
    [
      () => unpackCodes('float4_e2m1fn', new Uint8Array(1), 3),
      RangeError,
      'unpackCodes: bytes has 1 bytes; 3 codes of 4 bits need 2',
    ],
    [
      () => unpackCodes('float4_e2m1fn', new Uint16Array(1) as never, 1),
      TypeError,
      'unpackCodes: bytes must be a Uint8Array, got a Uint16Array',
    ],
    [() => unpackCodes('float4_e2m1fn', new Uint8Array(1), -1), RangeError, /^unpackCodes: length must be an integer from 0/],
    [() => unpackCodes('float4_e2m1fn', new Uint8Array(1), 1.5), RangeError, /^unpackCodes: length must be an integer/],
  ])('%#', (call, type, message) => {
    expect(call).toThrow(type);
    expect(call).toThrow(message);
  });
});
