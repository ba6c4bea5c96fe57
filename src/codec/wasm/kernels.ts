/**
 * The WebAssembly kernels (./kernels.wat, inlined as ./binary.ts): the module, compiled on first
 * use, and the parameters each kernel takes for a format, derived from the format's record.
 * Which formats they serve is one predicate, {@link wasmFits}; the options they serve are
 * tiesToEven with or without saturate and flushSubnormals.
 * @internal
 */

import { HI } from '../../core/bits.js';
import { type Format, format } from '../../formats.js';
import { Mode, type ResolvedOptions } from '../../options.js';
import { roundValue } from '../../round.js';
import { encodeExact } from '../encode.js';
import { isTruncatedFloat32 } from '../fast/encode.js';
import { KERNELS_BASE64 } from './binary.js';

/** What the module exports. */
export interface KernelExports {
  readonly memory: WebAssembly.Memory;
  encode(src: number, dst: number, n: number, ...params: number[]): void;
  decode(src: number, dst: number, n: number, ...params: number[]): void;
  truncate(src: number, dst: number, n: number, ...params: number[]): void;
  widen(src: number, dst: number, n: number, ...params: number[]): void;
}

/** A kernel of the module and the parameters it takes after (src, dst, n). */
export interface KernelCall {
  readonly kernel: 'encode' | 'decode' | 'truncate' | 'widen';
  readonly params: readonly number[];
}

const FLOAT32 = format('float32');
/** The float32 word of 2^e, for e in float32's normal range. */
const powerWord = (e: number) => ((e + FLOAT32.bias) * 2 ** FLOAT32.manBits) | 0;
/** The bits a Float32Array holds after storing NaN: what the JS paths write for a NaN code. */
const NAN_BITS = new Int32Array(new Float32Array([NaN]).buffer)[0]!;

/**
 * Whether the kernels serve F: 16-bit codes of an IEEE-style format (sign, inf just past max,
 * NaN above it, −0, subnormals) whose values are all float32 values and whose subnormal quantum
 * is a float32 normal's unit in the last place — float16 and bfloat16 among the built-in ones.
 * WebAssembly memory is little-endian; on a big-endian platform the JS paths run.
 */
export function wasmFits(F: Format): boolean {
  return (
    HI === 1 &&
    F.bits === 16 &&
    F.signed &&
    F.hasInf &&
    F.hasNegativeZero &&
    F.hasSubnormals &&
    F.infCode === F.maxCode + 1 &&
    F.manBits < FLOAT32.manBits &&
    F.emax <= FLOAT32.emax &&
    F.emin >= FLOAT32.emin &&
    F.emin - F.manBits >= FLOAT32.emin - FLOAT32.manBits
  );
}

/** The code the generic path writes for x (an input that needs no rounding decision). */
const genericCode = (F: Format, x: number, o: ResolvedOptions) => encodeExact(F, roundValue(F, x, o));

const encodeCache = new WeakMap<Format, Map<number, KernelCall>>();

/** Codes that are a float32's top half (bfloat16): the lean kernels serve them. */
const isTopHalf = (F: Format) => isTruncatedFloat32(F) && F.bits === 16;

/** The kernel and parameters that encode float32s into F under o, or undefined when none serves them. @internal */
export function encodeCall(F: Format, o: ResolvedOptions): KernelCall | undefined {
  if (o.mode !== Mode.TiesToEven || !wasmFits(F)) return undefined;
  const key = (o.saturate ? 2 : 0) + (o.flushSubnormals ? 1 : 0);
  let byKey = encodeCache.get(F);
  if (!byKey) encodeCache.set(F, (byKey = new Map()));
  let call = byKey.get(key);
  if (!call) {
    const nan = genericCode(F, NaN, o);
    if (key === 0 && isTopHalf(F)) {
      call = { kernel: 'truncate', params: [nan] };
    } else {
      const sh = FLOAT32.manBits - F.manBits;
      const rebias = (FLOAT32.bias - F.bias) * 2 ** FLOAT32.manBits;
      const params = [
        sh,
        (2 ** (sh - 1) - 1 - rebias) | 0,
        powerWord(F.emin),
        // A float32 whose unit in the last place is F's subnormal quantum: adding it rounds there.
        powerWord(F.emin - F.manBits + FLOAT32.manBits),
        genericCode(F, Infinity, o),
        o.flushSubnormals ? F.manMask + 1 : 0,
        nan,
      ];
      call = { kernel: 'encode', params };
    }
    byKey.set(key, call);
  }
  return call;
}

/** The kernel and parameters that decode F's codes into float32s, or undefined when none serves them. */
export function decodeCall(F: Format): KernelCall | undefined {
  if (!wasmFits(F)) return undefined;
  if (isTopHalf(F)) return { kernel: 'widen', params: [F.infCode, NAN_BITS] };
  const params = [
    FLOAT32.manBits - F.manBits,
    (FLOAT32.bias - F.bias) * 2 ** FLOAT32.manBits,
    F.manMask + 1,
    powerWord(F.emin),
    F.infCode,
    NAN_BITS,
  ];
  return { kernel: 'decode', params };
}

/** The module's bytes. */
function moduleBytes(): Uint8Array<ArrayBuffer> {
  const text = atob(KERNELS_BASE64);
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
  return bytes;
}

/** undefined: not tried yet; null: WebAssembly, SIMD or the right to compile is missing. */
let kernels: KernelExports | null | undefined;

/**
 * The kernels, compiled and instantiated synchronously on first call (the module is about 1 KB,
 * under the 4 KB browsers allow on the main thread), or null when that fails: no WebAssembly, no
 * SIMD, or a Content-Security-Policy without 'wasm-unsafe-eval'. Tried once.
 */
export function loadKernels(): KernelExports | null {
  if (kernels === undefined) {
    try {
      const wasm = (globalThis as { WebAssembly?: typeof WebAssembly }).WebAssembly;
      kernels = wasm ? (new wasm.Instance(new wasm.Module(moduleBytes())).exports as unknown as KernelExports) : null;
    } catch {
      kernels = null;
    }
  }
  return kernels;
}

/** The kernels if already loaded (no attempt to load them). */
export function loadedKernels(): KernelExports | null | undefined {
  return kernels;
}
