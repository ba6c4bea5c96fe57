/**
 * `floatlab scan FILE... --to FORMAT`: what casting every floating-point tensor of a model —
 * a safetensors, .npy or .npz file, a sharded model's index, a directory, or several files — into
 * FORMAT would do: overflow, underflow, subnormals, NaN, inf, max |x|. Read in chunks, so files
 * larger than memory work.
 */
import { createRangeCheck } from '../../codec/range.js';
import { keptReason, tensorRounding } from '../../files/convert.js';
import { dequantizeScaled, scaleOf } from '../../files/scaled.js';
import { ChunkBuffers, forEachChunk } from '../../files/tensors.js';
import type { RoundingMode } from '../../options.js';
import { modelTensors, openModel } from '../files/model.js';
import type { CliIO } from '../io.js';
import { progress } from '../progress.js';
import { finishRanges, type KeptTensor, type TensorRange } from '../range-table.js';
import { cliFormat, cliKeep, cliRounding } from '../values.js';

export interface ScanOptions {
  to: string;
  rounding: RoundingMode;
  saturate?: boolean;
  json?: boolean;
  failOnOverflow?: boolean;
  keep?: string[];
  seed?: string;
}

export async function scanCommand(files: string[], opts: ScanOptions, io: CliIO): Promise<number> {
  const F = cliFormat(opts.to, '--to');
  const rounding = cliRounding(opts.rounding, opts.saturate, opts.seed);
  const keep = cliKeep(opts.keep);
  const model = await openModel(files, 'FILE');
  const rows: TensorRange[] = [];
  const kept: KeptTensor[] = [];
  try {
    const bar = progress(io, model.dataBytes, 'scan');
    const buffers = new ChunkBuffers();
    for (const [shard, t] of modelTensors(model)) {
      const scaleFor = scaleOf(shard.file, t.name);
      const reason = scaleFor ? `scale of ${scaleFor}` : keep?.(t) || undefined;
      // A scaled weight is scanned as the values it stands for: its codes times its scales.
      const dequantized = reason ? undefined : await dequantizeScaled(shard.file, t.name);
      const why = reason ?? (dequantized ? undefined : keptReason(t));
      if (why) {
        kept.push({ name: t.name, dtype: t.spelled, reason: why });
        bar.advance(t.byteLength, t.name);
        continue;
      }
      const check = createRangeCheck(F, tensorRounding(rounding, t.name));
      if (dequantized) {
        check.add(dequantized);
        bar.advance(t.byteLength, t.name);
        rows.push({ name: t.name, dtype: `${t.spelled}×scale`, shape: t.shape, report: check.report() });
        continue;
      }
      await forEachChunk(shard.file.source(t.name), t, buffers, ({ values, raw }) => {
        check.add(values!);
        bar.advance(raw.length, t.name);
      });
      rows.push({ name: t.name, dtype: t.spelled, shape: t.shape, report: check.report() });
    }
    bar.stop();
  } finally {
    await model.close();
  }
  const report = finishRanges(io, rows, kept, opts, {
    file: files.length === 1 ? files[0] : files,
    ...(model.index ? { shards: model.shards.map((s) => s.name) } : {}),
    to: F.name,
    rounding: opts.rounding,
    saturate: Boolean(opts.saturate),
  });
  report.print();
  return report.code;
}
