/**
 * `floatlab convert IN OUT --to FORMAT`: rewrites the floating-point tensors of a safetensors
 * file in FORMAT (float32 → bfloat16 halves a checkpoint), keeping names, shapes, every other
 * dtype and the `__metadata__`. It streams in chunks, writes a temporary file beside OUT and
 * renames it only when everything is written and the report made, so OUT is never half-written
 * and IN never touched; SIGINT, SIGTERM and SIGHUP remove the temporary file.
 */
import { type FileHandle, open, rename, stat, unlink } from 'node:fs/promises';
import { resolve } from 'node:path';
import { encodeArray } from '../../codec/array.js';
import { codeContainer } from '../../formats.js';
import { createRangeCheck } from '../../codec/range.js';
import type { RoundingMode } from '../../options.js';
import { CHUNK_ELEMENTS, ChunkBuffers, forEachChunk, openCheckpoint } from '../files/checkpoint.js';
import { dtypeOfFormat, FILE_DTYPES } from '../files/dtypes.js';
import { safetensorsHeaderBytes } from '../files/safetensors.js';
import type { CliIO } from '../io.js';
import { progress } from '../progress.js';
import { finishRanges, type TensorRange } from '../range-table.js';
import { removeOnSignal, tempNameBeside } from '../temp-file.js';
import { cliFormat, cliRounding, InputError } from '../values.js';

export interface ConvertOptions {
  to: string;
  rounding: RoundingMode;
  saturate?: boolean;
  json?: boolean;
  failOnOverflow?: boolean;
}

async function sameFile(a: string, b: string): Promise<boolean> {
  if (resolve(a) === resolve(b)) return true;
  try {
    const [sa, sb] = await Promise.all([stat(a), stat(b)]);
    return sa.dev === sb.dev && sa.ino === sb.ino;
  } catch {
    return false;
  }
}

export async function convertCommand(input: string, output: string, opts: ConvertOptions, io: CliIO): Promise<number> {
  const F = cliFormat(opts.to, '--to');
  const target = dtypeOfFormat(F.name);
  if (!target) {
    const can = FILE_DTYPES.filter((d) => d.format).map((d) => `${d.format} (${d.safetensors})`);
    throw new InputError(`--to: safetensors has no dtype for ${F.name}; convert writes ${can.join(', ')}`);
  }
  if (output === '') throw new InputError('OUT is empty: name the file to write');
  if (await sameFile(input, output))
    throw new InputError(`OUT ${JSON.stringify(output)}: refusing to overwrite the input: give another OUT`);
  const existing = await stat(output).catch(() => undefined);
  if (existing && !existing.isFile()) {
    // refused before any work: the rename would fail only after the whole file is written
    const kind = existing.isDirectory() ? 'a directory' : 'not a regular file';
    throw new InputError(`OUT ${JSON.stringify(output)} is ${kind}: name a file to write`);
  }
  const rounding = cliRounding(opts.rounding, opts.saturate);
  const cp = await openCheckpoint(input, 'IN');
  if (cp.kind !== 'safetensors') {
    await cp.fh.close();
    throw new InputError(`IN ${JSON.stringify(input)}: convert reads safetensors files, this is a .npy file`);
  }
  const tmp = tempNameBeside(output);
  const rows: TensorRange[] = [];
  const skipped: string[] = [];
  let out: FileHandle | undefined;
  const stopWatching = removeOnSignal(tmp);
  let report: ReturnType<typeof finishRanges>;
  try {
    out = await open(tmp, 'wx').catch((err: NodeJS.ErrnoException) => {
      throw new InputError(`OUT: cannot write ${JSON.stringify(output)}: ${err.code ?? err.message}`);
    });
    const layout = cp.tensors.map((t) => ({
      name: t.name,
      dtype: t.format ? target.safetensors : t.dtype,
      shape: t.shape,
      byteLength: t.count * (t.format ? target.size : t.size),
    }));
    const header = safetensorsHeaderBytes(layout, cp.metadataJson);
    await out.write(header, 0, header.length, 0);
    let position = header.length;
    const buffers = new ChunkBuffers();
    const Container = codeContainer(F);
    const encoded = new ArrayBuffer(CHUNK_ELEMENTS * target.size);
    const bar = progress(io, cp.size, 'convert');
    for (const t of cp.tensors) {
      const check = t.format ? createRangeCheck(F, rounding) : undefined;
      await forEachChunk(cp, t, buffers, async (values, raw) => {
        let bytes = raw;
        if (values && check) {
          check.add(values);
          const codes = encodeArray(F, values, { ...rounding, out: new Container(encoded, 0, values.length) as never });
          bytes = new Uint8Array(codes.buffer, 0, codes.byteLength);
        }
        await out!.write(bytes, 0, bytes.length, position);
        position += bytes.length;
        bar.advance(raw.length, t.name);
      });
      if (check) rows.push({ name: t.name, dtype: `${t.dtype}→${target.safetensors}`, shape: t.shape, report: check.report() });
      else skipped.push(t.name);
    }
    bar.stop();
    await out.sync();
    await out.close();
    out = undefined;
    // Everything that can fail — the report included — is done before OUT appears.
    report = finishRanges(io, rows, skipped, opts, {
      input,
      output,
      to: F.name,
      rounding: opts.rounding,
      saturate: Boolean(opts.saturate),
    });
    await rename(tmp, output).catch((err: NodeJS.ErrnoException) => {
      throw new InputError(`OUT: cannot rename the written file to ${JSON.stringify(output)}: ${err.code ?? err.message}`);
    });
  } catch (err) {
    await out?.close();
    await unlink(tmp).catch(() => {});
    throw err;
  } finally {
    stopWatching();
    await cp.fh.close();
  }
  report.print();
  return report.code;
}
