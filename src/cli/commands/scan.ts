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
import { finishRanges, type TensorRange } from '../range-table.js';
import { cliFormat, cliRounding } from '../values.js';

export interface ScanOptions {
  to: string;
  rounding: RoundingMode;
  saturate?: boolean;
  json?: boolean;
  failOnOverflow?: boolean;
}

export async function scanCommand(file: string, opts: ScanOptions, io: CliIO): Promise<number> {
  const F = cliFormat(opts.to, '--to');
  const rounding = cliRounding(opts.rounding, opts.saturate);
  const cp = await openCheckpoint(file, 'FILE');
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
  const report = finishRanges(io, rows, skipped, opts, {
    file,
    to: F.name,
    rounding: opts.rounding,
    saturate: Boolean(opts.saturate),
  });
  report.print();
  return report.code;
}
