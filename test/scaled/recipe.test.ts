/**
 * FP8 recipes against hand-worked traces. Each row of a trace is one training step: the amax of
 * the tensor cast that step, the scale the cast used, the value its largest element read back
 * as, and the scale and history after the step's update — worked out by hand from TE's rules
 * (scale = (max / amax) / 2^margin; amax 0 keeps the scale; history rolled after use).
 */
import { describe, expect, it } from 'vitest';
import { DelayedScaling, Float8CurrentScaling, fp8Element, scaledDequantize } from '../../src/index.js';
import { ELEMENTS, positiveValues, roundTo } from '../helpers/scaled-reference.js';

type Row = [amax: number, scaleUsed: number, readBack: number, scaleAfter: number, historyAfter: number[]];

/** E4M3 forward, history of 3, 'max', margin 0. A growth at step 2 saturates (8 × 224 > 448); the window forgets 8 after three steps. */
const MAX_TRACE: Row[] = [
  [2, 1, 2, 224, [0, 0, 2]],
  [8, 224, 2, 56, [0, 2, 8]], // 8 × 224 = 1792 saturates to 448, reads back 2
  [1, 56, 1, 56, [0, 8, 1]],
  [0.5, 56, 0.5, 56, [0, 1, 0.5]],
  [0.25, 56, 0.25, 448, [0, 0.5, 0.25]], // 8 has left the window: max(1, 0.5, 0.25) = 1
  [0, 448, 0, 896, [0, 0.25, 0]],
  [0, 896, 0, 1792, [0, 0, 0]],
  [0, 1792, 0, 1792, [0, 0, 0]], // an all-zero history keeps the scale
];

/** E4M3 forward, history of 2, 'most_recent', margin 1: s = 448 / amax / 2. */
const RECENT_TRACE: Row[] = [
  [2, 1, 2, 112, [0, 2]],
  [8, 112, 4, 28, [0, 8]], // 8 × 112 = 896 saturates to 448, reads back 4
  [0, 28, 0, 28, [0, 0]], // most recent amax 0: the scale is kept
  [4, 28, 4, 56, [0, 4]],
  [3, 56, 160 / 56, 74.66666412353516, [0, 3]], // 3 × 56 = 168, a tie between 160 and 176, goes to even 160; 448 / 3 in float32 is 9786709 × 2^−16, halved
];

/** E5M2 backward (HYBRID), history of 2, 'max'. */
const GRAD_TRACE: Row[] = [
  [4, 1, 4, 14336, [0, 4]],
  [1024, 14336, 4, 56, [0, 1024]], // 1024 × 14336 saturates to 57344, reads back 4
  [2, 56, 2, 56, [0, 2]], // the window [2, 1024] still holds 1024; the roll then drops it
];

describe.each([
  ['max, margin 0', { amaxHistoryLen: 3 }, 'forward', MAX_TRACE],
  ['most_recent, margin 1', { amaxHistoryLen: 2, amaxComputeAlgo: 'most_recent', margin: 1 }, 'forward', RECENT_TRACE],
  ['HYBRID gradients', { amaxHistoryLen: 2 }, 'backward', GRAD_TRACE],
] as const)('DelayedScaling %s', (_, opts, role, trace) => {
  const scaler = new DelayedScaling(opts).scaler(role);
  it.each(trace.map((row, step) => [step + 1, ...row] as const))(
    'step %d: amax %d cast with scale %d reads back %d; then scale %d',
    (_step, amax, used, readBack, after, history) => {
      expect(scaler.scale).toBe(used);
      const q = scaler.quantize([amax, -amax / 2]);
      expect(q.scales[0]).toBe(used);
      expect(scaledDequantize(q, { out: new Float64Array(2) })[0]).toBe(readBack);
      expect(scaler.update()).toBe(after);
      expect([...scaler.amaxHistory]).toEqual(history);
    },
  );
});

describe('Float8CurrentScaling', () => {
  it.each([
    ['forward', 'float8_e4m3fn'],
    ['backward', 'float8_e5m2'],
  ] as const)('%s: the scale of this tensor’s amax, elements as the model rounds them', (role, element) => {
    const xs = [0.3, -7, 2.5, 1e-3];
    const max = positiveValues(ELEMENTS[element]!).at(-1)!;
    const s = Math.fround(max / 7);
    const q = new Float8CurrentScaling().quantize(xs, role);
    expect(q.scales[0]).toBe(s);
    const got = scaledDequantize(q, { out: new Float64Array(4) });
    expect([...got]).toEqual(xs.map((x) => roundTo(positiveValues(ELEMENTS[element]!), Math.fround(x * s)) / s));
  });

  it('±inf saturate to ±max and NaN stays NaN, as the saturating casts of TE and torchao', () => {
    const q = new Float8CurrentScaling().quantize([Infinity, -Infinity, NaN, 1], 'forward');
    expect([...scaledDequantize(q)]).toEqual([448, -448, NaN, 1]);
  });

  it('an all-zero or infinite amax gives the scale 1, as TE', () => {
    const r = new Float8CurrentScaling({ fp8Format: 'e4m3' });
    expect([r.quantize([0, 0], 'backward').scales[0], r.quantize([Infinity, 1], 'forward').scales[0]]).toEqual([1, 1]);
  });
});

describe('recipe formats and errors', () => {
  it('HYBRID is E4M3 forward and E5M2 backward; E4M3 and E5M2 use one element for both', () => {
    expect(
      ['hybrid', 'e4m3', 'e5m2'].flatMap((f) => [fp8Element(f as 'hybrid', 'forward'), fp8Element(f as 'hybrid', 'backward')]),
    ).toEqual(['float8_e4m3fn', 'float8_e5m2', 'float8_e4m3fn', 'float8_e4m3fn', 'float8_e5m2', 'float8_e5m2']);
  });

  it.each([
    [() => new DelayedScaling({ amaxHistoryLen: 0 }), RangeError, /new DelayedScaling: opts\.amaxHistoryLen/],
    [() => new DelayedScaling({ amaxComputeAlgo: 'mean' as never }), RangeError, /amaxComputeAlgo/],
    [() => new DelayedScaling().scaler('sideways' as never), RangeError, /role/],
    [() => new Float8CurrentScaling().quantize('x' as never, 'forward'), TypeError, /Float8CurrentScaling\.quantize: src/],
  ] as const)('%#', (f, E, msg) => {
    expect(f).toThrow(E);
    expect(f).toThrow(msg);
  });
});
