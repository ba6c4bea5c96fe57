/** The per-tensor range report that `scan` and `convert` print, and its total. */
import type { RangeReport } from '../codec/range.js';
import { formatG } from '../decimal.js';
import { toJson, type CliIO } from './io.js';
import { table } from '../core/table.js';

/** One tensor's line: where it came from and what the cast does to it. */
export interface TensorRange {
  name: string;
  dtype: string;
  shape: number[];
  report: RangeReport;
}

/** The sums over every tensor (maxima and minima where a sum means nothing). */
export function total(rows: TensorRange[]) {
  const first = rows.find((r) => r.report.overflow > 0);
  const sum = (k: 'count' | 'nan' | 'infinite' | 'overflow' | 'underflow' | 'subnormal' | 'inexact') =>
    rows.reduce((a, r) => a + r.report[k], 0);
  return {
    tensors: rows.length,
    count: sum('count'),
    nan: sum('nan'),
    infinite: sum('infinite'),
    overflow: sum('overflow'),
    underflow: sum('underflow'),
    subnormal: sum('subnormal'),
    inexact: sum('inexact'),
    maxAbs: rows.reduce((a, r) => Math.max(a, r.report.maxAbs), 0),
    minAbsNonzero: rows.reduce((a, r) => Math.min(a, r.report.minAbsNonzero), Infinity),
    firstOverflow: first ? { tensor: first.name, index: first.report.firstOverflow } : null,
  };
}

/** The table (or JSON with `extra` fields) for `rows`, and their total. */
function renderRanges(rows: TensorRange[], json: boolean, extra: Record<string, unknown>, skipped: string[]) {
  const t = total(rows);
  if (json) {
    const text = toJson({
      ...extra,
      tensors: rows.map((r) => ({ name: r.name, dtype: r.dtype, shape: r.shape, ...r.report })),
      skipped,
      total: t,
    });
    return { text, total: t };
  }
  const n = (v: number) => String(v);
  const body = rows.map((r) => [
    r.name,
    r.dtype,
    `[${r.shape.join(', ')}]`,
    n(r.report.count),
    n(r.report.overflow),
    n(r.report.underflow),
    n(r.report.subnormal),
    formatG(r.report.maxAbs, 6),
  ]);
  body.push([
    `total (${t.tensors} tensor${t.tensors === 1 ? '' : 's'})`,
    '',
    '',
    n(t.count),
    n(t.overflow),
    n(t.underflow),
    n(t.subnormal),
    formatG(t.maxAbs, 6),
  ]);
  let text = `${table(['tensor', 'dtype', 'shape', 'count', 'overflow', 'underflow', 'subnormal', 'max |x|'], body)}\n`;
  if (skipped.length)
    text += `${skipped.length} tensor${skipped.length > 1 ? 's' : ''} not floating point: ${skipped.join(', ')}\n`;
  return { text, total: t };
}

/**
 * The report of `scan`/`convert` (JSON with the run's `extra` fields under `--json`), made whole
 * before anything is printed or renamed, and the exit code: 1 when `--fail-on-overflow` was given
 * and a value overflowed, else 0. `print` writes it.
 */
export function finishRanges(
  io: CliIO,
  rows: TensorRange[],
  skipped: string[],
  opts: { json?: boolean; failOnOverflow?: boolean },
  extra: Record<string, unknown>,
): { code: number; print(): void } {
  const { text, total: t } = renderRanges(rows, Boolean(opts.json), extra, skipped);
  return { code: opts.failOnOverflow && t.overflow > 0 ? 1 : 0, print: () => io.out(text) };
}
