/**
 * Arrays that live in the WebAssembly kernels' memory, so encodeArray and decodeArray convert
 * them where they are instead of copying them through the staging area.
 */
import { checkInteger, checkOptionsObject, describe } from '../../core/validation.js';
import { STAGE_END } from './bulk.js';
import { type KernelExports, loadKernels } from './kernels.js';

/** The arrays an arena hands out. */
export type ArenaArray = Float32Array | Uint16Array;

/** Bytes per WebAssembly memory page. */
const PAGE = 65536;
/** The most a 32-bit WebAssembly memory can hold. */
const MAX_BYTES = 2 ** 32;
/** Allocations start on 16-byte boundaries (one SIMD vector). */
const ALIGN = 16;

/** A stretch of the memory: its byte offset and size. */
interface Block {
  readonly at: number;
  readonly bytes: number;
}

/** Where a handed-out array lives (at −1 for an ordinary array), and its length. */
interface Allocation extends Block {
  readonly length: number;
}

/** The free blocks of the kernels' memory above the staging area, by address; shared by every arena. */
const free: Block[] = [];
let freeFrom = -1;

function initFree(k: KernelExports): void {
  if (freeFrom >= 0) return;
  freeFrom = STAGE_END;
  free.push({ at: STAGE_END, bytes: k.memory.buffer.byteLength - STAGE_END });
}

/** Takes `bytes` (a multiple of ALIGN) from the free list, growing the memory when nothing fits. */
function take(k: KernelExports, bytes: number): number {
  initFree(k);
  let i = free.findIndex((b) => b.bytes >= bytes);
  if (i < 0) {
    // Grow by at least the current size, so n allocations grow the memory O(log n) times.
    const size = k.memory.buffer.byteLength;
    const last = free[free.length - 1];
    const tail = last && last.at + last.bytes === size ? last.bytes : 0;
    const pages = Math.max(Math.ceil((bytes - tail) / PAGE), size / PAGE);
    try {
      k.memory.grow(pages);
    } catch {
      throw new RangeError(`WasmArena: cannot grow the WebAssembly memory by ${pages * PAGE} bytes to allocate ${bytes}`);
    }
    give({ at: size, bytes: pages * PAGE });
    i = free.findIndex((b) => b.bytes >= bytes);
  }
  const b = free[i]!;
  if (b.bytes === bytes) free.splice(i, 1);
  else free[i] = { at: b.at + bytes, bytes: b.bytes - bytes };
  return b.at;
}

/** Returns a block to the free list, merging it with its neighbours. */
function give(block: Block): void {
  let i = 0;
  while (i < free.length && free[i]!.at < block.at) i++;
  let { at, bytes } = block;
  const next = free[i];
  if (next && at + bytes === next.at) {
    bytes += next.bytes;
    free.splice(i, 1);
  }
  const prev = free[i - 1];
  if (prev && prev.at + prev.bytes === at) {
    free[i - 1] = { at: prev.at, bytes: prev.bytes + bytes };
  } else {
    free.splice(i, 0, { at, bytes });
  }
}

/**
 * A set of typed arrays in floatlab's WebAssembly memory. encodeArray and decodeArray convert
 * such arrays in place of copying them in and out, the fastest path there is (see
 * docs/performance.md): allocate, fill, convert, read, release.
 *
 * The rules:
 * - **Growth detaches views.** When an allocation does not fit, the memory grows, and every view
 *   of the old memory, from any arena, becomes detached (length 0; floatlab's functions refuse
 *   it). Call {@link WasmArena.current} on a view to get the view of the same elements in the
 *   grown memory; the contents are kept. Allocate everything first, or reserve room with the
 *   constructor's `bytes`, and no view detaches afterwards.
 * - **Release what you allocate.** {@link WasmArena.release} frees one array,
 *   {@link WasmArena.releaseAll} every array of the arena; their memory is then reused by later
 *   allocations, so a released view must no longer be used. The memory itself never shrinks
 *   (WebAssembly memory cannot).
 * - Use the arrays it hands out (and views inside them). Views made by hand over the memory's
 *   `buffer` elsewhere may overlap the staging area or other arenas' arrays; floatlab converts
 *   those on the JS kernels.
 * - Without WebAssembly (or where compiling it is forbidden) an arena hands out ordinary typed
 *   arrays: the same code runs, on the JS kernels, and {@link WasmArena.inWasmMemory} is false.
 *
 * @example
 * ```ts
 * const arena = new WasmArena();
 * const x = arena.float32(3);
 * x.set([1, -2, 0.1]);
 * const codes = arena.uint16(3);
 * encodeArray('bfloat16', x, { out: codes });  // Uint16Array [16256, 49152, 15821]
 * arena.releaseAll();
 * ```
 */
export class WasmArena {
  /** The kernels whose memory the arrays live in, or null (ordinary arrays). */
  private readonly kernels: KernelExports | null;
  /** Every view handed out, with its allocation (a detached view still finds it). */
  private readonly blocks = new WeakMap<ArrayBufferView, Allocation>();
  /** The allocations this arena holds. */
  private readonly held = new Set<Allocation>();

  /**
   * @param opts - `bytes`: room to make now, so that allocations up to that total do not grow the
   *   memory later (and so detach no view)
   */
  constructor(opts?: { bytes?: number }) {
    const fn = 'new WasmArena';
    const o = checkOptionsObject(fn, opts, ['bytes']);
    const bytes = o?.bytes === undefined ? 0 : checkInteger(fn, 'opts.bytes', o.bytes, 0, MAX_BYTES);
    this.kernels = loadKernels();
    if (bytes > 0 && this.kernels) give({ at: take(this.kernels, roundUp(bytes)), bytes: roundUp(bytes) });
  }

  /** Whether the arrays live in WebAssembly memory (false where WebAssembly is unavailable). */
  get inWasmMemory(): boolean {
    return this.kernels !== null;
  }

  /**
   * A new Float32Array of n zeros.
   * @example
   * ```ts
   * new WasmArena().float32(2);  // Float32Array [0, 0]
   * ```
   */
  float32(n: number): Float32Array {
    return this.#allocate('float32', Float32Array, n);
  }

  /**
   * A new Uint16Array of n zeros (the codes of float16 and bfloat16).
   * @example
   * ```ts
   * new WasmArena().uint16(2);  // Uint16Array [0, 0]
   * ```
   */
  uint16(n: number): Uint16Array {
    return this.#allocate('uint16', Uint16Array, n);
  }

  #allocate<T extends ArenaArray>(
    fn: string,
    Type: { new (b: ArrayBufferLike, at: number, n: number): T; new (n: number): T; BYTES_PER_ELEMENT: number },
    n: number,
  ): T {
    checkInteger(`WasmArena.${fn}`, 'n', n, 0, MAX_BYTES / Type.BYTES_PER_ELEMENT);
    let view: T;
    let block: Allocation;
    if (this.kernels) {
      const bytes = roundUp(n * Type.BYTES_PER_ELEMENT);
      block = { at: take(this.kernels, bytes), bytes, length: n };
      view = new Type(this.kernels.memory.buffer, block.at, n);
      view.fill(0);
    } else {
      view = new Type(n);
      block = { at: -1, bytes: 0, length: n };
    }
    this.held.add(block);
    this.blocks.set(view, block);
    return view;
  }

  /**
   * The view of the same elements in the current memory: `view` itself unless the memory has
   * grown since it was made (which detached it).
   * @throws TypeError if `view` is not an array of this arena, or was released
   * @example
   * ```ts
   * const arena = new WasmArena();
   * const a = arena.float32(1);
   * arena.current(a) === a;  // true
   * ```
   */
  current<T extends ArenaArray>(view: T): T {
    const block = this.#blockOf('current', view);
    if (!this.kernels || view.buffer === this.kernels.memory.buffer) return view;
    const Type = view.constructor as new (b: ArrayBufferLike, at: number, n: number) => T;
    const fresh = new Type(this.kernels.memory.buffer, block.at, block.length);
    this.blocks.set(fresh, block);
    return fresh;
  }

  /**
   * Frees one array of this arena; its memory is reused by later allocations.
   * @throws TypeError if `view` is not an array of this arena, or was released
   */
  release(view: ArenaArray): void {
    const block = this.#blockOf('release', view);
    this.held.delete(block);
    if (this.kernels) give(block);
  }

  /** Frees every array of this arena. */
  releaseAll(): void {
    if (this.kernels) for (const block of this.held) give(block);
    this.held.clear();
  }

  #blockOf(fn: string, view: ArenaArray): Allocation {
    const block = this.blocks.get(view);
    if (!(block && this.held.has(block))) {
      throw new TypeError(`WasmArena.${fn}: view must be an unreleased array of this arena, got ${describe(view)}`);
    }
    return block;
  }
}

const roundUp = (bytes: number) => Math.max(ALIGN, Math.ceil(bytes / ALIGN) * ALIGN);
