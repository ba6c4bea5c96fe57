/**
 * The demo's rows beyond the precision flags, on short runs: their recipes, determinism, stochastic
 * rounding, and FP8 casts whose scales follow TE's delayed scaling as a probe records them.
 */
import { describe, expect, it } from 'vitest';
import { passesOf, trainRecipe } from '../../src/demo/loop.js';
import { RunMeasurements, type TrainingProbe } from '../../src/demo/measure.js';
import { makeTask } from '../../src/demo/task.js';
import { demoConfig, demoRecipe, runDemo } from '../../src/demo/train.js';
import { finfo } from '../../src/index.js';

const STEPS = 6;
const NEW_ROWS = ['bf16-true+sr', 'fp8-hybrid', 'fp8-noscale'];
const result = runDemo({ steps: STEPS, precisions: ['bf16-true', ...NEW_ROWS] });
const run = (name: string) => result.runs.find((r) => r.precision === name)!;
const withoutTimes = (runs: typeof result.runs) => runs.map(({ seconds, ...rest }) => rest);

describe('the recipes of the new rows', () => {
  it('bf16-true+sr is bf16-true with stochastic rounding; the FP8 rows keep float32 parameters, state and loss', () => {
    expect(demoRecipe('bf16-true+sr')).toMatchObject({ stochasticRounding: true, fp8: null });
    expect(demoRecipe('bf16-true+sr').policy.name).toBe('bf16-true');
    expect(demoRecipe('fp8-hybrid').fp8).toEqual({ fp8Format: 'hybrid', scaling: 'delayed' });
    expect(demoRecipe('fp8-noscale').fp8).toEqual({ fp8Format: 'hybrid', scaling: 'none' });
    for (const name of ['fp8-hybrid', 'fp8-noscale']) {
      const { policy } = demoRecipe(name);
      expect([policy.param.name, policy.loss.name, policy.lossScaling]).toEqual(['float32', 'float32', false]);
    }
    expect(() => demoRecipe('fp8-e3m4')).toThrow(/^demoRecipe: unknown row "fp8-e3m4"/);
  });

  it('casts activations and weights to E4M3 and gradients to E5M2', () => {
    const config = demoConfig({ steps: 2 });
    const task = makeTask({ seed: 0, features: 16, classes: 4, train: 64, test: 8 });
    const seen = new Map<string, string>();
    const probe = new (class extends RunMeasurements {
      override cast(...args: Parameters<TrainingProbe['cast']>) {
        seen.set(`${args[1]} ${args[0]}`, args[3].dtype.name);
        super.cast(...args);
      }
    })(demoRecipe('fp8-hybrid').policy.compute);
    trainRecipe(demoRecipe('fp8-hybrid'), task, config, probe, passesOf(demoRecipe('fp8-hybrid'), probe));
    expect(Object.fromEntries(seen)).toEqual({
      ...Object.fromEntries(['x1', 'W1', 'x2', 'W2', 'x3', 'W3'].map((n) => [`forward ${n}`, 'float8_e4m3fn'])),
      ...Object.fromEntries(['dz3', 'dz2', 'dz1'].map((n) => [`backward ${n}`, 'float8_e5m2'])),
    });
  });
});

describe('the new rows', () => {
  it("onStep sees each step's row, number and training loss", () => {
    const seen: [string, number, number][] = [];
    const r = runDemo({ steps: 3, precisions: ['fp8-hybrid'], onStep: (...args) => seen.push(args) });
    expect(seen).toEqual(r.runs[0]!.losses.map((loss, i) => ['fp8-hybrid', i + 1, loss]));
  });

  it('exist, in order, and are deterministic for a seed', () => {
    expect(result.runs.map((r) => r.precision)).toEqual(['bf16-true', ...NEW_ROWS]);
    expect(withoutTimes(runDemo({ steps: STEPS, precisions: NEW_ROWS }).runs)).toEqual(withoutTimes(result.runs.slice(1)));
  });

  it('stochastic rounding starts where bf16-true starts and then loses fewer updates', () => {
    expect(run('bf16-true+sr').losses[0]).toBe(run('bf16-true').losses[0]);
    expect(run('bf16-true+sr').lostUpdates).toBeLessThan(run('bf16-true').lostUpdates);
  });

  it("fp8-hybrid's scales are TE's delayed scaling of the amaxes the probe recorded: 1, then max_elem / (max of the earlier amaxes)", () => {
    const casts = run('fp8-hybrid').fp8Casts;
    expect(Object.keys(casts).sort()).toEqual(['W1', 'W2', 'W3', 'dz1', 'dz2', 'dz3', 'x1', 'x2', 'x3']);
    for (const [name, { scales, amaxes }] of Object.entries(casts)) {
      const max = finfo(name.startsWith('dz') ? 'float8_e5m2' : 'float8_e4m3fn').max;
      const expected = amaxes.map((_, k) => (k === 0 ? 1 : Math.fround(max / Math.fround(Math.max(...amaxes.slice(0, k))))));
      expect(scales, name).toEqual(expected);
      expect(scales).toHaveLength(STEPS);
    }
  });

  it('fp8-noscale casts with scale 1 and its gradient underflow is counted in E5M2', () => {
    for (const { scales } of Object.values(run('fp8-noscale').fp8Casts)) expect(new Set(scales)).toEqual(new Set([1]));
    expect(Object.keys(run('fp8-noscale').underflow)).toEqual(['dz3', 'dz2', 'dz1']);
    expect(run('fp8-noscale').gradUnderflow).toBe(run('fp8-noscale').unscaledUnderflow);
    expect(run('fp8-hybrid').gradUnderflow).toBeLessThan(run('fp8-noscale').gradUnderflow);
  });
});
