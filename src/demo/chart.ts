/**
 * The demo's charts as standalone SVG (no chart library): the loss curves, and the
 * post-training quantization table.
 */
import type { PtqTable } from './ptq.js';
import type { DemoResult } from './train.js';

/** Line colours and dash patterns, one per run (cycled): runs that coincide stay visible. */
const COLOURS = ['#1f77b4', '#d62728', '#2ca02c', '#9467bd', '#ff7f0e', '#8c564b', '#e377c2', '#17becf'];
const DASHES = ['', '9 5', '3 4', '', '', '12 4 3 4', '6 3', '2 3'];

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** Means of consecutive windows of `size` losses (a window with a non-finite loss is non-finite). */
function windowMeans(losses: readonly number[], size: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < losses.length; i += size) {
    const w = losses.slice(i, i + size);
    out.push(w.reduce((a, b) => a + b, 0) / w.length);
  }
  return out;
}

/** A "nice" step for axis ticks covering `span` in about `count` steps. */
function tickStep(span: number, count: number): number {
  const raw = span / count;
  const p = 10 ** Math.floor(Math.log10(raw));
  return [1, 2, 5, 10].map((m) => m * p).find((s) => s >= raw) ?? 10 * p;
}

/**
 * The training-loss curves of every run as an SVG document: x = step, y = the mean loss over
 * windows of steps; a run whose loss turned NaN ends in a cross at that step, at the height of
 * its last finite loss.
 */
export function lossChartSvg(result: DemoResult, opts: { width?: number; height?: number } = {}): string {
  const width = opts.width ?? 760;
  const height = opts.height ?? 420;
  const margin = { left: 56, right: 200, top: 36, bottom: 44 };
  const plotW = width - margin.left - margin.right;
  const plotH = height - margin.top - margin.bottom;
  const steps = result.config.steps;
  const window = Math.max(1, Math.round(steps / 80));
  const series = result.runs.map((r) => windowMeans(r.losses, window));
  const finite = series.flat().filter(Number.isFinite);
  const yMax = Math.max(...finite, 1);
  const yStep = tickStep(yMax, 5);
  const yTop = Math.ceil(yMax / yStep) * yStep;
  const x = (step: number) => margin.left + (plotW * step) / steps;
  const y = (loss: number) => margin.top + plotH * (1 - loss / yTop);
  const parts: string[] = [];
  parts.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="12">`,
  );
  parts.push(`<rect width="${width}" height="${height}" fill="#fff"/>`);
  parts.push(
    `<text x="${margin.left}" y="22" font-size="14" font-weight="bold">Training loss by precision (mean over ${window} steps)</text>`,
  );
  for (let v = 0; v <= yTop + 1e-9; v += yStep) {
    parts.push(
      `<line x1="${margin.left}" x2="${margin.left + plotW}" y1="${y(v).toFixed(1)}" y2="${y(v).toFixed(1)}" stroke="#e5e5e5"/>`,
    );
    parts.push(`<text x="${margin.left - 6}" y="${(y(v) + 4).toFixed(1)}" text-anchor="end">${Number(v.toFixed(6))}</text>`);
  }
  const xStep = tickStep(steps, 8);
  for (let s = 0; s <= steps; s += xStep) {
    parts.push(
      `<line x1="${x(s).toFixed(1)}" x2="${x(s).toFixed(1)}" y1="${margin.top + plotH}" y2="${margin.top + plotH + 4}" stroke="#333"/>`,
    );
    parts.push(`<text x="${x(s).toFixed(1)}" y="${margin.top + plotH + 17}" text-anchor="middle">${s}</text>`);
  }
  parts.push(`<rect x="${margin.left}" y="${margin.top}" width="${plotW}" height="${plotH}" fill="none" stroke="#333"/>`);
  parts.push(`<text x="${margin.left + plotW / 2}" y="${height - 8}" text-anchor="middle">step</text>`);
  parts.push(`<text transform="translate(14 ${margin.top + plotH / 2}) rotate(-90)" text-anchor="middle">cross-entropy</text>`);
  result.runs.forEach((run, i) => {
    const colour = COLOURS[i % COLOURS.length]!;
    const dash = DASHES[i % DASHES.length] ? ` stroke-dasharray="${DASHES[i % DASHES.length]}"` : '';
    const points: string[] = [];
    let broke: number | undefined;
    for (const [k, loss] of series[i]!.entries()) {
      if (!Number.isFinite(loss)) {
        broke = run.firstBadStep ?? k * window;
        break;
      }
      points.push(`${x(Math.min(steps, (k + 0.5) * window)).toFixed(1)},${y(loss).toFixed(1)}`);
    }
    if (points.length > 1)
      parts.push(`<polyline fill="none" stroke="${colour}" stroke-width="2"${dash} points="${points.join(' ')}"/>`);
    if (broke !== undefined) {
      // A cross at the step the loss turned NaN, at the height of the last finite loss.
      const last =
        run.losses
          .slice(0, Math.max(0, broke - 1))
          .filter(Number.isFinite)
          .at(-1) ?? yTop;
      parts.push(
        `<path d="M${(x(broke) - 6).toFixed(1)},${(y(last) - 6).toFixed(1)} l12,12 m0,-12 l-12,12" stroke="${colour}" stroke-width="2.5"/>`,
      );
    }
    const ly = margin.top + 8 + 36 * i;
    const lx = margin.left + plotW + 16;
    parts.push(`<line x1="${lx}" x2="${lx + 22}" y1="${ly}" y2="${ly}" stroke="${colour}" stroke-width="3"${dash}/>`);
    parts.push(`<text x="${lx + 28}" y="${ly + 4}" font-weight="bold">${escapeXml(run.precision)}</text>`);
    const note =
      run.firstBadStep === null ? `test acc ${(100 * run.testAccuracy).toFixed(1)}%` : `loss NaN from step ${run.firstBadStep}`;
    parts.push(`<text x="${lx + 28}" y="${ly + 19}" fill="#555">${escapeXml(note)}</text>`);
  });
  parts.push('</svg>');
  return `${parts.join('\n')}\n`;
}

/**
 * The post-training quantization table as an SVG bar chart: per scheme, the test accuracy with
 * the weights quantized and with the activations too, on an axis that starts near the lowest
 * accuracy (marked as such), and the bits per weight and weight rms error beside each pair.
 */
export function ptqChartSvg(table: PtqTable, opts: { width?: number } = {}): string {
  const width = opts.width ?? 760;
  const rowH = 30;
  const margin = { left: 200, right: 190, top: 56, bottom: 44 };
  const plotW = width - margin.left - margin.right;
  const plotH = rowH * table.rows.length;
  const height = margin.top + plotH + margin.bottom;
  const accuracies = table.rows.flatMap((r) => [r.testAccuracy, r.testAccuracyWithActivations]).map((a) => 100 * a);
  const xStep = tickStep(Math.max(...accuracies) - Math.min(...accuracies) + 2, 5);
  const lo = Math.floor((Math.min(...accuracies) - 1) / xStep) * xStep;
  const hi = Math.ceil((Math.max(...accuracies) + 0.5) / xStep) * xStep;
  const x = (pct: number) => margin.left + (plotW * (pct - lo)) / (hi - lo);
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="12">`,
    `<rect width="${width}" height="${height}" fill="#fff"/>`,
    `<text x="16" y="22" font-size="14" font-weight="bold">The float32 model quantized after training: test accuracy</text>`,
    `<rect x="16" y="34" width="14" height="10" fill="${COLOURS[0]}"/><text x="36" y="43">weights quantized</text>`,
    `<rect x="176" y="34" width="14" height="10" fill="${COLOURS[4]}"/><text x="196" y="43">weights and activations</text>`,
    `<text x="${margin.left + plotW + 12}" y="43" fill="#555">bits/weight, weight rms error</text>`,
  ];
  for (let v = lo; v <= hi + 1e-9; v += xStep) {
    parts.push(
      `<line x1="${x(v).toFixed(1)}" x2="${x(v).toFixed(1)}" y1="${margin.top}" y2="${margin.top + plotH}" stroke="#e5e5e5"/>`,
      `<text x="${x(v).toFixed(1)}" y="${margin.top + plotH + 16}" text-anchor="middle">${Number(v.toFixed(6))}%</text>`,
    );
  }
  parts.push(
    `<text x="${margin.left + plotW / 2}" y="${height - 8}" text-anchor="middle">test accuracy (the axis starts at ${lo}%)</text>`,
  );
  table.rows.forEach((r, i) => {
    const y = margin.top + rowH * i;
    parts.push(`<text x="${margin.left - 8}" y="${y + rowH / 2 + 4}" text-anchor="end">${escapeXml(r.scheme)}</text>`);
    [r.testAccuracy, r.testAccuracyWithActivations].forEach((a, k) => {
      const w = Math.max(0, x(100 * a) - margin.left);
      parts.push(
        `<rect x="${margin.left}" y="${y + 4 + 11 * k}" width="${w.toFixed(1)}" height="10" fill="${COLOURS[4 * k]}"><title>${(100 * a).toFixed(1)}%</title></rect>`,
      );
    });
    parts.push(
      `<text x="${margin.left + plotW + 12}" y="${y + rowH / 2 + 4}" fill="#555">${r.bitsPerWeight.toFixed(2)} · ${r.weightRmsError.toExponential(1)}</text>`,
    );
  });
  parts.push(`<rect x="${margin.left}" y="${margin.top}" width="${plotW}" height="${plotH}" fill="none" stroke="#333"/>`);
  parts.push('</svg>');
  return `${parts.join('\n')}\n`;
}
