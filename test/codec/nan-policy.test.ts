/**
 * `nan: 'preserve'`: the sign and the top payload bits of a NaN, quieted, as numpy's float32 →
 * float16 cast writes them for quiet NaNs (test/fixtures/nan-casts.json, made by
 * make/nan_casts.py with numpy and Debian's torch 1.13); the canonical NaN by default; every
 * path (encode, encodeArray's fast paths, the generic loop) the same, on every format.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { encodeArrayGeneric } from '../../src/codec/array.js';
import { encode, encodeArray, FORMAT_NAMES, format } from '../../src/index.js';

const fixture = JSON.parse(readFileSync(new URL('../fixtures/nan-casts.json', import.meta.url), 'utf8')) as {
  cases: { float32: string; quiet: boolean; numpy_float16: string; torch_float16?: string }[];
};
const f32 = (hex: string) => new Float32Array(new Uint32Array([Number.parseInt(hex, 16)]).buffer);
const hex = (c: number | bigint) => c.toString(16).padStart(4, '0');

describe("float32 NaNs to float16 against numpy's cast", () => {
  it.each(fixture.cases.filter((c) => c.quiet))('quiet NaN %o: preserve writes numpy’s bits, canonical 7e00', (c) => {
    expect(hex(encodeArray('float16', f32(c.float32), { nan: 'preserve' })[0]!)).toBe(c.numpy_float16);
    expect(hex(encodeArray('float16', f32(c.float32))[0]!)).toBe('7e00');
  });
  it.each(fixture.cases.filter((c) => !c.quiet))('signalling NaN %o: preserve quiets it (numpy keeps it signalling)', (c) => {
    const ours = encodeArray('float16', f32(c.float32), { nan: 'preserve' })[0]!;
    const numpy = Number.parseInt(c.numpy_float16, 16);
    expect(ours & 0x8000).toBe(numpy & 0x8000);
    expect(ours & 0x200).toBe(0x200);
  });
  it('the sign of NaN as torch keeps it', () => {
    for (const c of fixture.cases.filter((x) => x.torch_float16 && x.quiet)) {
      const ours = encodeArray('float16', f32(c.float32), { nan: 'preserve' })[0]!;
      expect(ours & 0x8000, c.float32).toBe(Number.parseInt(c.torch_float16!, 16) & 0x8000);
    }
  });
});

describe.each(FORMAT_NAMES.map((n) => [n]))('%s: every path writes the same NaN codes', (name) => {
  const F = format(name);
  const inputs = new Float32Array(
    new Uint32Array([0x7fc00000, 0xffc00000, 0x7fc12345, 0xffd55555, 0x7f7fffff, 0xff7fffff, 0x3f800000]).buffer,
  );
  it.each(['canonical', 'preserve'] as const)("nan: '%s'", (nan) => {
    const fast = encodeArray(name, inputs, { nan });
    const generic = encodeArrayGeneric(name, inputs, { nan });
    expect(fast).toEqual(generic);
    expect(Array.from(inputs, (x) => encode(name, x, { nan }))).toEqual(Array.from(generic as ArrayLike<unknown>));
    if (nan === 'canonical')
      expect(Array.from(fast as ArrayLike<unknown>)).toEqual(Array.from(encodeArray(name, inputs) as ArrayLike<unknown>));
  });
  it('preserve keeps the sign wherever the format has a NaN of each sign', () => {
    const [pos, neg] = Array.from(encodeArray(name, inputs.subarray(0, 2), { nan: 'preserve' }) as ArrayLike<number | bigint>);
    const signed = F.hasNaN && F.signMask !== 0 && F.nanCode !== F.signMask;
    expect(pos !== neg).toBe(signed);
  });
});

describe('negative overflow into NaN (float8_e4m3fn has no infinity)', () => {
  it('preserve writes −NaN (0xff), as torch does; canonical 0x7f', () => {
    expect(encode('float8_e4m3fn', -1e6, { nan: 'preserve' })).toBe(0xff);
    expect(encode('float8_e4m3fn', -1e6)).toBe(0x7f);
  });
  it('an unknown policy is a RangeError naming the option', () => {
    expect(() => encode('float16', 1, { nan: 'keep' as never })).toThrow(
      /encode: unknown opts.nan "keep"; the policies are canonical, preserve/,
    );
  });
});
