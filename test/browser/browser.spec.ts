/**
 * `npm run test:browser`: the built ESM bundle in a real browser — Debian's Chromium, driven by
 * playwright-core — imports floatlab, checks encode against the oracle vectors in every mode,
 * finfo, a bulk conversion, toFloat16Array with the browser's native Float16Array, and the exact MX blocks;
 * then the WebAssembly kernels against the JS ones, and the fallback where WebAssembly is missing or a
 * Content-Security-Policy forbids compiling it (test/browser/wasm*.html).
 */
import { createReadStream, existsSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize } from 'node:path';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = new URL('../..', import.meta.url).pathname;
const TYPES: Record<string, string> = {
  '.js': 'text/javascript',
  '.mjs': 'text/javascript',
  '.html': 'text/html',
  '.json': 'application/json',
  '.map': 'application/json',
};
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

let server: Server;
let browser: Browser;
let base: string;

beforeAll(async () => {
  server = createServer((req, res) => {
    const path = normalize(decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname));
    const file = join(ROOT, path === '/' ? 'test/browser/index.html' : path);
    const allowed = ['dist/', 'test/browser/', 'test/fixtures/', 'node_modules/@petamoriken/float16/browser/'].some((p) =>
      file.startsWith(join(ROOT, p)),
    );
    if (!allowed || !existsSync(file)) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' });
    createReadStream(file).pipe(res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await new Promise((resolve) => server?.close(resolve));
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
