// Runs in the browser: the WebAssembly kernels forced on against the JS kernels forced off, on
// random bit patterns (NaNs of every payload among them), every 16-bit code, tails, shifted views
// and arrays in WebAssembly memory. The page's data-expect says whether WebAssembly may run here
// ('wasm') or must have fallen back silently ('js': no WebAssembly, or a CSP refusing to compile).
import { decodeArray, encodeArray, setWasmMode, WasmArena, wasmAvailable } from '/dist/index.js';

function same(a, b) {
  if (a.length !== b.length) return `length ${a.length} != ${b.length}`;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return `[${i}] ${a[i]} != ${b[i]}`;
  return '';
}

function both(f) {
  setWasmMode('always');
  const wasm = f();
  setWasmMode('never');
  const js = f();
  setWasmMode('auto');
  return [wasm, js];
}

const bits = (a) => new Uint32Array(a.buffer, a.byteOffset, a.length);

function run() {
  const results = [];
  const check = (name, ok, detail = '') => results.push({ name, ok: Boolean(ok), detail: String(detail) });
  const expectWasm = document.documentElement.dataset.expect === 'wasm';
  check(`wasmAvailable() is ${expectWasm}`, wasmAvailable() === expectWasm, wasmAvailable());

  const n = 1 << 18;
  const words = new Uint32Array(n + 3);
  let s = 1;
  for (let i = 0; i < words.length; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) | 0;
    words[i] = i % 5 === 0 ? (s & 0x807fffff) | 0x7f800000 : s; // every fifth a NaN or inf
  }
  const src = new Float32Array(words.buffer, 12, n); // off a 16-byte boundary
  const codes = new Uint16Array(65536).map((_, c) => c);
  for (const fmt of ['float16', 'bfloat16']) {
    for (const opts of [{}, { saturate: true }, { flushSubnormals: true }]) {
      const [w, j] = both(() => encodeArray(fmt, src, opts));
      check(`encodeArray ${fmt} ${JSON.stringify(opts)}: WebAssembly and JS agree`, same(w, j) === '', same(w, j));
    }
    const [w, j] = both(() => bits(decodeArray(fmt, codes)));
    check(`decodeArray ${fmt}, every code: WebAssembly and JS agree`, same(w, j) === '', same(w, j));
    let tails = '';
    for (let len = 0; len <= 40 && !tails; len++) {
      const [a, b] = both(() => encodeArray(fmt, src.subarray(1, 1 + len)));
      tails = same(a, b) && `length ${len}: ${same(a, b)}`;
    }
    check(`encodeArray ${fmt}, tails 0 … 40: WebAssembly and JS agree`, tails === '', tails);

    const arena = new WasmArena();
    check(`WasmArena in WebAssembly memory: ${expectWasm}`, arena.inWasmMemory === expectWasm);
    const x = arena.float32(1000);
    x.set(src.subarray(0, 1000));
    const out = arena.uint16(1000);
    const back = arena.float32(1000);
    encodeArray(fmt, x, { out });
    decodeArray(fmt, out, { out: back });
    const [ew, ej] = both(() => encodeArray(fmt, src.subarray(0, 1000)));
    const [, dj] = both(() => bits(decodeArray(fmt, ej)));
    check(
      `WasmArena ${fmt}: encode and decode in place agree with JS`,
      same(out, ej) + same(bits(back), dj) === '',
      same(out, ew),
    );
    arena.releaseAll();
  }
  return results;
}

window.__floatlab = Promise.resolve()
  .then(run)
  .catch((err) => [{ name: 'page error', ok: false, detail: String(err?.stack ?? err) }]);
