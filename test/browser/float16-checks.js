// Runs in the browser: floatlab's float16 against the browser's own float16 — the native
// Float16Array, Float32Array from a Float16Array, Math.f16round — an oracle independent of floatlab.
import * as fl from '/dist/index.js';

export function float16Checks(check) {
  check('the browser has a native Float16Array', typeof Float16Array === 'function');
  const codes = new Uint16Array([0x3c00, 0xc000, 0x7bff]);
  const halves = fl.toFloat16Array(codes);
  check(
    'toFloat16Array returns the native Float16Array',
    Object.getPrototypeOf(halves) === Float16Array.prototype,
    halves.constructor.name,
  );
  check(
    'toFloat16Array shares memory',
    halves.buffer === codes.buffer && [...halves].join() === '1,-2,65504',
    [...halves].join(),
  );
  halves[0] = 0.5;
  check('a write through the Float16Array lands in the codes', codes[0] === 0x3800, codes[0]);
  const back = fl.fromFloat16Array(new Float16Array([1, 2.5, -0]));
  check('fromFloat16Array views a native Float16Array', [...back].join() === [0x3c00, 0x4100, 0x8000].join(), [...back].join());

  // Inputs: mixed magnitudes, random bit patterns, every float16 tie and its float32 neighbours.
  let s = 12345;
  const next = () => (s = (Math.imul(s, 1103515245) + 12345) >>> 0) / 4294967296;
  const n = 200000;
  const f32 = new Float32Array(n + 3 * 65536);
  const bits = new Uint32Array(f32.buffer);
  for (let i = 0; i < n; i++) {
    if (i % 2) f32[i] = (next() - 0.5) * Math.exp(40 * (next() - 0.5));
    else bits[i] = (next() * 4294967296) >>> 0;
  }
  const all = new Uint16Array(65536).map((_, c) => c);
  const values = new Float32Array(new Float16Array(all.buffer));
  for (let c = 0; c < 65536; c++) {
    const next16 = (c & 0x7fff) < 0x7bff ? values[c + 1] : values[c];
    f32[n + 3 * c] = (values[c] + next16) / 2;
    bits[n + 3 * c + 1] = bits[n + 3 * c] + 1;
    bits[n + 3 * c + 2] = bits[n + 3 * c] - 1;
  }
  const f64 = Float64Array.from(f32, (x, i) => x * (1 + (i % 3) * 2 ** -40));
  const isNaN16 = (c) => (c & 0x7fff) > 0x7c00;
  const differences = (a, b) => {
    let wrong = 0;
    for (let i = 0; i < a.length; i++) if (a[i] !== b[i] && !(isNaN16(a[i]) && isNaN16(b[i]))) wrong++;
    return wrong;
  };
  const e32 = differences(fl.encodeArray('float16', f32), new Uint16Array(new Float16Array(f32).buffer));
  check(`encodeArray float16 from ${f32.length} float32 values = new Float16Array(float32Array)`, e32 === 0, `${e32} differ`);
  const e64 = differences(fl.encodeArray('float16', f64), new Uint16Array(new Float16Array(f64).buffer));
  check(`encodeArray float16 from ${f64.length} float64 values = new Float16Array(float64Array)`, e64 === 0, `${e64} differ`);
  const decoded = fl.decodeArray('float16', all);
  let d = 0;
  for (let c = 0; c < 65536; c++)
    if (!Object.is(decoded[c], values[c]) && !(decoded[c] !== decoded[c] && values[c] !== values[c])) d++;
  check('decodeArray float16 of all 65,536 codes = Float32Array from a native Float16Array', d === 0, `${d} differ`);
  if (typeof Math.f16round === 'function') {
    let r = 0;
    for (let i = 0; i < f64.length; i += 7)
      if (!Object.is(fl.round('float16', f64[i]), Math.f16round(f64[i])) && f64[i] === f64[i]) r++;
    check('round float16 = Math.f16round', r === 0, `${r} differ`);
  }
}
