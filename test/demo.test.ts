/**
 * The mixed-precision demo, on short runs: the JSON shape, determinism, the memory it reports
 * (consistent with estimateMemory), the table, the chart, and the command line.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../src/cli/program.js';
import { lossChartSvg } from '../src/demo/chart.js';
import { demoJson, formatReport, formatTable } from '../src/demo/report.js';
import { DEMO_PRECISIONS, DEMO_ROWS, DEMO_SUMMARY_FIELDS, type DemoResult, demoRecipe, runDemo } from '../src/demo/train.js';
import { estimateMemory } from '../src/index.js';

const STEPS = 8;
const result = runDemo({ steps: STEPS });
const withoutTimes = (r: DemoResult) => r.runs.map(({ seconds, ...rest }) => rest);

describe('runDemo', () => {
  it('runs every row once, in order, with the same configuration', () => {
    expect(result.runs.map((r) => r.precision)).toEqual(DEMO_ROWS);
    expect(DEMO_PRECISIONS).toEqual(['32-true', '16-mixed', 'bf16-mixed', '16-true', 'bf16-true']);
    expect(DEMO_ROWS).toEqual([...DEMO_PRECISIONS, 'bf16-true+sr', 'fp8-hybrid', 'fp8-noscale']);
    expect(result.config).toMatchObject({ steps: STEPS, lr: 2e-4, eps: 1e-8, seed: 0 });
    for (const r of result.runs) expect(r.losses).toHaveLength(STEPS);
  });

  it('prints one summary per run: { runs: [{ precision, finalLoss, testAccuracy, nan, skippedSteps, gradUnderflow, memoryBytes, seconds }] }', () => {
    expect(DEMO_SUMMARY_FIELDS).toEqual([
      'precision',
      'finalLoss',
      'testAccuracy',
      'nan',
      'skippedSteps',
      'gradUnderflow',
      'memoryBytes',
      'seconds',
    ]);
    const json = JSON.parse(JSON.stringify(demoJson(result)));
    expect(Object.keys(json)).toEqual(['runs', 'ptq']);
    for (const [i, run] of json.runs.entries()) {
      expect(Object.keys(run)).toEqual(DEMO_SUMMARY_FIELDS);
      for (const field of DEMO_SUMMARY_FIELDS) {
        const want = result.runs[i]![field];
        expect(run[field]).toEqual(Number.isNaN(want) ? null : want);
      }
      expect(typeof run.precision).toBe('string');
      expect(run.finalLoss === null || typeof run.finalLoss === 'number').toBe(true);
      expect(run.testAccuracy).toBeGreaterThanOrEqual(0);
      expect(run.testAccuracy).toBeLessThanOrEqual(1);
      expect(typeof run.nan).toBe('boolean');
      expect(Number.isInteger(run.skippedSteps)).toBe(true);
      expect(run.gradUnderflow).toBeGreaterThanOrEqual(0);
      expect(run.gradUnderflow).toBeLessThanOrEqual(1);
      expect(Number.isInteger(run.memoryBytes)).toBe(true);
      expect(run.seconds).toBeGreaterThan(0);
    }
  });

  it('is deterministic: the same seed gives the same runs (wall time aside)', () => {
    expect(withoutTimes(runDemo({ steps: STEPS }))).toEqual(withoutTimes(result));
    expect(withoutTimes(runDemo({ steps: STEPS, seed: 1, precisions: ['32-true'] }))[0]!.losses).not.toEqual(
      result.runs[0]!.losses,
    );
  });

  it('reports the memory of parameters and optimizer state that estimateMemory predicts', () => {
    const sizes = result.config.sizes;
    let parameters = 0;
    for (let l = 0; l + 1 < sizes.length; l++) parameters += sizes[l]! * sizes[l + 1]! + sizes[l + 1]!;
    const weights = parameters - sizes.slice(1).reduce((a, b) => a + b, 0);
    for (const r of result.runs) {
      const recipe = demoRecipe(r.precision);
      const e = estimateMemory({ parameters, optimizer: 'adam', precision: recipe.policy.name });
      // The demo's figure holds the working weights, the masters (when kept) and Adam's state: not the gradients;
      // FP8 training also keeps each step's one-byte FP8 copies of the weight matrices.
      expect(r.memoryBytes).toBe(e.total - e.gradients + (recipe.fp8 ? weights : 0));
    }
    expect(result.runs.slice(0, 6).map((r) => r.memoryBytes / parameters)).toEqual([12, 14, 14, 6, 6, 6]);
  });

  it('mixed runs follow the float32 run closely; pure float16 Adam breaks at once (ε and g² are 0 in float16)', () => {
    const [fp32, fp16mixed, bf16mixed, fp16true] = result.runs;
    for (const r of [fp16mixed!, bf16mixed!]) {
      expect(r.nan).toBe(false);
      r.losses.forEach((l, i) => expect(Math.abs(l - fp32!.losses[i]!)).toBeLessThan(0.01));
    }
    expect(fp16true!.nan).toBe(true);
    expect(fp16true!.firstBadStep).toBe(2);
    expect(fp16true!.firstStep!.zeroSecondMoment).toBeGreaterThan(0.5);
    // No loss scaler under 16-true, and Adam applies the NaN gradients as torch's does: nothing is skipped.
    expect(fp16true!.skippedSteps).toBe(0);
    expect(fp16mixed!.finalScale).toBe(65536);
  });

  it('runs any policy, float64 and float8 included', () => {
    const r = runDemo({ steps: 2, precisions: ['64-true', 'fp8_e4m3fn-mixed'] }).runs;
    expect(r.map((x) => x.precision)).toEqual(['64-true', 'fp8_e4m3fn-mixed']);
    expect(r.map((x) => x.memoryBytes / 5508)).toEqual([8 + 16, 1 + 4 + 8]);
    expect(r[0]!.nan).toBe(false);
    expect(() => runDemo({ steps: 1, precisions: ['8-true'] })).toThrow(/^runDemo: unknown opts\.precisions\[\] "8-true"/);
  });
});

describe('the report and the chart', () => {
  it('the table has a header, a rule and a row per run', () => {
    const lines = formatTable(result).split('\n');
    expect(lines).toHaveLength(2 + result.runs.length);
    expect(lines[0]).toMatch(/^precision\s+final loss\s+test acc\s+NaN\s+skipped\s+grad underflow\s+params\+optim\s+time$/);
    // Nothing skipped under 16-true: no scaler, and Adam applies NaN gradients as torch's does.
    expect(lines[5]).toMatch(/^16-true\s+nan\s+[\d.]+%\s+yes\s+0\s/);
    expect(formatReport(result)).toContain(formatTable(result));
  });

  it('the chart is an SVG with a line per run that has two finite points, and a cross where a loss turned NaN', () => {
    const svg = lossChartSvg(runDemo({ steps: 40 }));
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg.trimEnd().endsWith('</svg>')).toBe(true);
    expect(svg.match(/<polyline /g)).toHaveLength(DEMO_ROWS.length - 1);
    expect(svg.match(/<path d="M/g)).toHaveLength(1);
    for (const p of DEMO_ROWS) expect(svg).toContain(`>${String(p)}</text>`);
    expect(svg).toContain('loss NaN from step 2');
    const opened = (svg.match(/<[a-z]+[^>]*[^/]>/g) ?? []).length;
    const closed = (svg.match(/<\/[a-z]+>/g) ?? []).length;
    expect(opened).toBe(closed);
  });
});

describe('floatlab demo', () => {
  async function cli(...argv: string[]) {
    let out = '';
    let err = '';
    const code = await runCli(argv, { out: (t) => (out += t), err: (t) => (err += t), errIsTTY: false });
    return { code, out, err };
  }

  it('prints the JSON of a short run, the same as runDemo (non-finite numbers as strings, as every command)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'floatlab-demo-'));
    const svg = join(dir, 'loss.svg');
    const r = await cli('demo', '--json', '--steps', String(STEPS), '--svg', svg);
    expect(r.code).toBe(0);
    const json = JSON.parse(r.out);
    const expected = demoJson(result).runs.map(({ seconds, finalLoss, ...rest }) => ({
      ...rest,
      finalLoss: Number.isNaN(finalLoss) ? 'NaN' : finalLoss,
    }));
    expect(json.runs.map(({ seconds, ...rest }: { seconds: number }) => rest)).toEqual(expected);
    expect(readFileSync(svg, 'utf8')).toBe(lossChartSvg(result));
    rmSync(dir, { recursive: true, force: true });
  });

  it('prints the table', async () => {
    const r = await cli('demo', '--steps', '2', '--seed', '3');
    expect(r.code).toBe(0);
    expect(r.out).toContain('2 steps');
    expect(r.out).toContain('seed 3');
    expect(r.out).toMatch(/^precision\s+final loss/m);
  });

  it('--rows trains the rows listed, in that order, as runDemo does', async () => {
    const r = await cli('demo', '--json', '--steps', '2', '--rows', 'bf16-true+sr,32-true');
    expect(r.code).toBe(0);
    const runs = JSON.parse(r.out).runs as { precision: string; seconds: number }[];
    expect(runs.map((x) => x.precision)).toEqual(['bf16-true+sr', '32-true']);
    const direct = runDemo({ steps: 2, precisions: ['bf16-true+sr', '32-true'] });
    expect(runs.map(({ seconds, ...rest }) => rest)).toEqual(demoJson(direct).runs.map(({ seconds, ...rest }) => rest));
    expect((await cli('demo', '--rows', '32-true,fp9-x')).err).toMatch(
      /^floatlab: demo: --rows: unknown row "fp9-x"; the rows are 32-true, /,
    );
  });

  it('rejects bad arguments with exit code 2 and one line', async () => {
    const r = await cli('demo', '--steps', 'many');
    expect(r.code).toBe(2);
    expect(r.err).toBe('floatlab: demo: --steps must be a positive integer, got "many"\n');
    expect((await cli('demo', '--steps', '0')).err).toBe('floatlab: demo: --steps must be a positive integer, got "0"\n');
    expect((await cli('demo', '--bogus')).code).toBe(2);
  });
});
