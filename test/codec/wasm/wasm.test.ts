/**
 * The WebAssembly kernels give the generic path's bits: float32 → float16/bfloat16 (tiesToEven,
 * with saturate and flushSubnormals) and every code back, over every neighbourhood of the 16-bit
 * formats, NaN payloads and signs, every tail length around the vector width and the staging
 * chunks, views off 16-byte boundaries, arrays in WebAssembly memory (WasmArena), with the
 * kernels forced on and off. Where WebAssembly is missing or compiling is forbidden, everything
 * falls back to the JS kernels.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { compileKernels } from '../../../scripts/build-wasm.mjs';
import { decodeArrayGeneric, type EncodeArrayOptions, encodeArrayGeneric } from '../../../src/codec/array.js';
import { KERNELS_BASE64 } from '../../../src/codec/wasm/binary.js';
import { decodeWasm, encodeWasm, STAGE } from '../../../src/codec/wasm/bulk.js';
import { wasmFits } from '../../../src/codec/wasm/kernels.js';
import {
  decodeArray,
  encodeArray,
  FORMAT_NAMES,
  type FormatName,
  format,
  setWasmMode,
  WasmArena,
  type WasmMode,
  wasmAvailable,
} from '../../../src/index.js';
import { resolveOptions } from '../../../src/options.js';
import { concat, edgeInputs, magnitudeCodes, randomInputs } from '../../helpers/inputs.js';

const WASM = FORMAT_NAMES.filter((n) => wasmFits(format(n)));
const OPTION_SETS = [{}, { saturate: true }, { flushSubnormals: true }, { saturate: true, flushSubnormals: true }];
const MODES: WasmMode[] = ['always', 'never'];

afterEach(() => {
  setWasmMode('auto');
});

/** The first few indices where two arrays' elements (or bits) differ. */
function mismatches(a: ArrayLike<number>, b: ArrayLike<number>): string[] {
  const wrong: string[] = [];
  for (let i = 0; i < Math.max(a.length, b.length) && wrong.length < 5; i++) {
    if (a[i] !== b[i]) wrong.push(`[${i}] ${a[i]} != ${b[i]}`);
  }
  return wrong;
}

/** The generic path's codes of a 16-bit format. */
const generic = (name: FormatName, src: Float32Array, o?: EncodeArrayOptions) => encodeArrayGeneric(name, src, o) as Uint16Array;

const bits = (a: Float32Array) => new Uint32Array(a.buffer, a.byteOffset, a.length);

/** Float32 inputs from bit patterns. */
const fromBits = (words: number[]) => new Float32Array(new Uint32Array(words).buffer);

/** Every NaN's sign and a spread of payloads, quiet and signalling. */
const NANS = fromBits([1, 2, 0x3fffff, 0x400000, 0x400001, 0x555555, 0x7fffff].flatMap((p) => [0x7f800000 + p, 0xff800000 + p]));

/** A copy of `src` in a new buffer, starting `shift` elements past its start (off a 16-byte boundary for shift % 4 ≠ 0). */
function shifted<T extends Float32Array | Uint16Array>(src: T, shift: number): T {
  const Type = src.constructor as new (b: ArrayBuffer, at: number, n: number) => T;
  const view = new Type(new ArrayBuffer((src.length + shift) * src.BYTES_PER_ELEMENT), shift * src.BYTES_PER_ELEMENT, src.length);
  view.set(src);
  return view;
}

describe('the WebAssembly kernels', () => {
  it('serve float16 and bfloat16 among the built-in formats, and run in Node', () => {
    expect(WASM).toEqual(['float16', 'bfloat16']);
    expect(wasmAvailable()).toBe(true);
  });

  it('are the module kernels.wat compiles to (binary.ts is up to date)', async () => {
    expect(await compileKernels()).toBe(KERNELS_BASE64);
  });

  it('setWasmMode returns the previous mode and refuses others', () => {
    expect(setWasmMode('never')).toBe('auto');
    expect(setWasmMode('always')).toBe('never');
    expect(() => setWasmMode('sometimes' as WasmMode)).toThrow(RangeError);
    expect(() => setWasmMode(1 as unknown as WasmMode)).toThrow(TypeError);
  });
});

describe.each(WASM.map((n) => [n] as const))('%s', (name) => {
  const F = format(name);
  const every = concat(edgeInputs(F, 'float32', magnitudeCodes(F, false)) as Float32Array, NANS);
  const random = randomInputs(F, 'float32', 20000, 5, true) as Float32Array;
  const codes = Uint16Array.from({ length: 65536 }, (_, c) => c);

  it.each(OPTION_SETS.map((o) => [JSON.stringify(o), o] as const))(
    'the encode kernel %s, called directly: every neighbourhood',
    (_, extra) => {
      const o = resolveOptions('test', extra);
      const wrong: string[] = [];
      for (const src of [every, random]) {
        const out = new Uint16Array(src.length);
        expect(encodeWasm(F, src, out, o)).toBe(true);
        wrong.push(...mismatches(out, generic(name, src, extra)));
      }
      expect(wrong).toEqual([]);
    },
  );

  it('the decode kernel, called directly: every code, NaN codes to the canonical NaN', () => {
    const out = new Float32Array(codes.length);
    expect(decodeWasm(F, codes, out)).toBe(true);
    expect(mismatches(bits(out), bits(decodeArrayGeneric(name, codes) as Float32Array))).toEqual([]);
  });

  it('NaN inputs of every sign and payload give the generic NaN code', () => {
    setWasmMode('always');
    const nanCodes = generic(name, NANS);
    expect(new Set(nanCodes)).toEqual(new Set([F.nanCode]));
    expect(mismatches(encodeArray(name, NANS) as Uint16Array, nanCodes)).toEqual([]);
  });

  it('the other rounding modes are not theirs', () => {
    const out = new Uint16Array(8);
    expect(encodeWasm(F, random.subarray(0, 8), out, resolveOptions('test', { rounding: 'towardZero' }))).toBe(false);
  });

  it.each(MODES.map((m) => [m] as const))(
    'forced %s: encodeArray and decodeArray over every neighbourhood and option',
    (mode) => {
      setWasmMode(mode);
      const wrong = OPTION_SETS.flatMap((o) => mismatches(encodeArray(name, every, o) as Uint16Array, generic(name, every, o)));
      wrong.push(
        ...mismatches(bits(decodeArray(name, codes) as Float32Array), bits(decodeArrayGeneric(name, codes) as Float32Array)),
      );
      expect(wrong).toEqual([]);
    },
  );

  // Lengths around the vector width (8) and the staging chunk, from views at every 4-byte offset
  // of a 16-byte vector (the source) and every 2-byte offset (the codes).
  const lengths = [...Array.from({ length: 41 }, (_, n) => n), STAGE - 9, STAGE - 1, STAGE, STAGE + 1, STAGE + 7, 2 * STAGE + 13];
  it.each(MODES.flatMap((m) => [0, 1, 2, 3].map((shift) => [m, shift] as const)))(
    'forced %s, views shifted by %i elements: every tail length, encode and decode',
    (mode, shift) => {
      setWasmMode(mode);
      const wrong: string[] = [];
      for (const n of lengths) {
        const src = shifted(random.subarray(0, n), shift);
        const out = shifted(new Uint16Array(n), (shift + 1) % 4);
        encodeArray(name, src, { out });
        const expected = generic(name, src);
        wrong.push(...mismatches(out, expected).map((w) => `encode n=${n} ${w}`));
        const values = shifted(new Float32Array(n), (shift + 3) % 4);
        decodeArray(name, shifted(expected, shift), { out: values });
        wrong.push(
          ...mismatches(bits(values), bits(decodeArrayGeneric(name, expected) as Float32Array)).map((w) => `decode n=${n} ${w}`),
        );
      }
      expect(wrong).toEqual([]);
    },
  );
});

describe('WasmArena', () => {
  const src = randomInputs(format('bfloat16'), 'float32', 3 * STAGE + 5, 3, true) as Float32Array;

  it.each(WASM.map((n) => [n] as const))(
    '%s: arrays in WebAssembly memory convert where they are, at any length and offset',
    (name) => {
      const arena = new WasmArena({ bytes: 16 * src.length });
      expect(arena.inWasmMemory).toBe(true);
      const wrong: string[] = [];
      for (const n of [0, 1, 7, 8, 9, 33, STAGE + 3, src.length]) {
        for (const shift of [0, 1, 3]) {
          const [x0, codes0, back] = [arena.float32(n + shift), arena.uint16(n + shift), arena.float32(n)];
          const x = x0.subarray(shift);
          x.set(src.subarray(0, n));
          const codes = codes0.subarray(shift);
          encodeArray(name, x, { out: codes });
          const expected = generic(name, x);
          wrong.push(...mismatches(codes, expected).map((w) => `encode n=${n} ${w}`));
          // One side in the arena, the other ordinary: staged on that side only.
          wrong.push(...mismatches(encodeArray(name, x) as Uint16Array, expected).map((w) => `encode to ordinary n=${n} ${w}`));
          decodeArray(name, codes, { out: back });
          const values = bits(decodeArrayGeneric(name, codes) as Float32Array);
          wrong.push(...mismatches(bits(back), values).map((w) => `decode n=${n} ${w}`));
          wrong.push(
            ...mismatches(bits(decodeArray(name, codes) as Float32Array), values).map((w) => `decode to ordinary n=${n} ${w}`),
          );
          for (const a of [x0, codes0, back]) arena.release(a);
        }
      }
      arena.releaseAll();
      expect(wrong).toEqual([]);
    },
  );

  it('growth detaches views; current() gives the same elements in the grown memory', () => {
    const arena = new WasmArena();
    const x = arena.float32(4);
    x.set([1, 2, 3, 4]);
    const size = x.buffer.byteLength;
    const big = arena.float32(size);
    expect(x.length).toBe(0);
    expect(() => encodeArray('float16', x)).toThrow(/encodeArray: the buffer of src is detached/);
    const y = arena.current(x);
    expect([...y]).toEqual([1, 2, 3, 4]);
    expect(arena.current(y)).toBe(y);
    expect(big.length).toBe(size);
    arena.releaseAll();
  });

  it('released memory is reused; a released or foreign view is refused', () => {
    const arena = new WasmArena();
    const a = arena.uint16(1000);
    const at = a.byteOffset;
    arena.release(a);
    expect(() => arena.release(a)).toThrow(/WasmArena.release: view must be an unreleased array of this arena/);
    expect(() => arena.current(new Uint16Array(2))).toThrow(/WasmArena.current: view must be/);
    const b = arena.uint16(1000);
    expect(b.byteOffset).toBe(at);
    expect(new WasmArena().float32(3).byteOffset).not.toBe(at);
    arena.releaseAll();
  });

  it('new arrays are zeros, on 16-byte boundaries; bad lengths are refused', () => {
    const arena = new WasmArena();
    const a = arena.float32(5);
    a.fill(7);
    arena.release(a);
    const b = arena.float32(5);
    expect([...b]).toEqual([0, 0, 0, 0, 0]);
    expect(b.byteOffset % 16).toBe(0);
    expect(() => arena.float32(-1)).toThrow(RangeError);
    expect(() => arena.uint16(1.5)).toThrow(/WasmArena.uint16: n must be an integer from 0 to 2147483648, got 1.5/);
    expect(() => new WasmArena({ bytes: -1 })).toThrow(/new WasmArena: opts.bytes/);
    arena.releaseAll();
  });

  it('views made by hand over the staging area are left to the JS kernels', () => {
    const arena = new WasmArena();
    const memory = arena.float32(1).buffer;
    setWasmMode('always');
    const x = new Float32Array(memory, 0, 3 * STAGE);
    x.set(src.subarray(0, 3 * STAGE));
    const o = resolveOptions('test', {});
    expect(encodeWasm(format('bfloat16'), x, new Uint16Array(x.length), o)).toBe(false);
    expect(encodeArray('bfloat16', x)).toEqual(generic('bfloat16', x));
    arena.releaseAll();
  });

  it('overlapping arena views are refused like any others', () => {
    const arena = new WasmArena();
    const x = arena.float32(8);
    const codes = new Uint16Array(x.buffer, x.byteOffset, 8);
    expect(() => encodeArray('bfloat16', x, { out: codes })).toThrow(/encodeArray: opts.out overlaps src/);
    arena.releaseAll();
  });
});

describe('without WebAssembly', () => {
  afterEach(() => {
    vi.unstubAllGlobals();
    vi.unstubAllEnvs();
    vi.resetModules();
  });

  /** The library loaded afresh (its kernels not yet compiled). */
  const fresh = async () => {
    vi.resetModules();
    return import('../../../src/index.js');
  };

  it.each([
    ['WebAssembly missing', undefined],
    [
      "compiling forbidden (a CSP without 'wasm-unsafe-eval')",
      {
        ...WebAssembly,
        Module: () => {
          throw new WebAssembly.CompileError('Refused to compile or instantiate WebAssembly module');
        },
      },
    ],
  ])('%s: the JS kernels run, silently, and arenas hand out ordinary arrays', async (_, stub) => {
    vi.stubGlobal('WebAssembly', stub);
    const lib = await fresh();
    lib.setWasmMode('always');
    const src = concat(new Float32Array([1, -2, 0.1, 65520, 1e-7]), NANS);
    expect(lib.encodeArray('float16', src)).toEqual(generic('float16', src));
    expect(lib.wasmAvailable()).toBe(false);
    const arena = new lib.WasmArena();
    expect(arena.inWasmMemory).toBe(false);
    const x = arena.float32(2);
    x.set([1, 3]);
    expect(lib.encodeArray('bfloat16', x, { out: arena.uint16(2) })).toEqual(new Uint16Array([16256, 16448]));
    expect(arena.current(x)).toBe(x);
    arena.release(x);
    expect(() => arena.release(x)).toThrow(/WasmArena.release/);
  });

  it.each([
    ['0', 'never'],
    ['1', 'always'],
    ['', 'auto'],
  ])('FLOATLAB_WASM=%s sets the mode %s at load time', async (value, mode) => {
    vi.stubEnv('FLOATLAB_WASM', value);
    const lib = await fresh();
    expect(lib.setWasmMode('auto')).toBe(mode);
  });
});
