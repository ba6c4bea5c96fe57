/**
 * Runs the WebAssembly kernels for encodeArray and decodeArray, or says no (returns false) so the
 * caller takes the JS fast paths. Arrays outside WebAssembly memory are copied through a fixed
 * staging area in chunks (the memory never grows for them); arrays already in it (see
 * {@link WasmArena}) are converted where they are.
 * @internal
 */
import { checkChoice } from '../../core/validation.js';
import type { Format } from '../../formats.js';
import type { ResolvedOptions } from '../../options.js';
import { decodeCall, encodeCall, type KernelCall, type KernelExports, loadedKernels, loadKernels } from './kernels.js';

/** How encodeArray and decodeArray choose the WebAssembly kernels. */
export type WasmMode = 'auto' | 'always' | 'never';

/** Elements per staging chunk: 32 KiB of float32 words and 16 KiB of codes (chunks that stay in L1/L2 measured fastest). */
export const STAGE = 8192;
/** Where the staged float32 words and codes sit in WebAssembly memory. */
export const STAGE_WORDS = 0;
export const STAGE_CODES = 4 * STAGE;
/** The first byte after the staging area: where arena memory starts. */
export const STAGE_END = STAGE_CODES + 2 * STAGE;

/**
 * Below this many elements `auto` keeps to the JS kernels, whose start is cheaper (measured in
 * docs/performance.md); views already in WebAssembly memory take the kernels at any length.
 */
export const WASM_THRESHOLD = 64;

const MODES: readonly WasmMode[] = ['auto', 'always', 'never'];

function modeFromEnvironment(): WasmMode {
  const env = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env;
  const v = env?.FLOATLAB_WASM;
  return v === '0' ? 'never' : v === '1' ? 'always' : 'auto';
}

let mode: WasmMode = modeFromEnvironment();

/**
 * Chooses how {@link encodeArray} and {@link decodeArray} use their WebAssembly SIMD kernels
 * (float32 ↔ float16 and bfloat16, tiesToEven): `'auto'` (the default) above a small size,
 * `'always'` at every size, `'never'` not at all. The environment variable `FLOATLAB_WASM=0` or
 * `=1` sets `'never'` or `'always'` at load time. Where WebAssembly or SIMD is missing, or a
 * Content-Security-Policy forbids compiling, the JS kernels run whatever the mode. The results
 * are the same bits either way; returns the previous mode.
 *
 * @throws TypeError for a mode that is not a string, RangeError for any other string than the three
 * @example
 * ```ts
 * setWasmMode('never');  // 'auto'
 * setWasmMode('auto');   // 'never'
 * ```
 */
export function setWasmMode(next: WasmMode): WasmMode {
  if (next === undefined) throw new TypeError("setWasmMode: mode must be 'auto', 'always' or 'never', got undefined");
  const previous = mode;
  mode = checkChoice('setWasmMode', 'mode', next, MODES, mode);
  return previous;
}

/**
 * Whether the WebAssembly kernels can run here (compiling them on first call): false where
 * WebAssembly or SIMD is missing or compiling is forbidden.
 *
 * @example
 * ```ts
 * wasmAvailable();  // true (in Node 20 and current browsers)
 * ```
 */
export function wasmAvailable(): boolean {
  return loadKernels() !== null;
}

/** The kernels' memory views, remade when the memory grows (growing detaches the old ones). */
let heap: { buffer: ArrayBuffer; words: Float32Array; codes: Uint16Array } | undefined;

function heapOf(k: KernelExports) {
  const buffer = k.memory.buffer;
  if (heap?.buffer !== buffer) {
    heap = {
      buffer,
      words: new Float32Array(buffer, STAGE_WORDS, STAGE),
      codes: new Uint16Array(buffer, STAGE_CODES, STAGE),
    };
  }
  return heap;
}

/** The kernels to use for n elements, or undefined; `inMemory`: an array already lives in their memory. */
function kernelsFor(n: number, inMemory: boolean): KernelExports | undefined {
  if (mode === 'never' || (mode === 'auto' && n < WASM_THRESHOLD && !inMemory)) return undefined;
  return loadKernels() ?? undefined;
}

/**
 * Where a view lives: 0 outside the kernels' memory, 1 in it above the staging area (an arena's
 * arrays), −1 in it over the staging area (a view made by hand; the JS kernels take those, as
 * staging would overwrite them). Only once the kernels are loaded: an arena loads them.
 */
function placeOf(view: ArrayBufferView): number {
  const k = loadedKernels();
  if (!k || view.buffer !== k.memory.buffer) return 0;
  return view.byteOffset >= STAGE_END ? 1 : -1;
}

/** Runs one kernel call over n elements at byte addresses src and dst of the kernels' memory. */
function run(k: KernelExports, call: KernelCall, src: number, dst: number, n: number): void {
  k[call.kernel](src, dst, n, ...call.params);
}

/** The arrays the kernels read and write: float32 words and 16-bit codes. */
type Staged = Float32Array | Uint16Array;

/**
 * Runs `call` from `src` into `out`, each converted where it is if it lives in the kernels' memory
 * and staged chunk by chunk otherwise; or returns false (no kernel, `auto` below the threshold,
 * no WebAssembly, or a view over the staging area).
 */
function convert(call: KernelCall | undefined, src: Staged, out: Staged): boolean {
  if (!call) return false;
  const [srcAt, outAt] = [placeOf(src), placeOf(out)];
  if (srcAt < 0 || outAt < 0) return false;
  const n = src.length;
  const k = kernelsFor(n, srcAt > 0 || outAt > 0);
  if (!k) return false;
  if (srcAt > 0 && outAt > 0) {
    run(k, call, src.byteOffset, out.byteOffset, n);
    return true;
  }
  for (let start = 0; start < n; start += STAGE) {
    const len = Math.min(STAGE, n - start);
    const h = heapOf(k);
    const [srcStage, srcStageAt] = src instanceof Float32Array ? [h.words, STAGE_WORDS] : [h.codes, STAGE_CODES];
    const [outStage, outStageAt] = out instanceof Float32Array ? [h.words, STAGE_WORDS] : [h.codes, STAGE_CODES];
    if (srcAt === 0) srcStage.set(len === n ? src : src.subarray(start, start + len));
    run(
      k,
      call,
      srcAt > 0 ? src.byteOffset + src.BYTES_PER_ELEMENT * start : srcStageAt,
      outAt > 0 ? out.byteOffset + out.BYTES_PER_ELEMENT * start : outStageAt,
      len,
    );
    if (outAt === 0) out.set(len === STAGE ? outStage : outStage.subarray(0, len), start);
  }
  return true;
}

/** Encodes `src` into `out` by a WebAssembly kernel, or returns false. @internal */
export function encodeWasm(F: Format, src: ArrayLike<number>, out: ArrayBufferView, o: ResolvedOptions): boolean {
  return src instanceof Float32Array && out instanceof Uint16Array && convert(encodeCall(F, o), src, out);
}

/** Decodes `codes` into `out` by a WebAssembly kernel, or returns false. @internal */
export function decodeWasm(F: Format, codes: ArrayBufferView, out: ArrayBufferView): boolean {
  return codes instanceof Uint16Array && out instanceof Float32Array && convert(decodeCall(F), codes, out);
}
