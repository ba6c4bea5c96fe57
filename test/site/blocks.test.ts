/** The blocks tab's schemes: every element's value is its code times its block's scale, as the element format decodes it. */
import { decode, MX_FORMAT_NAMES, mxFormat, mxQuantize } from 'floatlab';
import { describe, expect, it } from 'vitest';
import { BLOCK_SCHEMES, parseBlockInput, sampleBlock } from '../../site/src/lib/blocks.js';

const INPUT = Float64Array.from([...sampleBlock(3), ...sampleBlock(4).slice(0, 20), 0, -0, 1e-30, 1e30]);

it('one scheme per MX format the library has, then NVFP4', () => {
  expect(BLOCK_SCHEMES.map((s) => s.name)).toEqual([...MX_FORMAT_NAMES, 'nvfp4']);
});

describe.each(BLOCK_SCHEMES.map((s) => [s.name, s] as const))('%s', (name, scheme) => {
  const M = mxFormat(name);
  const r = scheme.quantize(INPUT);

  it('one scale per block, decoded as the scale format decodes it', () => {
    expect(r.scales).toHaveLength(Math.ceil(INPUT.length / M.blockSize));
    for (const s of r.scales) expect(s.value).toBe(decode(M.scaleFormat, s.code));
  });

  it('each value is its code, decoded by the element, times its block scale; each error is value − input', () => {
    const E = M.element;
    expect(r.codes).toHaveLength(INPUT.length);
    r.codes.forEach((code, i) => {
      const element = E.format
        ? decode(E.format, code)
        : (code >= 2 ** (E.bits - 1) ? code - 2 ** E.bits : code) * 2 ** -E.int!.fractionBits;
      const block = r.scales[Math.floor(i / M.blockSize)]!.value;
      // Two-level: the block scale times the tensor scale, rounded to float32 as the format reads it.
      const scale = M.tensorScale ? Math.fround(r.tensorScale! * block) : block;
      expect(r.values[i], `element ${i}`).toBe(element * scale);
      expect(r.errors[i]).toBe(r.values[i]! - INPUT[i]!);
    });
  });

  it(M.tensorScale ? 'a positive float32 tensor scale, mxQuantize’s' : 'no tensor scale', () => {
    const q = mxQuantize(M, INPUT);
    expect(r.tensorScale).toBe(q.tensorScale);
    if (M.tensorScale) expect(Math.fround(r.tensorScale!)).toBe(r.tensorScale);
  });

  it('the summary is the largest error over the elements', () => {
    expect(r.maxAbsError).toBe(Math.max(...Array.from(r.errors, Math.abs)));
  });
});

describe('block input', () => {
  it('reads numbers separated by commas, semicolons and white space, hex floats and inf included', () => {
    const r = parseBlockInput('1, -2.5;0x1p-3\n inf  nan');
    expect(r.ok && Array.from(r.values)).toEqual([1, -2.5, 0.125, Infinity, NaN]);
  });

  it.each([
    ['', 'no values'],
    ['1, x, 3', 'value 2: not a number'],
  ])('%j is refused: %s', (text, message) => {
    const r = parseBlockInput(text);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toContain(message);
  });

  it('samples are seeded: the same seed, the same 32 values with one large outlier', () => {
    expect(sampleBlock(5)).toEqual(sampleBlock(5));
    expect(sampleBlock(5)).not.toEqual(sampleBlock(6));
    expect(sampleBlock(5)).toHaveLength(32);
    expect(sampleBlock(5).filter((v) => Math.abs(v) >= 40)).toHaveLength(1);
  });
});
