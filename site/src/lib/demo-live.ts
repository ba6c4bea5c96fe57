/**
 * The demo's live loss curves: the losses the worker posts as it trains, kept per row, and drawn
 * as an SVG picture (x = step, y = loss) before the runs finish.
 */

/** The losses of one row so far. */
export interface LiveCurve {
  precision: string;
  losses: number[];
}

/** `curves` with `losses` (the row's next steps) appended to the row `precision`, a new row last. */
export function appendLosses(curves: readonly LiveCurve[], precision: string, losses: readonly number[]): LiveCurve[] {
  const i = curves.findIndex((c) => c.precision === precision);
  if (i < 0) return [...curves, { precision, losses: [...losses] }];
  return curves.map((c, k) => (k === i ? { precision, losses: [...c.losses, ...losses] } : c));
}

const COLOURS = ['#1565c0', '#c62828', '#2e7d32', '#6a1b9a', '#ef6c00', '#00838f', '#5d4037', '#ad1457', '#455a64'];

/** Per row, its polyline's points: step i at x = width·(i+1)/steps, finite losses only, y scaled to the largest finite loss. */
export function curvePoints(curves: readonly LiveCurve[], steps: number, width: number, height: number): string[] {
  const finite = curves.flatMap((c) => c.losses.filter(Number.isFinite));
  const top = Math.max(1e-12, ...finite);
  return curves.map((c) =>
    c.losses
      .map((l, i) =>
        Number.isFinite(l) ? `${((width * (i + 1)) / steps).toFixed(1)},${(height * (1 - l / top)).toFixed(1)}` : '',
      )
      .filter((p) => p !== '')
      .join(' '),
  );
}

/** The colour of row i in the live chart and its legend. */
export function curveColour(i: number): string {
  return COLOURS[i % COLOURS.length]!;
}
