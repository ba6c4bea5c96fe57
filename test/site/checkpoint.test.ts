/**
 * The checkpoint inspector's model on the torch-written fixture (test/fixtures/checkpoints, see
 * its README): the tensors the header lists, and per tensor the float16 overflow, underflow and
 * subnormal counts the fixture's generator recorded.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CHUNK_ELEMENTS, inspectCheckpoint } from '../../site/src/lib/checkpoint.js';

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
