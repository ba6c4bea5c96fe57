/**
 * GradScaler against torch.amp.GradScaler's semantics: traces of `_amp_update_scale_` worked
 * by hand (growth after growthInterval clean steps, backoff on inf, no growth to inf), the
 * iteration state machine and its errors, unscaling, the disabled scaler, and stateDict.
 */
import { describe, expect, it } from 'vitest';
import { GradScaler, type GradScalerOptions, type GradScalerState, SGD, Tensor } from '../src/index.js';

/** One iteration: scale, step with a gradient that is finite or not, update. Returns [scale, tracker] after. */
function iterate(scaler: GradScaler, foundInf: boolean): [number, number] {
  const w = Tensor.zeros([1]);
  scaler.scale(1);
  scaler.step(new SGD([w], { lr: 0 }), [Float32Array.of(foundInf ? Infinity : 1)]);
  scaler.update();
  return [scaler.getScale(), scaler.getGrowthTracker()];
}

/** torch.amp.GradScaler's defaults. */
describe('defaults', () => {
  it('initScale 2^16, growthFactor 2, backoffFactor 0.5, growthInterval 2000, enabled', () => {
    const s = new GradScaler();
    expect(s.isEnabled()).toBe(true);
    expect(s.stateDict()).toEqual({
      scale: 65536,
      growthFactor: 2,
      backoffFactor: 0.5,
      growthInterval: 2000,
      growthTracker: 0,
      maxScale: null,
      minScale: null,
      steps: 0,
      skippedSteps: 0,
    });
  });

  it('grows only after 2000 clean steps', () => {
    const s = new GradScaler({ initScale: 1 });
    for (let i = 0; i < 1999; i++) iterate(s, false);
    expect([s.getScale(), s.getGrowthTracker()]).toEqual([1, 1999]);
    expect(iterate(s, false)).toEqual([2, 0]);
  });
});

describe("the update rule, worked by hand (torch's _amp_update_scale_)", () => {
  // growthInterval 3: the tracker counts clean steps; the third one doubles the scale and
  // restarts the count; an inf halves the scale and restarts the count.
  const trace: [boolean, number, number][] = [
    [false, 8, 1],
    [false, 8, 2],
    [false, 16, 0],
    [true, 8, 0],
    [false, 8, 1],
    [true, 4, 0],
    [true, 2, 0],
    [false, 2, 1],
    [false, 2, 2],
    [false, 4, 0],
    [false, 4, 1],
  ];
  it('growth after growthInterval clean steps, backoff on inf', () => {
    const s = new GradScaler({ initScale: 8, growthInterval: 3 });
    const got = trace.map(([inf]) => iterate(s, inf));
    expect(got).toEqual(trace.map(([, scale, tracker]) => [scale, tracker]));
    expect(s.skippedSteps).toBe(3);
    expect(s.steps).toBe(trace.length);
  });

  it('each new scale is the float32 product, as torch keeps the scale in a float32 tensor', () => {
    const s = new GradScaler({ initScale: 10, growthFactor: 1.1, backoffFactor: 0.3, growthInterval: 1 });
    const g1 = Math.fround(Math.fround(10) * 1.1);
    expect(iterate(s, false)).toEqual([g1, 0]);
    const b1 = Math.fround(g1 * 0.3);
    expect(iterate(s, true)).toEqual([b1, 0]);
    expect(iterate(s, false)).toEqual([Math.fround(b1 * 1.1), 0]);
  });

  it('never grows to inf: a growth that overflows float32 keeps the scale and restarts the count', () => {
    const s = new GradScaler({ initScale: 2 ** 127, growthInterval: 2 });
    expect(iterate(s, false)).toEqual([2 ** 127, 1]);
    expect(iterate(s, false)).toEqual([2 ** 127, 0]);
    const t = new GradScaler({ initScale: 3e38, growthFactor: 1.5, growthInterval: 1 });
    expect(iterate(t, false)).toEqual([Math.fround(3e38), 0]);
  });

  it('maxScale caps growth and minScale floors backoff (floatlab, as Apex)', () => {
    const s = new GradScaler({ initScale: 2 ** 22, growthFactor: 4, growthInterval: 1, maxScale: 2 ** 24 });
    expect(iterate(s, false)).toEqual([2 ** 24, 0]);
    expect(iterate(s, false)).toEqual([2 ** 24, 0]);
    const t = new GradScaler({ initScale: 4, minScale: 1 });
    expect([iterate(t, true), iterate(t, true), iterate(t, true)]).toEqual([
      [2, 0],
      [1, 0],
      [1, 0],
    ]);
  });

  // torch's rule multiplies (scale × growthFactor on growth, × backoffFactor on backoff). The bounds only
  // stop a step from crossing them: growth never lowers a scale that is already above maxScale (from
  // initScale, update(newScale) or loadStateDict), backoff never raises one already below minScale.
  it.each<[string, GradScalerOptions, boolean[], number[]]>([
    [
      'initScale above maxScale: growth keeps it, backoff multiplies',
      { initScale: 2 ** 26, maxScale: 2 ** 24 },
      [false, true, false, true, false, true, false, false],
      [2 ** 26, 2 ** 25, 2 ** 25, 2 ** 24, 2 ** 24, 2 ** 23, 2 ** 24, 2 ** 24],
    ],
    [
      'growth by 3 stops at maxScale',
      { initScale: 10, growthFactor: 3, maxScale: 50 },
      [false, false, true, false],
      [30, 50, 25, 50],
    ],
    [
      'maxScale is taken as a float32',
      { initScale: 512, maxScale: 1000.1 },
      [false, false],
      [Math.fround(1000.1), Math.fround(1000.1)],
    ],
    [
      'initScale below minScale: backoff keeps it, growth multiplies',
      { initScale: 2 ** -3, minScale: 1 },
      [true, false, false, false, true, true],
      [2 ** -3, 2 ** -2, 2 ** -1, 1, 1, 1],
    ],
    ['backoff by 0.3 stops at minScale', { initScale: 10, backoffFactor: 0.3, minScale: 2 }, [true, true, false], [3, 2, 4]],
  ])('%s', (_why, opts, infs, scales) => {
    const s = new GradScaler({ growthInterval: 1, ...opts });
    expect(infs.map((inf) => iterate(s, inf)[0])).toEqual(scales);
  });

  it('a scale set above maxScale by update(newScale) or loadStateDict is not lowered by growth', () => {
    const s = new GradScaler({ initScale: 8, growthInterval: 1, maxScale: 16 });
    s.scale(1);
    s.update(64);
    expect(iterate(s, false)).toEqual([64, 0]);
    const t = new GradScaler();
    t.loadStateDict({ ...(s.stateDict() as GradScalerState), scale: 2 ** 20 });
    expect([iterate(t, false), iterate(t, true), iterate(t, false)]).toEqual([
      [2 ** 20, 0],
      [2 ** 19, 0],
      [2 ** 19, 0],
    ]);
  });

  it('update(newScale) sets the scale', () => {
    const s = new GradScaler();
    s.scale(1);
    s.update(1000.1);
    expect(s.getScale()).toBe(Math.fround(1000.1));
  });
});

describe('scale, unscale and step', () => {
  it('scale multiplies numbers and tensors by the current scale', () => {
    const s = new GradScaler({ initScale: 1024 });
    expect(s.scale(0.5)).toBe(512);
    const t = s.scale(Tensor.from([0.5, 2], { dtype: 'float16' }));
    expect(t.dtype.name).toBe('float16');
    expect(t.toArray()).toEqual([512, 2048]);
    expect(s.scale(Tensor.from([100], { dtype: 'float16' })).item()).toBe(Infinity);
  });

  it('unscale multiplies by the float32 reciprocal of the scale, in place, for Float32Arrays and Tensors', () => {
    const s = new GradScaler({ initScale: 3 });
    s.scale(1);
    const g = Float32Array.of(3, 6, -0.75);
    const t = Tensor.from([[3, 9]]);
    const bf = Tensor.from([3], { dtype: 'bfloat16' });
    const view = t.reshape([2]);
    s.unscale([g, t, bf]);
    const inv = Math.fround(1 / 3);
    expect(Array.from(g)).toEqual([3, 6, -0.75].map((x) => Math.fround(x * inv)));
    expect(t.toArray()).toEqual([3, 9].map((x) => Math.fround(x * inv)));
    expect(view.toArray()).toEqual(t.toArray());
    expect(bf.item()).toBe(1);
  });

  it.each([[NaN], [Infinity], [-Infinity]])('finds %s in any gradient, skips the step and backs off', (bad) => {
    const s = new GradScaler({ initScale: 4 });
    const w = Tensor.from([1, 1]);
    const sgd = new SGD([w, Tensor.zeros([1])], { lr: 1 });
    s.scale(1);
    expect(s.step(sgd, [Float32Array.of(4, 4), Float32Array.of(bad)])).toBe(false);
    expect(w.toArray()).toEqual([1, 1]);
    s.update();
    expect(s.getScale()).toBe(2);
    s.scale(1);
    expect(s.step(sgd, [Float32Array.of(4, 4), Float32Array.of(0)])).toBe(true);
    expect(w.toArray()).toEqual([-1, -1]);
    expect([s.steps, s.skippedSteps]).toEqual([2, 1]);
  });

  it('step unscales once: after an explicit unscale it does not divide again', () => {
    const s = new GradScaler({ initScale: 8 });
    const w = Tensor.from([0]);
    const g = Float32Array.of(16);
    s.scale(1);
    s.unscale([g]);
    expect(g[0]).toBe(2);
    expect(s.step(new SGD([w], { lr: 1 }), [g])).toBe(true);
    expect(w.item()).toBe(-2);
  });

  it.each([
    [
      'a second unscale before update',
      (s: GradScaler) => (s.scale(1), s.unscale([new Float32Array(1)]), s.unscale([new Float32Array(1)])),
      /^GradScaler\.unscale: unscale\(\) has already been called since the last update\(\)$/,
    ],
    [
      'unscale after step',
      (s: GradScaler) => (
        s.scale(1), s.step(new SGD([Tensor.zeros([1])]), [new Float32Array(1)]), s.unscale([new Float32Array(1)])
      ),
      /unscale\(\) is being called after step\(\)/,
    ],
    [
      'a second step before update',
      (s: GradScaler) => (
        s.scale(1),
        s.step(new SGD([Tensor.zeros([1])]), [new Float32Array(1)]),
        s.step(new SGD([Tensor.zeros([1])]), [new Float32Array(1)])
      ),
      /^GradScaler\.step: step\(\) has already been called since the last update\(\)$/,
    ],
    [
      'update without an inf check',
      (s: GradScaler) => (s.scale(1), s.update()),
      /^GradScaler\.update: no inf checks were recorded prior to update\(\)/,
    ],
    [
      'unscale before any scale',
      (s: GradScaler) => s.unscale([new Float32Array(1)]),
      /^GradScaler\.unscale: the scale is not initialized; call scale\(loss\)/,
    ],
  ] as const)('%s is an error, as in torch', (_label, f, message) => {
    const s = new GradScaler();
    expect(() => f(s)).toThrow(Error);
    expect(() => f(new GradScaler())).toThrow(message);
  });

  it('the next iteration may unscale again after update', () => {
    const s = new GradScaler({ initScale: 2 });
    for (let i = 0; i < 3; i++) {
      s.scale(1);
      const g = Float32Array.of(2);
      s.unscale([g]);
      expect(g[0]).toBe(1);
      s.update();
    }
  });

  it('refuses to unscale float16 (and float8) gradients, as torch refuses FP16 gradients', () => {
    const s = new GradScaler();
    s.scale(1);
    expect(() => s.unscale([Tensor.zeros([1], { dtype: 'float16' })])).toThrow(RangeError);
    expect(() => s.unscale([Tensor.zeros([1], { dtype: 'float8_e4m3fn' })])).toThrow(/grads\[0\] is a float8_e4m3fn Tensor/);
    expect(() => s.unscale([[1]] as never)).toThrow(TypeError);
  });
});

describe('disabled', () => {
  it('scale and unscale do nothing, step always steps, update and loadStateDict are no-ops, stateDict is {}', () => {
    const s = new GradScaler({ enabled: false });
    expect(s.isEnabled()).toBe(false);
    expect(s.getScale()).toBe(1);
    expect(s.scale(0.5)).toBe(0.5);
    const g = Float32Array.of(3);
    s.unscale([g]);
    expect(g[0]).toBe(3);
    const w = Tensor.from([0]);
    expect(s.step(new SGD([w], { lr: 1 }), [g])).toBe(true);
    expect(w.item()).toBe(-3);
    s.update();
    expect(s.stateDict()).toEqual({});
    s.loadStateDict({} as never);
    expect(s.getScale()).toBe(1);
  });
});

describe('stateDict and loadStateDict', () => {
  it('round-trips: a restored scaler continues exactly as the original', () => {
    const opts: GradScalerOptions = { initScale: 16, growthInterval: 2, maxScale: 64, minScale: 2 };
    const a = new GradScaler(opts);
    for (const inf of [false, true, false]) iterate(a, inf);
    const saved = a.stateDict();
    expect(saved).toEqual({
      scale: 8,
      growthFactor: 2,
      backoffFactor: 0.5,
      growthInterval: 2,
      growthTracker: 1,
      maxScale: 64,
      minScale: 2,
      steps: 3,
      skippedSteps: 1,
    });
    const b = new GradScaler();
    b.loadStateDict(JSON.parse(JSON.stringify(saved)));
    expect(b.stateDict()).toEqual(saved);
    const flags = [false, false, false, false, true, true, true, false];
    expect(flags.map((f) => iterate(b, f))).toEqual(flags.map((f) => iterate(a, f)));
    expect(b.stateDict()).toEqual(a.stateDict());
  });

  it('loading into a scaler that has already scaled replaces its scale', () => {
    const s = new GradScaler();
    s.scale(1);
    s.loadStateDict(new GradScaler({ initScale: 4 }).stateDict() as GradScalerState);
    expect(s.scale(1)).toBe(4);
  });

  it.each([1000.1, 1 / 3, 1e-40, 3e38])('a loaded scale (%s) is taken as a float32, before and after the first scale()', (x) => {
    const state = { ...(new GradScaler().stateDict() as GradScalerState), scale: x };
    for (const scaledFirst of [false, true]) {
      const s = new GradScaler();
      if (scaledFirst) s.scale(1);
      s.loadStateDict(state);
      expect([s.getScale(), s.stateDict().scale], `scaled first: ${scaledFirst}`).toEqual([Math.fround(x), Math.fround(x)]);
      const g = Float32Array.of(3);
      s.scale(1);
      s.unscale([g]);
      expect(g[0]).toBe(Math.fround(3 * Math.fround(1 / Math.fround(x))));
    }
  });

  it('rejects an empty state (saved from a disabled scaler) and bad entries', () => {
    const s = new GradScaler();
    expect(() => s.loadStateDict({} as never)).toThrow(/^GradScaler\.loadStateDict: the state is empty/);
    const good = s.stateDict() as Record<string, unknown>;
    expect(() => s.loadStateDict({ ...good, scale: 'big' } as never)).toThrow(TypeError);
    expect(() => s.loadStateDict({ ...good, growthFactor: 0.5 } as never)).toThrow(/growthFactor must be > 1/);
    expect(() => s.loadStateDict({ ...good, growthTracker: -1 } as never)).toThrow(RangeError);
  });

  const full = () => new GradScaler({ maxScale: 2 ** 20, minScale: 1 }).stateDict() as Record<string, unknown>;
  it.each([
    ['scale', 'big', TypeError],
    ['growthFactor', 'x', TypeError],
    ['backoffFactor', -1, RangeError],
    ['growthInterval', 0, RangeError],
    ['maxScale', Infinity, RangeError],
    ['minScale', 0, RangeError],
    ['growthTracker', 1.5, RangeError],
    ['steps', -1, RangeError],
    ['skippedSteps', '3', TypeError],
  ] as const)('a bad %s (%o) is a %o naming it, and changes nothing', (name, bad, ErrorType) => {
    const s = new GradScaler({ initScale: 8 });
    const before = s.stateDict();
    expect(() => s.loadStateDict({ ...full(), [name]: bad } as never)).toThrow(ErrorType);
    expect(() => s.loadStateDict({ ...full(), [name]: bad } as never)).toThrow(
      new RegExp(`^GradScaler\\.loadStateDict: state\\.${name} `),
    );
    expect(s.stateDict()).toEqual(before);
  });

  it.each(['scale', 'growthFactor', 'backoffFactor', 'growthInterval', 'growthTracker'])(
    'a state without %s is refused',
    (name) => {
      const state = full();
      delete state[name];
      expect(() => new GradScaler().loadStateDict(state as never)).toThrow(/^GradScaler\.loadStateDict: state/);
    },
  );

  it('steps and skippedSteps default to 0 (a state saved before they were counted); minScale must not exceed maxScale', () => {
    const { steps: _s, skippedSteps: _k, ...old } = full();
    const s = new GradScaler();
    s.loadStateDict(old as never);
    expect([s.steps, s.skippedSteps]).toEqual([0, 0]);
    expect(() => s.loadStateDict({ ...full(), minScale: 8, maxScale: 4 } as never)).toThrow(
      /^GradScaler\.loadStateDict: state\.minScale \(8\) must not exceed maxScale \(4\)$/,
    );
    s.loadStateDict({ ...full(), minScale: 4, maxScale: 4 } as never);
    expect(s.stateDict().minScale).toBe(4);
  });

  it('a not-object state is a TypeError naming state', () => {
    expect(() => new GradScaler().loadStateDict(null as never)).toThrow(
      /^GradScaler\.loadStateDict: state must be an object from stateDict\(\)/,
    );
  });
});

describe('constructor errors', () => {
  it.each([
    [{ growthFactor: 1 }, RangeError, /^new GradScaler: opts\.growthFactor must be > 1, got 1$/],
    [{ backoffFactor: 1 }, RangeError, /backoffFactor must be < 1/],
    [{ initScale: 0 }, RangeError, /opts\.initScale must be a finite number > 0, got 0/],
    [{ growthInterval: 2.5 }, RangeError, /growthInterval must be an integer/],
    [{ minScale: 8, maxScale: 4 }, RangeError, /minScale \(8\) must not exceed maxScale \(4\)/],
    [{ enabled: 1 }, TypeError, /opts\.enabled must be a boolean/],
    [{ init_scale: 2 }, RangeError, /unknown option "init_scale"/],
  ])('%j', (opts, type, message) => {
    expect(() => new GradScaler(opts as never)).toThrow(type);
    expect(() => new GradScaler(opts as never)).toThrow(message);
  });
});

describe('one validation of the configuration, for the constructor and loadStateDict', () => {
  const saved = () => new GradScaler().stateDict() as Record<string, unknown>;
  it.each([
    ['growthFactor', 1, RangeError, 'growthFactor must be > 1, got 1'],
    ['growthFactor', 'x', TypeError, 'growthFactor must be a number'],
    ['backoffFactor', 1, RangeError, 'backoffFactor must be < 1, got 1'],
    ['backoffFactor', -1, RangeError, 'backoffFactor must be a finite number > 0'],
    ['growthInterval', 2.5, RangeError, 'growthInterval must be an integer, got 2.5'],
    ['maxScale', Infinity, RangeError, 'maxScale must be a finite number > 0'],
    ['minScale', 0, RangeError, 'minScale must be a finite number > 0'],
  ] as const)('%s = %o: the same error from both, naming opts.%s or state.%s', (name, bad, ErrorType, message) => {
    const make = () => new GradScaler({ [name]: bad } as never);
    expect(make).toThrow(ErrorType);
    expect(make).toThrow(`new GradScaler: opts.${message}`);
    const load = () => new GradScaler().loadStateDict({ ...saved(), [name]: bad } as never);
    expect(load).toThrow(ErrorType);
    expect(load).toThrow(`GradScaler.loadStateDict: state.${message}`);
  });

  it('the scale is opts.initScale in the constructor and state.scale in a state; null bounds only in a state', () => {
    expect(() => new GradScaler({ initScale: -1 })).toThrow(/^new GradScaler: opts\.initScale must be a finite number > 0/);
    expect(() => new GradScaler().loadStateDict({ ...saved(), scale: -1 } as never)).toThrow(
      /^GradScaler\.loadStateDict: state\.scale must be a finite number > 0/,
    );
    expect(() => new GradScaler({ maxScale: null } as never)).toThrow(/^new GradScaler: opts\.maxScale must be a number/);
    const s = new GradScaler({ maxScale: 4 });
    s.loadStateDict({ ...saved(), maxScale: null } as never);
    expect(s.stateDict()).toMatchObject({ maxScale: null });
  });
});

describe('the scaler alone skips, as torch.amp.GradScaler', () => {
  it('an inf or NaN gradient: the optimizer is not called, the scaler counts the step as skipped', () => {
    const s = new GradScaler({ initScale: 2 });
    const calls: number[] = [];
    const recording = { step: (grads: readonly (Float32Array | Tensor)[]) => (calls.push(grads.length), true) };
    for (const g of [1, NaN, Infinity, 1]) {
      s.scale(1);
      s.step(recording, [Float32Array.of(g)]);
      s.update();
    }
    expect(calls).toEqual([1, 1]);
    expect([s.steps, s.skippedSteps]).toEqual([4, 2]);
  });

  it('disabled, it steps whatever it gets, as torch: the NaN reaches the weight and nothing counts it as skipped', () => {
    const s = new GradScaler({ enabled: false });
    const w = Tensor.from([1]);
    expect(s.step(new SGD([w], { lr: 1 }), [Float32Array.of(NaN)])).toBe(true);
    expect(w.item()).toBeNaN();
    expect(s.skippedSteps).toBe(0);
  });
});
