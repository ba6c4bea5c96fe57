/**
 * Scaled FP8 weights in files (the compressed-tensors layout): a generated float32 safetensors
 * file converted with --scale, read back and multiplied out, against scaledQuantize computed
 * here; names, dtypes and shapes of the layout; scan's report of the converted file.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createRandom } from '../../src/core/random.js';
import { readSafetensors } from '../../src/files/open.js';
import { dequantizeScaled, FILE_SCALES, type FileScale, scaleShape } from '../../src/files/scaled.js';
import { writeSafetensors } from '../../src/files/write.js';
import { mxDequantize, mxQuantize } from '../../src/mx/quantize.js';
import { scaledDequantize, scaledQuantize } from '../../src/scaled/quantize.js';
import { cli } from '../helpers/cli.js';

const tmp = mkdtempSync(join(tmpdir(), 'floatlab-scaled-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

// 130 × 200: the 128-blocks leave partial ones on both sides.
const OUT = 130;
const IN = 200;
const rnd = createRandom(7);
const weight = Float32Array.from({ length: OUT * IN }, (_, i) => Math.fround((rnd() - 0.5) * 2 ** ((i % 13) - 6)));
const bias = Float32Array.from({ length: OUT }, (_, i) => i / 7);
const INPUT = join(tmp, 'in.safetensors');
writeFileSync(
  INPUT,
  writeSafetensors([
    { name: 'layer.fc.weight', dtype: 'F32', shape: [OUT, IN], data: new Uint8Array(weight.buffer) },
    { name: 'layer.fc.bias', dtype: 'F32', shape: [OUT], data: new Uint8Array(bias.buffer) },
    { name: 'norm.weight', dtype: 'F32', shape: [OUT], data: new Uint8Array(bias.buffer) },
  ]),
);
const GRANULARITY = {
  tensor: { granularity: 'tensor' },
  channel: { granularity: 'row' },
  block: { granularity: 'BxB', blockSize: 128 },
} as const;

async function converted(scale: FileScale) {
  const out = join(tmp, `${scale}.safetensors`);
  const r = await cli('convert', INPUT, out, '--to', 'float8_e4m3fn', '--scale', scale);
  expect(r.code, r.err).toBe(0);
  return readSafetensors(readFileSync(out));
}

describe.each(FILE_SCALES)('convert --scale %s', (scale) => {
  it('writes the layout: F8_E4M3 codes, an F32 scale of the convention’s shape, the rest as before', async () => {
    const f = await converted(scale);
    const layout = Object.fromEntries(f.tensors.map((t) => [t.name, [t.dtype.safetensors, t.shape]]));
    const scaleShapes = { tensor: [1], channel: [OUT, 1], block: [2, 2] }[scale];
    expect(scaleShape(scale, [OUT, IN])).toEqual(scaleShapes);
    expect(layout).toEqual({
      'layer.fc.weight': ['F8_E4M3', [OUT, IN]],
      'layer.fc.weight_scale': ['F32', scaleShapes],
      'layer.fc.bias': ['F8_E4M3', [OUT]],
      'norm.weight': ['F8_E4M3', [OUT]],
    });
  });

  it('round-trips: codes as scaledQuantize, the scale its reciprocal, code × scale within an ulp of scaledDequantize', async () => {
    const f = await converted(scale);
    const q = scaledQuantize({ element: 'float8_e4m3fn', ...GRANULARITY[scale] }, weight, { shape: [OUT, IN] });
    expect(await f.bytes('layer.fc.weight')).toEqual(q.codes);
    const factors = Float32Array.from(q.scales as Float32Array, (s) => 1 / s);
    expect(await f.values('layer.fc.weight_scale')).toEqual(factors);
    const values = await f.values('layer.fc.weight');
    const cols = scale === 'block' ? 128 : IN;
    const rowsPer = { tensor: OUT, channel: 1, block: 128 }[scale];
    const gc = Math.ceil(IN / cols);
    const expected = Float32Array.from(
      values,
      (v, i) => v * factors[Math.floor(Math.floor(i / IN) / rowsPer) * gc + Math.floor((i % IN) / cols)]!,
    );
    const got = (await dequantizeScaled(f, 'layer.fc.weight'))!;
    expect(got).toEqual(expected);
    const reference = scaledDequantize(q);
    for (let i = 0; i < got.length; i++) {
      const ulp = 2 ** (Math.floor(Math.log2(Math.abs(reference[i]!) || 2 ** -149)) - 23);
      if (Math.abs(got[i]! - reference[i]!) > ulp) expect.fail(`element ${i}: ${got[i]} vs ${reference[i]}`);
    }
  });

  it('scan reports the weight by its dequantized values and names the scale', async () => {
    await converted(scale);
    const r = await cli('scan', join(tmp, `${scale}.safetensors`), '--to', 'bfloat16', '--json');
    expect(r.code, r.err).toBe(0);
    const report = JSON.parse(r.out);
    const w = report.tensors.find((t: { name: string }) => t.name === 'layer.fc.weight');
    expect(w.dtype).toBe('F8_E4M3×scale');
    const got = (await dequantizeScaled(await converted(scale), 'layer.fc.weight'))!;
    expect(w.maxAbs).toBe(Math.max(...got.map(Math.abs)));
    expect(report.kept).toContainEqual({ name: 'layer.fc.weight_scale', dtype: 'F32', reason: 'scale of layer.fc.weight' });
  });
});

it('convert --scale leaves what --keep names as it was', async () => {
  const out = join(tmp, 'kept.safetensors');
  const r = await cli('convert', INPUT, out, '--to', 'float8_e4m3fn', '--scale', 'block', '--keep', 'layer.fc.weight');
  expect(r.code, r.err).toBe(0);
  const f = await readSafetensors(readFileSync(out));
  expect(f.tensors.map((t) => [t.name, t.dtype.safetensors])).toEqual([
    ['layer.fc.weight', 'F32'],
    ['layer.fc.bias', 'F8_E4M3'],
    ['norm.weight', 'F8_E4M3'],
  ]);
});

it('convert --scale refuses a target other than float8_e4m3fn', async () => {
  const r = await cli('convert', INPUT, join(tmp, 'x.safetensors'), '--to', 'bfloat16', '--scale', 'tensor');
  expect(r.code).not.toBe(0);
  expect(r.err).toMatch(/--scale: .*float8_e4m3fn/);
});

describe('convert --to nvfp4 (ModelOpt layout)', () => {
  const COLS = 64;
  const w = weight.subarray(0, OUT * COLS);
  const nvInput = join(tmp, 'nv-in.safetensors');
  const nvOut = join(tmp, 'nv.safetensors');
  const made = (async () => {
    writeFileSync(
      nvInput,
      writeSafetensors([
        { name: 'fc.weight', dtype: 'F32', shape: [OUT, COLS], data: new Uint8Array(w.slice().buffer) },
        { name: 'odd.weight', dtype: 'F32', shape: [2, 3], data: new Uint8Array(24) },
      ]),
    );
    const r = await cli('convert', nvInput, nvOut, '--to', 'nvfp4');
    expect(r.code, r.err).toBe(0);
    return readSafetensors(readFileSync(nvOut));
  })();

  it('writes packed U8 codes, E4M3 block scales and an F32 tensor scale; other tensors as they were', async () => {
    const f = await made;
    expect(Object.fromEntries(f.tensors.map((t) => [t.name, [t.dtype.safetensors, t.shape]]))).toEqual({
      'fc.weight': ['U8', [OUT, COLS / 2]],
      'fc.weight_scale': ['F8_E4M3', [OUT, COLS / 16]],
      'fc.weight_scale_2': ['F32', []],
      'odd.weight': ['F32', [2, 3]],
    });
  });

  it('holds mxQuantize(nvfp4) bit for bit and reads back as mxDequantize', async () => {
    const f = await made;
    const q = mxQuantize('nvfp4', w);
    expect(await f.bytes('fc.weight')).toEqual(q.codes);
    expect(await f.bytes('fc.weight_scale')).toEqual(q.scales);
    expect(Array.from(await f.values('fc.weight_scale_2'))).toEqual([q.tensorScale]);
    expect(await dequantizeScaled(f, 'fc.weight')).toEqual(mxDequantize(q));
  });

  it('scan reports the weight dequantized and names both scales', async () => {
    await made;
    const r = await cli('scan', nvOut, '--to', 'bfloat16', '--json');
    expect(r.code, r.err).toBe(0);
    const report = JSON.parse(r.out);
    const row = report.tensors.find((t: { name: string }) => t.name === 'fc.weight');
    expect(row.maxAbs).toBe(Math.max(...mxDequantize(mxQuantize('nvfp4', w)).map(Math.abs)));
    expect(report.kept.map((k: { reason: string }) => k.reason)).toEqual(['scale of fc.weight', 'scale of fc.weight']);
  });
});
