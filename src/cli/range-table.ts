/** The per-tensor range report that `scan` and `convert` print, and its total. */
import type { RangeReport } from '../codec/range.js';
import { table } from '../core/table.js';
import { formatG } from '../decimal.js';
import { type CliIO, toJson } from './io.js';

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

/** A tensor left as it is, and why. */
export interface KeptTensor {
  name: string;
  dtype: string;
  reason: string;
}

/** One line per reason: `2 tensors not floating point: a, b`. */
function keptLines(kept: KeptTensor[]): string {
  const byReason = new Map<string, string[]>();
  for (const k of kept) byReason.set(k.reason, [...(byReason.get(k.reason) ?? []), k.name]);
  return [...byReason]
    .map(([reason, names]) => `${names.length} tensor${names.length > 1 ? 's' : ''} ${reason}: ${names.join(', ')}\n`)
    .join('');
}

/** The table (or JSON with `extra` fields) for `rows`, and their total. */
function renderRanges(rows: TensorRange[], json: boolean, extra: Record<string, unknown>, kept: KeptTensor[]) {
  const t = total(rows);
  if (json) {
    const text = toJson({
      ...extra,
      tensors: rows.map((r) => ({ name: r.name, dtype: r.dtype, shape: r.shape, ...r.report })),
      skipped: kept.map((k) => k.name),
      kept,
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
    n(r.report.nan),
    n(r.report.infinite),
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
    n(t.nan),
    n(t.infinite),
    n(t.overflow),
    n(t.underflow),
    n(t.subnormal),
    formatG(t.maxAbs, 6),
  ]);
  let text = `${table(['tensor', 'dtype', 'shape', 'count', 'nan', 'inf', 'overflow', 'underflow', 'subnormal', 'max |x|'], body)}\n`;
  text += keptLines(kept);
  return { text, total: t };
}

/**
 * The report of `scan`/`convert` (JSON with the run's `extra` fields under `--json`), made whole
 * before anything is printed or renamed, and the exit code: 1 when `--fail-on-overflow` was given
 * and a value overflowed, else 0. `print` writes it; with `warn`, an overflow also gets a summary
 * line on stderr (what `convert` wrote is then not what the input held).
 */
export function finishRanges(
  io: CliIO,
  rows: TensorRange[],
  kept: KeptTensor[],
  opts: { json?: boolean; failOnOverflow?: boolean },
  extra: Record<string, unknown>,
  warn = false,
): { code: number; print(): void } {
  const { text, total: t } = renderRanges(rows, Boolean(opts.json), extra, kept);
  const over = rows.filter((r) => r.report.overflow > 0);
  const summary =
    warn && t.overflow > 0
      ? `floatlab: warning: ${t.overflow} value${t.overflow > 1 ? 's' : ''} in ${over.length} tensor${over.length > 1 ? 's' : ''} overflowed ${String(extra.to)} (first: ${t.firstOverflow!.tensor} at index ${t.firstOverflow!.index}); --saturate clamps them to ±max, --keep leaves tensors as they are\n`
      : '';
  return {
    code: opts.failOnOverflow && t.overflow > 0 ? 1 : 0,
    print: () => {
      io.out(text);
      if (summary) io.err(summary);
    },
  };
}
