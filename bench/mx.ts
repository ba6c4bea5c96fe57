/**
 * MX block quantization: million elements per second for MXFP4 and MXFP8 quantize (from a
 * Float32Array) and dequantize (to a Float32Array), beside the loop limit — a plain typed-array
 * loop over the same data — measured in the same run.
 */
import { mxDequantize, mxQuantize } from '../src/index.js';
import { type BenchLine, compare, measure, mixedMagnitudes, type Suite } from './harness.js';

export const mxSuite: Suite = {
  name: 'mx',
  run({ size, seconds }) {
    const src = mixedMagnitudes(size, 7);
    const src64 = Float64Array.from(src);
    const words = new Uint32Array(src.buffer);
    const bytes = new Uint8Array(size);
    const floats = new Float32Array(size);
    const lines: BenchLine[] = [];
    const line = (name: string, fn: () => unknown): BenchLine => ({ suite: 'mx', name, mElemPerSec: measure(fn, size, seconds) });

    // The loop limits: one byte out per float32 in, and one float32 out per byte in.
    const quantizeLimit = line('loop limit: u8[i] = u32[i] >>> 24', () => {
      for (let i = 0; i < size; i++) bytes[i] = words[i]! >>> 24;
      return bytes;
    });
    const dequantizeLimit = line('loop limit: f32[i] = u8[i]', () => {
      for (let i = 0; i < size; i++) floats[i] = bytes[i]!;
      return floats;
    });
    lines.push(quantizeLimit, dequantizeLimit);
    const out = new Float32Array(size);
    for (const fmt of ['mxfp4_e2m1', 'mxfp8_e4m3'] as const) {
      const q = mxQuantize(fmt, src);
      lines.push(
        compare(
          line(`mxQuantize Float32Array → ${fmt} (tiesToEven)`, () => mxQuantize(fmt, src)),
          quantizeLimit,
        ),
      );
      lines.push(
        compare(
          line(`mxDequantize ${fmt} → Float32Array`, () => mxDequantize(q, { out })),
          dequantizeLimit,
        ),
      );
    }
    // The reference path (what every other source type and rounding mode takes), for scale.
    lines.push(
      compare(
        line('mxQuantize Float64Array → mxfp4_e2m1 (reference path)', () => mxQuantize('mxfp4_e2m1', src64)),
        quantizeLimit,
      ),
    );
    return lines;
  },
};
