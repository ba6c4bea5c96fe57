/**
 * `npm run test:exhaustive`: every one of the 2^32 float32 bit patterns through each WebAssembly
 * encoder (float16 and bfloat16; tiesToEven, then with saturate and flushSubnormals together),
 * compared with the JS kernels (setWasmMode('never'); they are tested against the generic path in
 * test/codec/fast/fast-paths.test.ts), in chunks of 2^20. Several minutes; not part of `npm test`.
 * Exits 1 on the first mismatch, naming the input.
 */

import { wasmFits } from '../../src/codec/wasm/kernels.js';
import { encodeArray, FORMAT_NAMES, format, setWasmMode } from '../../src/index.js';

const CHUNK = 1 << 20;
const words = new Uint32Array(CHUNK);
const src = new Float32Array(words.buffer);
const viaWasm = new Uint16Array(CHUNK);
const viaJs = new Uint16Array(CHUNK);
const started = performance.now();

for (const name of FORMAT_NAMES.filter((n) => wasmFits(format(n)))) {
  for (const opts of [{}, { saturate: true, flushSubnormals: true }]) {
    const t0 = performance.now();
    for (let base = 0; base < 2 ** 32; base += CHUNK) {
      for (let i = 0; i < CHUNK; i++) words[i] = base + i;
      setWasmMode('always');
      encodeArray(name, src, { ...opts, out: viaWasm });
      setWasmMode('never');
      encodeArray(name, src, { ...opts, out: viaJs });
      for (let i = 0; i < CHUNK; i++) {
        if (viaWasm[i] !== viaJs[i]) {
          console.error(
            `${name} ${JSON.stringify(opts)}: input 0x${words[i]!.toString(16)}: WebAssembly ${viaWasm[i]}, JS ${viaJs[i]}`,
          );
          process.exit(1);
        }
      }
    }
    console.log(`${name} ${JSON.stringify(opts)}: all 2^32 inputs agree (${((performance.now() - t0) / 1000).toFixed(0)} s)`);
  }
}
console.log(`total ${((performance.now() - started) / 1000).toFixed(0)} s`);
