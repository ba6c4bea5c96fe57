/**
 * Two-level block scaling, NVFP4's: one float32 scale for the whole tensor from its amax, and
 * one block scale per run of elements in a narrow float format (E4M3) relative to it — torchao's
 * `nvfp4_quantize` with a per-tensor scale (torchao/prototype/mx_formats/nvfp4_tensor.py at
 * commit 02a1bc442cbbd6ddee8719200ac00316e4e45709), every step in float32 as there.
 * @internal
 */
import { decodeCode } from '../codec/decode.js';
import { encodeExact } from '../codec/encode.js';
import type { MxFormat } from '../mx/formats.js';
import { DEFAULT_OPTIONS } from '../options.js';
import { roundValue } from '../round.js';
import type { GroupScaler } from './core.js';

/**
 * The per-tensor scale (torchao's `per_tensor_amax_to_scale`): amax / (max_scale × max_elem),
 * a float32 division (NVFP4: amax / (448 × 6)), so that the largest block scale can use all of
 * E4M3. An amax of 0, or one so small that the quotient is 0 in float32, gives 1 (torchao
 * would divide by zero).
 */
export function twoLevelTensorScale(M: MxFormat, amax: number): number {
  const g = Math.fround(Math.fround(amax) / (M.scaleFormat.max * M.element.max));
  return g > 0 ? g : 1;
}

/**
 * The block scaler of torchao's two-level path: the block scale amax_block / max_elem in
 * float32, divided by the tensor scale g, clamped to [smallest normal, max] of the scale format
 * and rounded to it (ties to even); the elements are then x / (g × d) in float32. A block with
 * NaN or ±inf gets the NaN scale (E2M1 holds neither).
 */
export function twoLevelBlockScaler(M: MxFormat, g: number, scales: Uint8Array): GroupScaler {
  const S = M.scaleFormat;
  const E = M.element;
  return (b, stats) => {
    if (stats.nan || stats.inf) {
      scales[b] = S.nanCode;
      return null;
    }
    const relative = Math.fround(Math.fround(stats.amax / E.max) / g);
    const d = roundValue(S, Math.min(Math.max(relative, S.smallestNormal), S.max), DEFAULT_OPTIONS);
    scales[b] = encodeExact(S, d);
    const total = Math.fround(g * d);
    return (x) => Math.fround(x / total);
  };
}

/** The factor a block's elements are multiplied by on the way back: g × d in float32 (torchao's `get_hp_scales`); NaN for the NaN code. */
export function twoLevelFactor(M: MxFormat, code: number, g: number): number {
  return Math.fround(g * decodeCode(M.scaleFormat, code));
}
