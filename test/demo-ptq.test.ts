/**
 * The demo's post-training quantization table: storage per weight worked out from the formats'
 * definitions, float16 and bfloat16 errors computed independently, and the float32 row matching
 * the float32 run.
 */
import { describe, expect, it } from 'vitest';
import { ptqChartSvg } from '../src/demo/chart.js';
import { initParams } from '../src/demo/mlp.js';
import { PTQ_SCHEMES, ptqTable } from '../src/demo/ptq.js';
import { demoJson } from '../src/demo/report.js';
import { makeTask } from '../src/demo/task.js';
import { PTQ_FIELDS, runDemo } from '../src/demo/train.js';

const sizes = [16, 64, 64, 4];
const params = initParams(sizes, 7);
const task = makeTask({ seed: 7, features: 16, classes: 4, train: 8, test: 64 });
const table = ptqTable(params, task);
const row = (scheme: string) => table.rows.find((r) => r.scheme === scheme)!;
const n = 16 * 64 + 64 * 64 + 64 * 4;
const matrices = 3;
const outputs = 64 + 64 + 4;

/** bfloat16 by hand: the top 16 bits of the float32, rounded to nearest, ties to even. */
function bf16(x: number): number {
  const u = new Uint32Array(new Float32Array([x]).buffer);
  u[0] = ((u[0]! + 0x7fff + ((u[0]! >>> 16) & 1)) >>> 16) << 16;
  return new Float32Array(u.buffer)[0]!;
}

/** float16 by hand (normal and subnormal range): a multiple of the ulp, ties to even. */
function f16(x: number): number {
  const ulp = 2 ** (Math.max(Math.floor(Math.log2(Math.abs(x))), -14) - 10);
  const v = x / ulp;
  const r = Math.abs(v % 1) === 0.5 ? 2 * Math.round(v / 2) : Math.round(v);
  return x === 0 ? 0 : r * ulp;
}

const rms = (round: (x: number) => number) => {
  const w = params.filter((_, i) => i % 2 === 0).flatMap((p) => p.toArray());
  return Math.sqrt(w.reduce((s, x) => s + (round(x) - x) ** 2, 0) / w.length);
};

describe('ptqTable', () => {
  it('has one row per scheme, in order', () => {
    expect(table.rows.map((r) => r.scheme)).toEqual(PTQ_SCHEMES.map((s) => s.name));
    expect(table.weights).toBe(n);
  });

  it('bits per weight: elements, block scales and float32 tensor scales, amortised over the weights', () => {
    expect(row('float16').bitsPerWeight).toBe(16);
    expect(row('float8_e4m3fn no scale').bitsPerWeight).toBe(8);
    expect(row('float8_e4m3fn per tensor').bitsPerWeight).toBeCloseTo(8 + (matrices * 32) / n, 12);
    expect(row('float8_e4m3fn per channel').bitsPerWeight).toBeCloseTo(8 + (outputs * 32) / n, 12);
    expect(row('float8_e4m3fn per 128-block').bitsPerWeight).toBe(8 + 32 / 128);
    expect(row('mxfp8_e4m3').bitsPerWeight).toBe(8 + 8 / 32);
    expect(row('mxfp6_e2m3').bitsPerWeight).toBe(6 + 8 / 32);
    expect(row('mxfp4_e2m1').bitsPerWeight).toBe(4 + 8 / 32);
    expect(row('nvfp4').bitsPerWeight).toBeCloseTo(4 + 8 / 16 + (matrices * 32) / n, 12);
  });

  it('float16 and bfloat16 weight errors match an independent rounding', () => {
    expect(row('float32').weightRmsError).toBe(0);
    expect(row('float16').weightRmsError).toBeCloseTo(rms(f16), 15);
    expect(row('bfloat16').weightRmsError).toBeCloseTo(rms(bf16), 15);
    expect(row('bfloat16').weightRmsError).toBeGreaterThan(row('float16').weightRmsError);
  });

  it('the chart has two bars and a label per scheme', () => {
    const svg = ptqChartSvg(table);
    expect(svg.match(/<rect x="200" y="[\d.]+" width="[\d.]+" height="10"/g)).toHaveLength(2 * table.rows.length);
    for (const r of table.rows) expect(svg).toContain(`>${r.scheme}</text>`);
  });

  it("the float32 row is the float32 run's test accuracy; the JSON carries PTQ_FIELDS", () => {
    const r = runDemo({ steps: 3, precisions: ['32-true'] });
    expect(r.ptq!.rows[0]!.testAccuracy).toBe(r.runs[0]!.testAccuracy);
    expect(r.ptq!.rows[0]!.testAccuracyWithActivations).toBe(r.runs[0]!.testAccuracy);
    const json = demoJson(r);
    expect(json.ptq!.map((x) => Object.keys(x))).toEqual(r.ptq!.rows.map(() => PTQ_FIELDS));
    expect(demoJson(runDemo({ steps: 1, precisions: ['bf16-true'] })).ptq).toBeNull();
  });
});
