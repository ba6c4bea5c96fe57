// Runs in the browser: imports the built ESM bundle and checks it against the oracle vectors.
import * as floatlab from '/dist/index.js';
import { float16Checks } from './float16-checks.js';

const { encode, decode, finfo, encodeArray, decodeArray, classify } = floatlab;
const MODES = {
  tiesToEven: 'nearest-even',
  tiesToAway: 'nearest-away',
  towardZero: 'toward-zero',
  towardPositive: 'up',
  towardNegative: 'down',
  toOdd: 'odd',
};

function fromHex(hex) {
  const f = new Float64Array(1);
  new BigUint64Array(f.buffer)[0] = BigInt(`0x${hex}`);
  return f[0];
}

async function run() {
  const results = [];
  const check = (name, ok, detail = '') => results.push({ name, ok: Boolean(ok), detail: String(detail) });

  const ref = await (await fetch('/test/fixtures/reference-vectors.json')).json();
  for (const [fmt, rows] of Object.entries(ref.vectors)) {
    let wrong = 0;
    let first = '';
    for (const row of rows) {
      const x = fromHex(row.x);
      for (const [mode, key] of Object.entries(MODES)) {
        const got = encode(fmt, x, { rounding: mode });
        const want = row[key];
        if (got !== want && !(classify(fmt, got) === 'nan' && classify(fmt, want) === 'nan')) {
          wrong++;
          first ||= `${mode} x=${x}: ${got} != ${want}`;
        }
      }
      if (encode(fmt, x, { saturate: true }) !== row.saturate && classify(fmt, row.saturate) !== 'nan') wrong++;
    }
    check(`encode matches the oracle vectors: ${fmt}`, wrong === 0, first);
  }
  for (const [fmt, entry] of Object.entries(ref.finfo)) {
    if (entry.torch_repr) check(`finfo repr: ${fmt}`, String(finfo(fmt)) === entry.torch_repr, String(finfo(fmt)));
  }

  const src = new Float32Array([1, -2, 0.1, 65504, 1e-8, Infinity, NaN]);
  const codes = encodeArray('float16', src);
  check(
    'bulk float32 → float16 codes',
    codes instanceof Uint16Array && [...codes].join() === '15360,49152,11878,31743,0,31744,32256',
    [...codes].join(),
  );
  const back = decodeArray('float16', codes);
  check(
    'bulk float16 → float32 values',
    back instanceof Float32Array && back[0] === 1 && back[2] === decode('float16', 11878) && Number.isNaN(back[6]),
    [...back].join(),
  );
  const bf = encodeArray('bfloat16', src);
  check('bulk float32 → bfloat16 codes', [...bf].slice(0, 4).join() === '16256,49152,15821,18304', [...bf].join());

  // MX blocks: the exact generator's fixture, ties to even: scales, packed codes, values.
  const mx = await (await fetch('/test/fixtures/mx-blocks.json')).json();
  const hexOf = (bytes) => Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
  for (const [fmt, entry] of Object.entries(mx.formats)) {
    let first = '';
    for (const block of entry.blocks) {
      const words = block.x.map((h) => (block.input === 'f32' ? parseInt(h, 16) : BigInt(`0x${h}`)));
      const src =
        block.input === 'f32'
          ? new Float32Array(Uint32Array.from(words).buffer)
          : new Float64Array(BigUint64Array.from(words).buffer);
      const q = floatlab.mxQuantize(fmt, src, { nonFinite: block.nonFinite });
      const values = floatlab.mxDequantize(q, { out: new Float64Array(q.length) });
      const want = block.values.map((t) => (t === 'nan' ? NaN : t === 'inf' ? Infinity : t === '-inf' ? -Infinity : Number(t)));
      if ([...q.scales].join() !== block.scales.join()) first ||= `${block.name}: scales ${[...q.scales]}`;
      else if (hexOf(q.codes) !== block.packed) first ||= `${block.name}: codes ${hexOf(q.codes)}`;
      else if (!want.every((v, i) => Object.is(v, values[i]))) first ||= `${block.name}: values`;
    }
    check(`MX blocks match the exact generator: ${fmt}`, first === '', first);
  }
  float16Checks(check);
  return results;
}

window.__floatlab = run().catch((err) => [{ name: 'page error', ok: false, detail: String(err?.stack ?? err) }]);
