/**
 * `npm run test:browser`: the built ESM bundle in a real browser — Debian's Chromium, driven by
 * playwright-core — imports floatlab, checks encode against the oracle vectors in every mode,
 * finfo, a bulk conversion, toFloat16Array with the browser's native Float16Array, and the exact MX blocks;
 * then the WebAssembly kernels against the JS ones, and the fallback where WebAssembly is missing or a
 * Content-Security-Policy forbids compiling it (test/browser/wasm*.html); and floatlab/files reading
 * checkpoints the page fetches (test/browser/files.html).
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, type StaticServer, serveStatic } from './harness.js';

let server: StaticServer;
let browser: Browser;
let base: string;

beforeAll(async () => {
  server = await serveStatic('test/browser/index.html', [
    'dist/',
    'test/browser/',
    'test/fixtures/',
    'node_modules/@petamoriken/float16/browser/',
    'node_modules/fflate/esm/',
  ]);
  base = server.base;
  browser = await launchChromium();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('floatlab in Chromium', () => {
  it('passes every in-page check', async () => {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    await page.goto(`${base}/`);
    const results = (await page.evaluate(() => (window as unknown as { __floatlab: Promise<unknown> }).__floatlab)) as {
      name: string;
      ok: boolean;
      detail: string;
    }[];
    expect(errors).toEqual([]);
    expect(results.length).toBeGreaterThan(15);
    for (const part of [
      'encode matches the oracle vectors',
      'finfo repr',
      'toFloat16Array returns the native Float16Array',
      'encodeArray float16 from',
      'MX',
    ]) {
      expect(
        results.some((r) => r.name.includes(part)),
        part,
      ).toBe(true);
    }
    const failed = results.filter((r) => !r.ok);
    expect(failed).toEqual([]);
  }, 60_000);
});

describe.each([
  ['wasm.html', 'the WebAssembly kernels run'],
  ['wasm-csp.html', "a CSP without 'wasm-unsafe-eval': the JS kernels take over"],
  ['wasm-none.html', 'no WebAssembly: the JS kernels take over'],
])('floatlab in Chromium, %s', (file, what) => {
  it(`${what}, with the same bits`, async () => {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    await page.goto(`${base}/test/browser/${file}`);
    const results = (await page.evaluate(() => (window as unknown as { __floatlab: Promise<unknown> }).__floatlab)) as {
      name: string;
      ok: boolean;
      detail: string;
    }[];
    expect(errors).toEqual([]);
    expect(results.length).toBe(15);
    expect(results.filter((r) => !r.ok)).toEqual([]);
    await page.close();
  }, 60_000);
});

describe('floatlab/files in Chromium', () => {
  it('reads fetched safetensors and .npz files, writes safetensors', async () => {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    await page.goto(`${base}/test/browser/files.html`);
    const results = (await page.evaluate(() => (window as unknown as { __floatlab: Promise<unknown> }).__floatlab)) as {
      name: string;
      ok: boolean;
      detail: string;
    }[];
    expect(errors).toEqual([]);
    expect(results.length).toBe(7);
    expect(results.filter((r) => !r.ok)).toEqual([]);
    await page.close();
  }, 60_000);
});
