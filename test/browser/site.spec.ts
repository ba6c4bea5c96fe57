/**
 * `npm run test:browser`, the page: the built site (site/dist) in Debian's Chromium. Typed values
 * show the codes encode writes in every format; a flipped bit, a custom column, finfo, the number
 * line, an MX block and a short training demo are checked against the library run here in Node,
 * and the page logs no error.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  checkRange,
  defineFormat,
  encode,
  FORMAT_NAMES,
  type Format,
  type FormatLike,
  finfo,
  format,
  MX_FORMAT_NAMES,
  mxFormat,
  mxQuantize,
  unpackCodes,
} from 'floatlab';
import { openTensorFile } from 'floatlab/files';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hexCode, toBig } from '../../site/src/lib/bits.js';
import { short } from '../../site/src/lib/explore.js';
import { valuesInView } from '../../site/src/lib/numberline.js';
import { hashToState } from '../../site/src/lib/state.js';
import { formatReport } from '../../src/demo/report.js';
import { DEMO_ROWS, runDemo } from '../../src/demo/train.js';
import { launchChromium, ROOT, type StaticServer, serveStatic } from './harness.js';

const DIST = join(ROOT, 'site/dist');
let server: StaticServer;
let browser: Browser;
let page: Page;
const errors: string[] = [];

beforeAll(async () => {
  if (!existsSync(join(DIST, 'index.html')))
    throw new Error('site/dist is missing: run `npm run site` (npm run test:browser does)');
  server = await serveStatic('index.html', ['/'], DIST);
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  await page.goto(`${server.base}/`);
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

/** The code the page shows in a format's card. */
const codeIn = (name: string) => page.locator(`[data-format="${name}"] [data-role="code"]`).textContent();
const hexOf = (F: FormatLike, x: number) => {
  const f = format(F);
  return hexCode(f.bits, toBig(encode(f, x)));
};
const hashState = async () => hashToState(new URL(page.url()).hash);

describe('the explorer', () => {
  it.each(['0.1', '-65504.5', '1e-7', '-inf', 'nan', '0x1.8p-3', '448', '3.4e38'])(
    'typed %s: every format shows the code encode writes',
    async (text) => {
      await page.fill('#x', text);
      const x = text === 'nan' ? NaN : text === '-inf' ? -Infinity : text === '0x1.8p-3' ? 0.1875 : Number(text);
      for (const name of FORMAT_NAMES) expect(await codeIn(name), name).toBe(hexOf(name, x));
      expect(await page.locator('#x-status').textContent()).toContain('input =');
    },
  );

  it('a code for one format: 0x3c00 as float16 is 1 everywhere', async () => {
    await page.selectOption('#as', 'float16');
    await page.fill('#x', '0x3c00');
    expect(await codeIn('float16')).toBe('0x3c00');
    expect(await page.locator('[data-format="float16"] [data-role="value"]').textContent()).toBe('1');
    expect(await codeIn('float32')).toBe('0x3f800000');
    expect(await codeIn('float8_e4m3fn')).toBe(hexOf('float8_e4m3fn', 1));
  });

  it('clicking a bit flips it, the other formats follow, and the URL reproduces the view', async () => {
    await page.click('[data-format="float16"] button[data-bit="15"]');
    expect(await codeIn('float16')).toBe('0xbc00');
    expect(await page.inputValue('#x')).toBe('0xbc00');
    expect(await codeIn('bfloat16')).toBe(hexOf('bfloat16', -1));
    await page.click('[data-format="float16"] button[data-bit="9"]');
    expect(await codeIn('float16')).toBe('0xbe00');
    expect(await codeIn('float32')).toBe(hexOf('float32', -1.5));
    expect(await hashState()).toMatchObject({ x: '0xbe00', as: 'float16' });
    const again = await browser.newPage();
    await again.goto(page.url());
    expect(await again.locator('[data-format="float32"] [data-role="code"]').textContent()).toBe(hexOf('float32', -1.5));
    await again.close();
  });

  it('finfo is one click away and prints as torch does', async () => {
    for (const name of ['bfloat16', 'float8_e4m3fnuz'] as const) {
      await page.click(`[data-format="${name}"] details:has([data-role="finfo"]) summary`);
      expect(await page.locator(`[data-format="${name}"] [data-role="finfo"]`).textContent()).toBe(String(finfo(name)));
    }
  });

  it('the custom-format builder adds a column that matches defineFormat', async () => {
    await page.selectOption('#as', 'value');
    await page.fill('#x', '0.3');
    await page.fill('#custom-e', '4');
    await page.fill('#custom-m', '5');
    await page.fill('#custom-bias', '9');
    await page.selectOption('#custom-kind', 'fnuz');
    await page.click('form.custom button[type="submit"]');
    const F: Format = defineFormat({ name: 'site-e4m5', expBits: 4, manBits: 5, bias: 9, kind: 'fnuz' });
    expect(await codeIn('e4m5b9-fnuz')).toBe(hexOf(F, 0.3));
    expect((await hashState()).custom).toEqual(['e4m5b9-fnuz']);
  });
});

describe('the number line', () => {
  it('draws every value in view, marks the input, shades one band per mode, and zooms', async () => {
    await page.click('#tab-line');
    await page.selectOption('#line-format', 'float8_e4m3fn');
    const { lo, hi } = await hashState();
    const want = valuesInView(format('float8_e4m3fn'), lo, hi);
    expect(want.tooMany).toBe(false);
    expect(await page.locator('svg.numberline line.rep').count()).toBe(want.values.length);
    expect(await page.locator('svg.numberline [data-mode]').count()).toBe(6);
    await page.getByRole('button', { name: 'Zoom in' }).click();
    const zoomed = await hashState();
    expect(zoomed.hi - zoomed.lo).toBe((hi - lo) / 2);
    await page.locator('fieldset.zoom button').first().focus();
    await page.keyboard.press('-');
    const out = await hashState();
    expect(out.hi - out.lo).toBe(hi - lo);
  });
});

describe('the blocks', () => {
  it.each([...MX_FORMAT_NAMES, 'nvfp4' as const])(
    '%s: the shared scale and every element code are mxQuantize’s',
    async (name) => {
      const values = Array.from({ length: 32 }, (_, i) => ((i % 7) - 3) * 0.37 + (i === 5 ? 90 : 0));
      await page.click('#tab-blocks');
      await page.fill('#block-input', values.join(' '));
      const q = mxQuantize(name, Float64Array.from(values));
      const M = mxFormat(name);
      const want = Array.from(
        unpackCodes(M, q.codes, q.length),
        (c) => `0x${c.toString(16).padStart(Math.ceil(M.element.bits / 4), '0')}`,
      );
      const section = page.locator(`[data-scheme="${name}"]`);
      await section.locator('summary').click();
      expect(await section.locator('[data-role="code"]').allInnerTexts()).toEqual(want);
      expect(await section.locator('summary').textContent()).toContain(`0x${q.scales[0]!.toString(16).padStart(2, '0')}`);
      await section.locator('summary').click();
      const tensorScale = page.locator(`#block-summary tr[data-summary="${name}"]`).locator('[data-role="tensor-scale"]');
      expect(await tensorScale.textContent()).toBe(q.tensorScale === undefined ? '—' : short(q.tensorScale));
    },
  );
});

describe('the checkpoint inspector', () => {
  it('reads a safetensors file picked in the page and reports what float16 would do to each tensor', async () => {
    const dir = join(ROOT, 'test/fixtures/checkpoints');
    const expected = JSON.parse(readFileSync(join(dir, 'checkpoints.json'), 'utf8'))['model.safetensors'].tensors as Record<
      string,
      { float16?: { overflow: number; underflow: number } }
    >;
    await page.click('#tab-checkpoint');
    await page.selectOption('#ckpt-format', 'float16');
    await page.setInputFiles('#ckpt-file', join(dir, 'model.safetensors'));
    await page.waitForSelector('#ckpt-table');
    expect(await page.locator('#ckpt-table tbody tr').count()).toBe(7);
    for (const [name, t] of Object.entries(expected)) {
      if (!t.float16) continue;
      const row = page.locator(`tr[data-tensor="${name}"]`);
      expect(await row.locator('[data-role="overflow"]').textContent(), name).toBe(String(t.float16.overflow));
      expect(await row.locator('[data-role="underflow"]').textContent(), name).toBe(String(t.float16.underflow));
    }
  });

  it('reads a sharded model’s three shards at once: the totals are checkRange’s over every float tensor, with a histogram and the size after', async () => {
    const dir = join(ROOT, 'test/fixtures/sharded');
    const names = readdirSync(dir).filter((n) => n.endsWith('.safetensors'));
    let overflow = 0;
    let underflow = 0;
    let subnormal = 0;
    for (const n of names) {
      const file = await openTensorFile(readFileSync(join(dir, n)));
      for (const t of file.tensors.filter((t) => t.dtype.format)) {
        const r = checkRange('float8_e4m3fn', await file.values(t.name));
        overflow += r.overflow;
        underflow += r.underflow;
        subnormal += r.subnormal;
      }
    }
    await page.click('#tab-checkpoint');
    await page.selectOption('#ckpt-format', 'float8_e4m3fn');
    await page.setInputFiles(
      '#ckpt-file',
      names.map((n) => join(dir, n)),
    );
    await page.waitForSelector('#ckpt-total');
    const total = page.locator('#ckpt-total');
    expect(await total.locator('[data-role="overflow"]').textContent()).toBe(String(overflow));
    expect(await total.locator('[data-role="underflow"]').textContent()).toBe(String(underflow));
    expect(await total.locator('[data-role="subnormal"]').textContent()).toBe(String(subnormal));
    expect(
      new Set(await page.locator('#ckpt-table tbody tr').evaluateAll((rs) => rs.map((r) => r.getAttribute('data-file')))),
    ).toEqual(new Set(names));
    expect(await page.locator('#ckpt-histogram rect').count()).toBeGreaterThan(0);
    expect(await page.locator('#ckpt-size').textContent()).toContain('float8_e4m3fn');
  });
});

describe('the training demo', () => {
  it('runs in a worker to completion and prints the numbers the command prints for the same seed', async () => {
    const [seed, steps] = [2, 30];
    await page.click('#tab-demo');
    await page.fill('#demo-seed', String(seed));
    await page.fill('#demo-steps', String(steps));
    await page.click('#demo-run');
    // The curves are drawn while the rows train, before the report.
    await page.waitForSelector('#demo-live polyline', { timeout: 120_000 });
    await page.waitForSelector('#demo-status[data-status="done"]', { timeout: 120_000 });
    const shown = (await page.locator('#demo-report').textContent()) ?? '';
    expect(await page.locator('.scroll svg').count()).toBe(1);
    // The time column is this browser's; everything else must be the command's, digit for digit.
    const result = runDemo({ seed, steps });
    const times = [...shown.matchAll(/(\d+\.\d) s$/gm)].map((m) => Number(m[1]));
    expect(times).toHaveLength(result.runs.length);
    result.runs.forEach((r, i) => (r.seconds = times[i]!));
    expect(shown).toBe(formatReport(result));
    // Every row of the command, and the table of quantizing the float32 run's weights after training.
    expect(result.runs.map((r) => r.precision)).toEqual(DEMO_ROWS);
    expect(result.ptq).not.toBeNull();
  }, 180_000);

  it('logged no error on the way', () => {
    expect(errors).toEqual([]);
  });
});
