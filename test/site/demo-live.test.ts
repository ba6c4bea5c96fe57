/** The demo's live curves: losses appended per row in the order they arrive, drawn scaled to the largest finite loss. */
import { describe, expect, it } from 'vitest';
import { appendLosses, curvePoints } from '../../site/src/lib/demo-live.js';

describe('appendLosses', () => {
  it('appends to a row it has, adds a new row last, and leaves its input as it was', () => {
    const a = appendLosses([], 'fp32', [3, 2]);
    const b = appendLosses(a, 'bf16', [4]);
    const c = appendLosses(b, 'fp32', [1]);
    expect(c).toEqual([
      { precision: 'fp32', losses: [3, 2, 1] },
      { precision: 'bf16', losses: [4] },
    ]);
    expect(a).toEqual([{ precision: 'fp32', losses: [3, 2] }]);
    expect(b[0]!.losses).toEqual([3, 2]);
  });
});

describe('curvePoints', () => {
  it('step i at x = width·(i+1)/steps, loss l at y = height·(1 − l/largest)', () => {
    const [p, q] = curvePoints(
      [
        { precision: 'a', losses: [4, 2] },
        { precision: 'b', losses: [1] },
      ],
      4,
      100,
      80,
    );
    expect(p).toBe('25.0,0.0 50.0,40.0');
    expect(q).toBe('25.0,60.0');
  });

  it('leaves out NaN and infinite losses and scales to the finite ones', () => {
    const [p] = curvePoints([{ precision: 'a', losses: [2, Number.NaN, Infinity, 1] }], 4, 100, 10);
    expect(p).toBe('25.0,0.0 100.0,5.0');
  });
});
