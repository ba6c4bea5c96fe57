/**
 * The `wasm` suite: encodeArray and decodeArray on the WebAssembly kernels against the JS kernels
 * (the same call with setWasmMode('never')), the argument-form loop limit, and, for arrays in
 * WebAssembly memory (WasmArena: no staging copies), the closure-form loop limit; each measured
 * in alternation with its baselines, ratios as medians of per-round ratios. Then the kernels'
 * start-up cost and module size.
 */

import { KERNELS_BASE64 } from '../src/codec/wasm/binary.js';
import { decodeArray, encodeArray, setWasmMode, WasmArena, type WasmMode } from '../src/index.js';
import { type BenchContext, type BenchLine, measureRounds, median, mixedMagnitudes, ratioOf, type Suite } from './harness.js';

interface Measured {
  name: string;
  fn: () => unknown;
  elements: number;
}

/** The argument-form loop limit, as bench/codec.ts has it. */
function loopLimit(src32: Uint32Array, dst16: Uint16Array): Uint16Array {
  for (let i = 0; i < src32.length; i++) dst16[i] = src32[i]! >>> 16;
  return dst16;
}

export const wasmSuite: Suite = {
  name: 'wasm',
  run(ctx: BenchContext): BenchLine[] {
    const n = ctx.size;
    const f32 = [mixedMagnitudes(n, 1), mixedMagnitudes(n, 2)];
    const u32 = f32.map((a) => new Uint32Array(a.buffer));
    const dst16 = f32.map(() => new Uint16Array(n));
    const out32 = f32.map(() => new Float32Array(n));
    let k = 0;
    const turn = () => (k ^= 1);
    const codes = {
      float16: f32.map((a) => encodeArray('float16', a) as Uint16Array),
      bfloat16: f32.map((a) => encodeArray('bfloat16', a) as Uint16Array),
    };
    const arena = new WasmArena({ bytes: n * (4 + 2 + 4) + 4096 });
    const inWasm = f32.slice(0, 1).map((a) => {
      const x = arena.float32(n);
      x.set(a);
      return { x, codes: arena.uint16(n), values: arena.float32(n) };
    });
    const [s0, d0] = [u32[0]!, dst16[0]!];
    const [c0, v0] = [codes.bfloat16[0]!, new Uint32Array(out32[0]!.buffer)];

    const limit: Measured = { name: 'argument-form loop limit', fn: () => loopLimit(u32[turn()]!, dst16[k]!), elements: n };
    const closureEncode: Measured = {
      name: 'closure-form loop limit (dst16[i] = src32[i] >>> 16)',
      fn: () => {
        for (let i = 0; i < n; i++) d0[i] = s0[i]! >>> 16;
        return d0;
      },
      elements: n,
    };
    const closureDecode: Measured = {
      name: 'closure-form loop limit (dst32[i] = src16[i] << 16)',
      fn: () => {
        for (let i = 0; i < n; i++) v0[i] = c0[i]! << 16;
        return v0;
      },
      elements: n,
    };
    const inMode = (mode: WasmMode, f: () => unknown) => () => {
      setWasmMode(mode);
      return f();
    };
    const encode = (fmt: 'float16' | 'bfloat16', mode: WasmMode): Measured => ({
      name: `encodeArray Float32Array → ${fmt}, ${mode === 'never' ? 'JS kernel' : 'WebAssembly'}`,
      fn: inMode(mode, () => encodeArray(fmt, f32[turn()]!, { out: dst16[k]! })),
      elements: n,
    });
    const decode = (fmt: 'float16' | 'bfloat16', mode: WasmMode): Measured => ({
      name: `decodeArray ${fmt} → Float32Array, ${mode === 'never' ? 'JS kernel' : 'WebAssembly'}`,
      fn: inMode(mode, () => decodeArray(fmt, codes[fmt][turn()]!, { out: out32[k]! })),
      elements: n,
    });
    const zeroCopy = (fmt: 'float16' | 'bfloat16', dir: 'encode' | 'decode'): Measured => ({
      name: `${dir}Array ${fmt}, arrays in WebAssembly memory (WasmArena)`,
      // One set of arrays, as the closure-form limit has (nothing to specialize on in WebAssembly).
      fn: inMode('auto', () => {
        const a = inWasm[0]!;
        return dir === 'encode' ? encodeArray(fmt, a.x, { out: a.codes }) : decodeArray(fmt, a.codes, { out: a.values });
      }),
      elements: n,
    });

    const cases: [Measured, Measured, number | undefined][] = [
      [encode('float16', 'always'), encode('float16', 'never'), 3],
      [encode('float16', 'always'), limit, 1],
      [encode('bfloat16', 'always'), encode('bfloat16', 'never'), 2],
      [encode('bfloat16', 'always'), limit, 1],
      [decode('float16', 'always'), decode('float16', 'never'), undefined],
      [decode('bfloat16', 'always'), decode('bfloat16', 'never'), undefined],
      [zeroCopy('bfloat16', 'encode'), closureEncode, 1],
      [zeroCopy('bfloat16', 'decode'), closureDecode, 1],
      [zeroCopy('float16', 'encode'), encode('float16', 'never'), undefined],
      [zeroCopy('float16', 'decode'), decode('float16', 'never'), undefined],
    ];
    const lines: BenchLine[] = cases.map(([line, base, target]) => {
      const rates = measureRounds([line, base], ctx.seconds * 2);
      const ratio = ratioOf(rates[0]!, rates[1]!);
      return {
        suite: 'wasm',
        name: line.name,
        mElemPerSec: median(rates[0]!),
        baseline: base.name,
        ratio,
        ...(target === undefined ? {} : { target, met: ratio >= target }),
      };
    });
    setWasmMode('auto');
    arena.releaseAll();
    return [...lines, startUp()];
  },
};

/** Decoding the base64, compiling and instantiating the module: the median of 50 cold starts. */
function startUp(): BenchLine {
  const times: number[] = [];
  for (let r = 0; r < 50; r++) {
    const start = process.hrtime.bigint();
    const text = atob(KERNELS_BASE64);
    const bytes = new Uint8Array(text.length);
    for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
    new WebAssembly.Instance(new WebAssembly.Module(bytes));
    times.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  const size = atob(KERNELS_BASE64).length;
  return {
    suite: 'wasm',
    name: 'start-up: base64 decode + compile + instantiate',
    mElemPerSec: 0,
    note: `${median(times).toFixed(3)} ms (median of 50; max ${Math.max(...times).toFixed(3)} ms), module ${size} bytes, ${KERNELS_BASE64.length} base64 characters`,
  };
}
