/**
 * The checkpoint inspector's model on the torch-written fixture (test/fixtures/checkpoints, see
 * its README): the tensors the header lists, and per tensor the float16 overflow, underflow and
 * subnormal counts the fixture's generator recorded.
 */
import { readFileSync } from 'node:fs';
import { checkRange, decode, format } from 'floatlab';
import { openTensorFile } from 'floatlab/files';
import { describe, expect, it } from 'vitest';
import {
  binaryExponent,
  CHUNK_ELEMENTS,
  formatExponents,
  inspectCheckpoint,
  inspectFiles,
  totals,
} from '../../site/src/lib/checkpoint.js';

const DIR = new URL('../fixtures/checkpoints/', import.meta.url);
const FILE = new Blob([readFileSync(new URL('model.safetensors', DIR))]);
const EXPECTED = JSON.parse(readFileSync(new URL('checkpoints.json', DIR), 'utf8'))['model.safetensors'].tensors as Record<
  string,
  { values?: string[]; int64?: string[]; float16?: { count: number; overflow: number; underflow: number; subnormal: number } }
>;

describe('inspectCheckpoint on model.safetensors', () => {
  it('lists every tensor of the file, floats with a report and integers without', async () => {
    const rows = await inspectCheckpoint(FILE, 'float16');
    // The fixture's JSON records every tensor but the two that hold every float8 code (checked below).
    expect(rows.map((r) => r.name).sort()).toEqual([...Object.keys(EXPECTED), 'quant.e4m3', 'quant.e5m2'].sort());
    for (const row of rows.filter((r) => !r.name.startsWith('quant.'))) {
      const want = EXPECTED[row.name]!;
      expect(row.count, row.name).toBe((want.values ?? want.int64)!.length);
      expect(row.report === null, row.name).toBe(want.values === undefined);
    }
  });

  it.each(Object.entries(EXPECTED).filter(([, t]) => t.float16))(
    '%s: the float16 counts the generator recorded',
    async (name, want) => {
      const row = (await inspectCheckpoint(FILE, 'float16')).find((r) => r.name === name)!;
      expect(row.report).toMatchObject(want.float16!);
    },
  );

  it.each(Object.entries(EXPECTED).filter(([, t]) => t.values))(
    '%s: largest magnitude as decoded from the fixture values',
    async (name, want) => {
      const values = want.values!.map((h) => new DataView(new BigUint64Array([BigInt(`0x${h}`)]).buffer).getFloat64(0, true));
      const finite = values.filter(Number.isFinite).map(Math.abs);
      const row = (await inspectCheckpoint(FILE, 'float64')).find((r) => r.name === name)!;
      expect(row.report!.maxAbs).toBe(Math.max(0, ...finite));
      expect(row.report!.overflow + row.report!.inexact).toBe(0);
    },
  );

  it.each([
    ['quant.e4m3', { count: 256, nan: 2, infinite: 0, maxAbs: 448 }],
    ['quant.e5m2', { count: 256, nan: 6, infinite: 2, maxAbs: 57344 }],
  ])('%s holds every code: its NaNs, infinities and largest magnitude', async (name, want) => {
    const row = (await inspectCheckpoint(FILE, 'float64')).find((r) => r.name === name)!;
    expect(row.report).toMatchObject(want);
  });

  it('reads in chunks far larger than these tensors (so one chunk each here)', () => {
    expect(CHUNK_ELEMENTS).toBeGreaterThan(600);
  });

  it.each([
    ['a file shorter than the length field', new Uint8Array(4), 'too short'],
    ['a header longer than the file', new Uint8Array([255, 0, 0, 0, 0, 0, 0, 0, 0]), 'larger than the file'],
  ])('refuses %s with the reader’s message', async (_, bytes, message) => {
    await expect(inspectCheckpoint(new Blob([bytes]), 'float16')).rejects.toThrow(message);
  });
});

/** The files of one model: the sharded fixture's three shards, and the checkpoints fixture's `.npy` files. */
const SHARDS = ['model-00001-of-00003.safetensors', 'model-00002-of-00003.safetensors', 'model-00003-of-00003.safetensors'].map(
  (name) => ({ name, blob: new Blob([readFileSync(new URL(`../fixtures/sharded/${name}`, import.meta.url))]) }),
);
const NPYS = ['mixed-f4.npy', 'mixed-f8.npy', 'big-endian-f4.npy', 'small-f2.npy'].map((name) => ({
  name,
  blob: new Blob([readFileSync(new URL(name, DIR))]),
}));

describe.each([
  ['three safetensors shards', SHARDS],
  ['.npy files', NPYS],
])('inspectFiles on %s', (_, files) => {
  describe.each(['float16', 'float8_e4m3fn', 'bfloat16'] as const)('against %s', (target) => {
    it('per tensor, the counts of checkRange on the tensor’s values; the histogram holds every finite value', async () => {
      const rows = await inspectFiles(files, target);
      let checked = 0;
      for (const f of files) {
        const file = await openTensorFile(f.blob);
        for (const t of file.tensors) {
          const row = rows.find((r) => r.file === f.name && r.name === t.name)!;
          expect(row, `${f.name} ${t.name}`).toBeDefined();
          if (!t.dtype.format) continue;
          const values = await file.values(t.name);
          expect(row.report, `${f.name} ${t.name}`).toEqual(checkRange(target, values));
          const finite = Array.from(values).filter(Number.isFinite);
          expect(row.histogram!.zeros).toBe(finite.filter((v) => v === 0).length);
          expect([...row.histogram!.counts.values()].reduce((a, b) => a + b, 0)).toBe(finite.filter((v) => v !== 0).length);
          checked++;
        }
      }
      expect(checked).toBeGreaterThan(0);
      expect(rows).toHaveLength(checked + rows.filter((r) => r.report === null).length);
    });

    it('the totals add the rows; the size after is what the target’s dtype stores', async () => {
      const rows = await inspectFiles(files, target);
      const t = totals(rows);
      const floats = rows.filter((r) => r.report);
      expect(t.overflow).toBe(floats.reduce((n, r) => n + r.report!.overflow, 0));
      expect(t.underflow).toBe(floats.reduce((n, r) => n + r.report!.underflow, 0));
      expect(t.subnormal).toBe(floats.reduce((n, r) => n + r.report!.subnormal, 0));
      expect(t.nan).toBe(floats.reduce((n, r) => n + r.report!.nan, 0));
      const bytes = format(target).bits / 8;
      expect(t.bytesAfter).toBe(rows.reduce((n, r) => n + (r.report ? r.count * bytes : r.bytes), 0));
    });
  });

  it('read in slices of 8 elements, the same rows as read whole; progress after every slice', async () => {
    let calls = 0;
    const sliced = await inspectFiles(files, 'float16', () => calls++, 8);
    expect(sliced).toEqual(await inspectFiles(files, 'float16'));
    expect(calls).toBeGreaterThan(sliced.filter((r) => r.report && r.count > 8).length * 2);
  });

  it('reports progress up to the bytes of all tensor data', async () => {
    const seen: number[] = [];
    const rows = await inspectFiles(files, 'float16', (p) => seen.push(p.done / p.total));
    expect(seen.at(-1)).toBe(1);
    expect(seen).toEqual([...seen].sort((a, b) => a - b));
    expect(totals(rows).bytes).toBeGreaterThan(0);
  });
});

it('names the file a reader refuses', async () => {
  await expect(inspectFiles([{ name: 'bad.npy', blob: new Blob([new Uint8Array(4)]) }], 'float16')).rejects.toThrow('bad.npy');
});

describe('binaryExponent', () => {
  it.each([
    [1, 0],
    [-1, 0],
    [0.75, -1],
    [2 ** -1074, -1074],
    [Number.MAX_VALUE, 1023],
    [1 - 2 ** -53, -1],
    [2 - 2 ** -52, 0],
    [65504, 15],
  ])('%d: %d', (x, e) => {
    expect(binaryExponent(x)).toBe(e);
  });

  it('2^e ≤ |x| < 2^(e+1) on every float16 value', () => {
    for (let c = 1; c < 0x7c00; c++) {
      const x = decode('float16', c);
      const e = binaryExponent(x);
      expect(2 ** e <= x && x < 2 ** (e + 1), String(x)).toBe(true);
    }
  });
});

it('the format’s exponent bounds: float16 from 2^-24 (subnormal) and 2^-14 (normal) to 2^15', () => {
  expect(formatExponents(format('float16'))).toEqual({ subnormal: -24, normal: -14, max: 15 });
});
