/**
 * The .npy header parser: files numpy wrote in header versions 1, 2 and 3 and both byte orders,
 * the variants numpy reads but never writes ('|f4', '=f4', Python 2's `3L`, double quotes) —
 * each read as numpy.load reads it (test/fixtures/npy-headers, made by make/npy_headers.py) —
 * and headers numpy's own rules refuse, or that a pattern match would misread.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parsePyLiteral } from '../../../src/files/py-literal.js';
import { checkRange } from '../../../src/index.js';
import { cli } from '../../helpers/cli.js';
import { doubleFromHex } from '../../helpers/vectors.js';

const FIXTURES = new URL('../../fixtures/npy-headers/', import.meta.url).pathname;
const record = JSON.parse(readFileSync(join(FIXTURES, 'npy-headers.json'), 'utf8')) as Record<string, any>;
const tmp = mkdtempSync(join(tmpdir(), 'floatlab-npy-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const scan = (path: string) => cli('scan', path, '--to', 'float16', '--json');

describe.each(Object.keys(record).filter((f) => record[f].values))('%s, as numpy.load reads it', (file) => {
  it('has the shape and values numpy read (a wrong byte order changes max |x| and the counts)', async () => {
    const r = await scan(join(FIXTURES, file));
    expect(r.err).toBe('');
    const t = JSON.parse(r.out).tensors[0];
    expect(t.shape).toEqual(record[file].shape);
    const want = checkRange('float16', Float64Array.from(record[file].values as string[], doubleFromHex));
    expect({ count: t.count, overflow: t.overflow, underflow: t.underflow, maxAbs: t.maxAbs }).toEqual({
      count: want.count,
      overflow: want.overflow,
      underflow: want.underflow,
      maxAbs: want.maxAbs === Infinity ? 'Infinity' : want.maxAbs,
    });
  });
});

it('reads header version 3 (UTF-8), which numpy writes for non-Latin-1 headers', async () => {
  expect(record['v3-f4.npy'].version).toBe(3);
  expect((await scan(join(FIXTURES, 'v3-f4.npy'))).code).toBe(0);
});

it("reads '|f4' and '=f4' in the platform's order, as numpy does, not big-endian", async () => {
  for (const file of ['pipe-f4.npy', 'native-f4.npy']) {
    expect(record[file].numpy_dtype).toBe('<f4');
    expect(JSON.parse((await scan(join(FIXTURES, file))).out).tensors[0].maxAbs).toBe(Math.fround(3e38));
  }
});

it('names a structured dtype (descr is a list of fields) as such', async () => {
  const r = await scan(join(FIXTURES, 'structured.npy'));
  expect(r.code).toBe(2);
  expect(r.err).toMatch(
    /^floatlab: scan: FILE ".*structured\.npy": \.npy header \(offset 10\): descr is a list of fields, a structured dtype/,
  );
});

/** A version-1 .npy file with `header` (padded as numpy pads) and 8 float32 ones. */
function npy(name: string, header: string): string {
  const text = `${header + ' '.repeat((64 - ((10 + header.length + 1) % 64)) % 64)}\n`;
  const length = Buffer.alloc(2);
  length.writeUInt16LE(Buffer.byteLength(text, 'latin1'));
  const path = join(tmp, name);
  const data = new Uint8Array(new Float32Array(8).fill(1).buffer);
  writeFileSync(path, Buffer.concat([Buffer.from('\x93NUMPY\x01\x00', 'latin1'), length, Buffer.from(text, 'latin1'), data]));
  return path;
}

const OK = "{'descr': '<f4', 'fortran_order': False, 'shape': (8,), }";
describe.each<[string, string, RegExp]>([
  ['a repeated key', "{'descr': '<f8', 'descr': '<f4', 'fortran_order': False, 'shape': (8,), }", /key "descr" appears twice/],
  [
    "'descr': '<f8' inside another value",
    "{'x': \"'descr': '<f8'\", 'descr': '<f4', 'fortran_order': False, 'shape': (8,), }",
    /has key "x", which numpy's format does not define/,
  ],
  ['an unbalanced quote', "{'descr': '<f4'', 'fortran_order': False, 'shape': (8,), }", /offset 29\): expected ',' or '}'/],
  [
    'a dimension past 2^53',
    "{'descr': '<f4', 'fortran_order': False, 'shape': (9007199254740993, 0), }",
    /integer 9007199254740993 is past 2\^53/,
  ],
  ['trailing characters', `${OK} x`, /"x" after the literal/],
  ['a second literal', `${OK} {}`, /"{}" after the literal/],
  ['a shape that is not a tuple: (8) is 8', "{'descr': '<f4', 'fortran_order': False, 'shape': (8), }", /shape is not a tuple/],
  [
    'a negative dimension',
    "{'descr': '<f4', 'fortran_order': False, 'shape': (-8,), }",
    /shape is not a tuple of non-negative integers/,
  ],
  [
    'a boolean dimension',
    "{'descr': '<f4', 'fortran_order': False, 'shape': (True,), }",
    /shape is not a tuple of non-negative integers/,
  ],
  [
    'fortran_order that is not a bool',
    "{'descr': '<f4', 'fortran_order': 0, 'shape': (8,), }",
    /fortran_order is not True or False/,
  ],
  ['a missing key', "{'descr': '<f4', 'shape': (8,), }", /lacks fortran_order/],
  ['a list, not a dict', "['descr', '<f4']", /is not a dict/],
  ['a float dimension', "{'descr': '<f4', 'fortran_order': False, 'shape': (8.0,), }", /expected a value/],
])('a header with %s', (_what, header, message) => {
  it('is refused naming the offset, exit 2', async () => {
    const r = await scan(npy('bad.npy', header));
    expect(r.code).toBe(2);
    expect(r.out).toBe('');
    expect(r.err.trim().split('\n')).toHaveLength(1);
    expect(r.err).toMatch(/^floatlab: scan: FILE ".*bad\.npy": /);
    expect(r.err).toMatch(message);
  });
});

it('accepts the header every refusal above was made from', async () => {
  expect((await scan(npy('ok.npy', OK))).code).toBe(0);
});

it('refuses a header longer than numpy accepts (10,000 bytes)', async () => {
  const r = await scan(npy('long.npy', `${OK}${' '.repeat(10_000)}`));
  expect(r.err).toMatch(/header length 10\d\d\d \(offset 8\) is over numpy's limit of 10000 bytes/);
});

describe('parsePyLiteral', () => {
  const fail = (message: string, index: number): never => {
    throw new Error(`${message} @${index}`);
  };
  it.each<[string, unknown]>([
    ["'a\\'b\\\\c\\x41\\u00e9\\n'", "a'b\\cA\u00e9\n"],
    ['"it\'s"', "it's"],
    ['\'a\' "b"', 'ab'],
    ['1_000', 1000],
    ['-0', 0],
    ['None', null],
    ['True', true],
    ['()', { kind: 'tuple', items: [] }],
    ['(1,)', { kind: 'tuple', items: [1] }],
    ['((1))', 1],
    ['[1, (2, 3), ]', { kind: 'list', items: [1, { kind: 'tuple', items: [2, 3] }] }],
    ['{}', { kind: 'dict', entries: new Map() }],
  ])('%s', (text, want) => {
    expect(parsePyLiteral(text, false, fail)).toEqual(want);
  });

  it.each([
    ["'abc", /unterminated string @0/],
    ['3L', /expected a value/],
    ['Truex', /expected a value/],
    ['{1: 2}', /a dict key that is not a string @1/],
    ['01', /expected a value/],
    ['9007199254740992', /past 2\^53/],
    [`${'('.repeat(40)}${')'.repeat(40)}`, /nested deeper than 32/],
    ["'\\x4'", /bad \\x escape/],
  ])('refuses %s', (text, message) => {
    expect(() => parsePyLiteral(text, false, fail)).toThrow(message);
  });

  it("takes Python 2's 3L only when asked (headers of versions 1 and 2)", () => {
    expect(parsePyLiteral('(2L, 4L)', true, fail)).toEqual({ kind: 'tuple', items: [2, 4] });
  });
});
