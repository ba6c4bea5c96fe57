/**
 * `floatlab scan FILE --to FORMAT`: what casting every floating-point tensor of a safetensors or
 * .npy file into FORMAT would do — overflow, underflow, subnormals, max |x| — read in chunks,
 * so files larger than memory work.
 */
import { createRangeCheck } from '../../codec/range.js';
import type { RoundingMode } from '../../options.js';
import { ChunkBuffers, forEachChunk, openCheckpoint } from '../files/checkpoint.js';
import type { CliIO } from '../io.js';
import { progress } from '../progress.js';
import { printRanges, type TensorRange } from '../range-table.js';
import { cliFormat } from '../values.js';

export interface ScanOptions {
  to: string;
  rounding: RoundingMode;
  saturate?: boolean;
  json?: boolean;
  failOnOverflow?: boolean;
}

export async function scanCommand(file: string, opts: ScanOptions, io: CliIO): Promise<number> {
  const F = cliFormat(opts.to);
  const rounding = {
    rounding: opts.rounding,
    saturate: Boolean(opts.saturate),
    ...(opts.rounding === 'stochastic' ? { seed: 0 } : {}),
  };
  const cp = await openCheckpoint(file);
  const rows: TensorRange[] = [];
  const skipped: string[] = [];
  try {
    const bar = progress(io, cp.size, 'scan');
    const buffers = new ChunkBuffers();
    for (const t of cp.tensors) {
      if (!t.format) {
        skipped.push(t.name);
        continue;
      }
      const check = createRangeCheck(F, rounding);
      await forEachChunk(cp, t, buffers, (values, raw) => {
        check.add(values!);
        bar.advance(raw.length, t.name);
      });
      rows.push({ name: t.name, dtype: t.dtype, shape: t.shape, report: check.report() });
    }
    bar.stop();
  } finally {
    await cp.fh.close();
  }
  const t = printRanges(
    io,
    rows,
    Boolean(opts.json),
    { file, to: F.name, rounding: opts.rounding, saturate: Boolean(opts.saturate) },
    skipped,
  );
  return opts.failOnOverflow && t.overflow > 0 ? 1 : 0;
}
