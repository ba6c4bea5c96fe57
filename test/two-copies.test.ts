/**
 * Two copies of floatlab in one program, as a project that both imports the ESM build and
 * requires the CommonJS build gets (or two bundles): a Format or MxFormat made by one copy is a
 * format to the other, and so is one read back from JSON. The copies are the package's builds,
 * dist/index.js and dist/index.cjs, which `npm test` makes first (`npm run build` before running
 * this file alone).
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { beforeAll, describe, expect, it } from 'vitest';

type Floatlab = typeof import('../src/index.js');
const DIST = new URL('../dist/', import.meta.url);
const copies: Record<'esm' | 'cjs', Floatlab> = {} as never;

beforeAll(async () => {
  for (const file of ['index.js', 'index.cjs']) {
    if (!existsSync(new URL(file, DIST))) throw new Error(`dist/${file} is missing: run \`npm run build\` first`);
  }
  copies.esm = (await import(new URL('index.js', DIST).href)) as Floatlab;
  copies.cjs = createRequire(import.meta.url)(new URL('index.cjs', DIST).pathname) as Floatlab;
});

const PAIRS = [
  ['esm', 'cjs'],
  ['cjs', 'esm'],
] as const;

describe.each(PAIRS)('a format made by the %s copy, used by the %s copy', (from, to) => {
  it('the two copies are two copies (their formats are different objects)', () => {
    expect(copies[from].format('float16')).not.toBe(copies[to].format('float16'));
  });

  it.each(['float16', 'bfloat16', 'float8_e4m3fn', 'float64', 'float4_e2m1fn'])(
    '%s: encode, finfo, Tensor, encodeArray',
    (name) => {
      const { format } = copies[from];
      const L = copies[to];
      const F = format(name);
      expect(L.format(F)).toBe(L.format(name));
      expect(L.encode(F, 1 / 3)).toEqual(L.encode(name, 1 / 3));
      expect(L.finfo(F)).toEqual(L.finfo(name));
      expect(L.Tensor.from([1 / 3, 2], { dtype: F }).dtype).toBe(L.format(name));
      expect(L.encodeArray(F, [1 / 3, 3])).toEqual(L.encodeArray(name, [1 / 3, 3]));
    },
  );

  it('a custom format', () => {
    const e3m3 = copies[from].defineFormat({ name: 'e3m3', expBits: 3, manBits: 3 });
    const L = copies[to];
    expect(L.round(e3m3, 1.3)).toBe(1.25);
    expect(L.format(e3m3)).toBe(L.format(e3m3));
    expect(L.finfo(e3m3).max).toBe(15);
  });

  it('a block format: mxQuantize, Tensor', () => {
    const M = copies[from].mxFormat('mxfp4');
    const L = copies[to];
    expect(L.mxFormat(M)).toBe(L.mxFormat('mxfp4'));
    expect(L.mxQuantize([1, 2, 3], M).codes).toEqual(L.mxQuantize([1, 2, 3], 'mxfp4').codes);
    expect(L.Tensor.from([1, 2], { dtype: M }).dtype).toBe(L.mxFormat('mxfp4'));
    const custom = copies[from].defineMxFormat({ element: { name: 'int4', bits: 4, fractionBits: 2 }, blockSize: 16 });
    expect(L.mxFormat(custom).element.max).toBe(1.75);
  });
});

describe('a format read back from JSON', () => {
  const L = () => copies.esm;
  it.each(['float16', 'float8_e8m0fnu', 'float64'])('%s is the format', (name) => {
    expect(L().format(JSON.parse(JSON.stringify(L().format(name))))).toBe(L().format(name));
  });

  it('mxfp8_e4m3 is the block format', () => {
    const M = L().mxFormat('mxfp8_e4m3');
    expect(L().mxFormat(JSON.parse(JSON.stringify(M)))).toBe(M);
  });

  it.each<[string, Record<string, unknown>, RegExp]>([
    ['a derived field that is not derived', { max: 1 }, /^encode: fmt\.max is the number 1, but its record gives 65504$/],
    ['a built-in name with other fields', { manBits: 9, bits: 15 }, /^encode: fmt\.bits is the number 15, but float16's is 16$/],
    [
      'a record that is no format',
      { name: 'x', bits: 70, expBits: 30, manBits: 39 },
      /^encode: fmt\.expBits must be an integer from 1 to 11, got 30$/,
    ],
  ])('%s is a RangeError naming the field', (_what, change, message) => {
    const forged = { ...JSON.parse(JSON.stringify(L().format('float16'))), ...change };
    expect(() => L().encode(forged, 1)).toThrow(RangeError);
    expect(() => L().encode(forged, 1)).toThrow(message);
  });
});
