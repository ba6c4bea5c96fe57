/**
 * The built package in a real browser: Chromium (headless) loads dist/index.js as an ES module
 * and checks the Float16Array interop against its native Float16Array, and the float16 bulk
 * codec against the browser's own float16 conversions (new Float16Array(float32Array),
 * Float32Array from a Float16Array, Math.f16round) — an oracle independent of floatlab.
 * Skipped, and said so, when no Chromium is installed (npm test builds dist/ first).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';

const CHROMIUM = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'].find(
  (p) => p !== undefined && existsSync(p),
);
const dist = new URL('../dist/index.js', import.meta.url);
const polyfill = new URL('../node_modules/@petamoriken/float16/browser/float16.mjs', import.meta.url);

/** Runs in the page: every check, as one JSON object. */
const PAGE_SCRIPT = `
import * as fl from ${JSON.stringify(dist.href)};
const out = {};
try {
  out.native = typeof Float16Array === 'function';
  const codes = new Uint16Array([0x3c00, 0xc000, 0x7bff]);
  const halves = fl.toFloat16Array(codes);
  out.isNative = Object.getPrototypeOf(halves) === Float16Array.prototype;
  out.sameMemory = halves.buffer === codes.buffer;
  out.halves = Array.from(halves);
  halves[0] = 0.5;
  out.writtenThrough = codes[0];
  out.fromNative = Array.from(fl.fromFloat16Array(new Float16Array([1, 2.5, -0])));

  // Inputs: mixed magnitudes, random bit patterns, every float16 tie and its float32 neighbours.
  let s = 12345;
  const next = () => ((s = (Math.imul(s, 1103515245) + 12345) >>> 0) / 4294967296);
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
  const compare = (a, b) => {
    const wrong = [];
    for (let i = 0; i < a.length; i++) if (a[i] !== b[i] && !(isNaN16(a[i]) && isNaN16(b[i]))) wrong.push(i);
    return wrong.length;
  };
  out.encode32 = compare(fl.encodeArray('float16', f32), new Uint16Array(new Float16Array(f32).buffer));
  out.encode64 = compare(fl.encodeArray('float16', f64), new Uint16Array(new Float16Array(f64).buffer));
  out.encodeCount = f32.length;
  const decoded = fl.decodeArray('float16', all);
  let decodeWrong = 0;
  for (let c = 0; c < 65536; c++) if (!Object.is(decoded[c], values[c]) && !(decoded[c] !== decoded[c] && values[c] !== values[c])) decodeWrong++;
  out.decode = decodeWrong;
  if (typeof Math.f16round === 'function') {
    let roundWrong = 0;
    for (let i = 0; i < f64.length; i += 7) if (!Object.is(fl.round('float16', f64[i]), Math.f16round(f64[i])) && f64[i] === f64[i]) roundWrong++;
    out.f16round = roundWrong;
  }
} catch (e) {
  out.error = String(e && e.stack || e);
}
document.body.textContent = JSON.stringify(out);
`;

describe.skipIf(!CHROMIUM)(`in Chromium (${CHROMIUM ?? 'not installed'})`, () => {
  it('uses the native Float16Array and agrees with the browser\'s float16 conversions bit for bit', () => {
    expect(existsSync(dist), 'dist/index.js is missing: run npm run build (npm test does)').toBe(true);
    const dir = mkdtempSync(join(tmpdir(), 'floatlab-browser-'));
    try {
      const page = join(dir, 'index.html');
      const importMap = JSON.stringify({ imports: { '@petamoriken/float16': polyfill.href } });
      writeFileSync(page, `<!doctype html><script type="importmap">${importMap}</script><script type="module">${PAGE_SCRIPT}</script>`);
      const html = execFileSync(
        CHROMIUM!,
        ['--headless', '--no-sandbox', '--disable-gpu', '--allow-file-access-from-files', '--virtual-time-budget=30000', '--dump-dom', pathToFileURL(page).href],
        { encoding: 'utf8', timeout: 60_000, stdio: ['ignore', 'pipe', 'ignore'] },
      );
      const json = /<body>(.*)<\/body>/s.exec(html)?.[1];
      expect(json, `no result in the page: ${html.slice(0, 500)}`).toBeTruthy();
      const out = JSON.parse(json!.replace(/&quot;/g, '"').replace(/&amp;/g, '&').replace(/&lt;/g, '<').replace(/&gt;/g, '>'));
      expect(out.error).toBeUndefined();
      expect(out).toMatchObject({
        native: true,
        isNative: true,
        sameMemory: true,
        halves: [1, -2, 65504],
        writtenThrough: 0x3800,
        fromNative: [0x3c00, 0x4100, 0x8000],
        encode32: 0,
        encode64: 0,
        decode: 0,
      });
      expect(out.encodeCount).toBeGreaterThan(300000);
      if ('f16round' in out) expect(out.f16round).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
