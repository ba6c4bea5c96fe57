/**
 * `floatlab convert IN OUT --to FORMAT`: rewrites the floating-point tensors of a model in FORMAT
 * (float32 → bfloat16 halves a checkpoint), keeping names, shapes, every other dtype, the tensors
 * `--keep` names, and the `__metadata__`. IN is a safetensors file (OUT a file), or a sharded
 * model — its `*.index.json` or its directory — or a directory of safetensors files (OUT a
 * directory, where every shard and a new index with the right `total_size` are written).
 *
 * It streams in chunks and writes temporary files beside the outputs, renaming them only when
 * everything is written and the report made: on any failure no output is left under a final name,
 * and IN is never touched. SIGINT, SIGTERM and SIGHUP remove the temporary files.
 */
import { type FileHandle, mkdir, open, rename, stat, unlink, writeFile } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import {
  type ConvertedTensor,
  convertTensors,
  planConversion,
  plannedHeader,
  targetDtype,
  tensorRounding,
} from '../../files/convert.js';
import { safetensorsDtype } from '../../files/dtypes.js';
import { safetensorsHeaderBytes } from '../../files/safetensors.js';
import {
  type FileScale,
  isNvfp4Weight,
  isScaledWeight,
  nvfp4Weight,
  type ScaledWeight,
  scaledWeight,
} from '../../files/scaled.js';
import { ChunkBuffers, type TensorInfo } from '../../files/tensors.js';
import { layoutEntries, type TensorEntry } from '../../files/write.js';
import type { Format } from '../../formats.js';
import { type MxFormat, resolveMxFormat } from '../../mx/formats.js';
import type { NaNPolicy, RoundingMode, RoundingOptions } from '../../options.js';
import { type Model, openModel, type Shard } from '../files/model.js';
import type { CliIO } from '../io.js';
import { type Progress, progress } from '../progress.js';
import { finishRanges, type KeptTensor, type TensorRange } from '../range-table.js';
import { removeOnSignal, tempNameBeside } from '../temp-file.js';
import { cliFormat, cliKeep, cliRounding, InputError } from '../values.js';

export interface ConvertOptions {
  to: string;
  rounding: RoundingMode;
  saturate?: boolean;
  json?: boolean;
  failOnOverflow?: boolean;
  keep?: string[];
  seed?: string;
  nan?: NaNPolicy;
  scale?: FileScale;
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

/** Where each shard goes: OUT itself for one file, else OUT/<the shard's name>. */
async function targets(model: Model, input: string, output: string): Promise<string[]> {
  const single = !model.index && model.shards.length === 1;
  const existing = await stat(output).catch(() => undefined);
  if (single) {
    if (existing && !existing.isFile()) {
      // refused before any work: the rename would fail only after the whole file is written
      const kind = existing.isDirectory() ? 'a directory' : 'not a regular file';
      throw new InputError(`OUT ${JSON.stringify(output)} is ${kind}: name a file to write`);
    }
    if (await sameFile(model.shards[0]!.path, output)) {
      throw new InputError(`OUT ${JSON.stringify(output)}: refusing to overwrite the input: give another OUT`);
    }
    return [output];
  }
  if (existing && !existing.isDirectory()) {
    throw new InputError(
      `OUT ${JSON.stringify(output)}: IN ${JSON.stringify(input)} is a model of several files; name a directory to write them in`,
    );
  }
  await mkdir(output, { recursive: true }).catch((err: NodeJS.ErrnoException) => {
    throw new InputError(`OUT: cannot make the directory ${JSON.stringify(output)}: ${err.code ?? err.message}`);
  });
  const paths = model.shards.map((s) => join(output, s.name));
  if (model.index) paths.push(join(output, basename(model.index.path)));
  for (const p of paths) {
    if (await stat(p).catch(() => undefined)) {
      throw new InputError(`OUT ${JSON.stringify(output)} already holds ${basename(p)}: give an empty or new directory`);
    }
  }
  return paths;
}

/** Converts one shard into the open file `out`; returns what it did to each tensor. */
async function convertShard(
  shard: Shard,
  out: FileHandle,
  opts: Parameters<typeof convertTensors>[3],
  to: Format,
  buffers: ChunkBuffers,
  bar: Progress,
): Promise<{ converted: ConvertedTensor[]; dataBytes: number }> {
  const { file } = shard;
  const plan = planConversion(file.tensors, to, opts);
  const header = plannedHeader(plan, file.metadataJson);
  await out.write(header, 0, header.length, 0);
  let position = header.length;
  const src = file.source(file.tensors[0]?.name ?? '');
  const converted = await convertTensors(
    src,
    plan,
    to,
    opts,
    async (bytes) => {
      const { bytesWritten } = await out.write(bytes, 0, bytes.length, position);
      position += bytesWritten;
    },
    buffers,
    (bytes, name) => bar.advance(bytes, name),
  );
  return { converted, dataBytes: position - header.length };
}

/** How a scaled layout quantizes a weight: its entries, or undefined when it leaves `t` to the plan. */
type WeightLayout = (t: TensorInfo, values: Float32Array | Float64Array, opts: RoundingOptions) => ScaledWeight | undefined;

/**
 * Converts one shard in a scaled layout, whole in memory (a scale needs all of its group): the
 * weights `layout` takes become codes and scales, the rest follows `plan` as in {@link convertShard}.
 */
async function scaledShard(
  shard: Shard,
  out: FileHandle,
  opts: Parameters<typeof convertTensors>[3],
  to: Format,
  layout: WeightLayout,
  buffers: ChunkBuffers,
  bar: Progress,
): Promise<{ converted: ConvertedTensor[]; dataBytes: number; added: string[] }> {
  const { file } = shard;
  const entries: TensorEntry[] = [];
  const converted: ConvertedTensor[] = [];
  const added: string[] = [];
  for (const p of planConversion(file.tensors, to, opts)) {
    const t = p.tensor;
    const w = p.converted ? layout(t, await file.values(t.name), tensorRounding(opts, t.name)) : undefined;
    if (w) {
      entries.push(...w.entries);
      added.push(...w.entries.slice(1).map((e) => e.name));
      converted.push({ ...p, dtype: safetensorsDtype(w.entries[0]!.dtype)!, report: w.report });
    } else {
      const parts: Uint8Array[] = [];
      const [c] = await convertTensors(file.source(t.name), [p], to, opts, async (b) => void parts.push(b.slice()), buffers);
      entries.push({ name: t.name, dtype: p.dtype.safetensors, shape: t.shape, data: concat(parts, p.byteLength) });
      converted.push(c!);
    }
    bar.advance(t.byteLength, t.name);
  }
  const laid = layoutEntries('convert', entries);
  const header = safetensorsHeaderBytes(
    laid.map((e) => ({ name: e.name, dtype: e.dtype, shape: e.shape, byteLength: e.data.length })),
    file.metadataJson,
  );
  let position = 0;
  for (const bytes of [header, ...laid.map((e) => e.data)]) {
    await out.write(bytes, 0, bytes.length, position);
    position += bytes.length;
  }
  return { converted, dataBytes: position - header.length, added };
}

function concat(parts: readonly Uint8Array[], length: number): Uint8Array {
  const all = new Uint8Array(length);
  let at = 0;
  for (const p of parts) {
    all.set(p, at);
    at += p.length;
  }
  return all;
}

/** The two-level block format `name` names (NVFP4), written in ModelOpt's layout; undefined for any other name. */
function twoLevelFormat(name: string): MxFormat | undefined {
  try {
    const M = resolveMxFormat('convert', name);
    return M.tensorScale ? M : undefined;
  } catch {
    return undefined;
  }
}

export async function convertCommand(input: string, output: string, opts: ConvertOptions, io: CliIO): Promise<number> {
  const twoLevel = twoLevelFormat(opts.to);
  if (twoLevel && opts.scale) throw new InputError(`--scale: ${twoLevel.name} has its own scales; leave --scale out`);
  // A two-level format's weights carry E4M3 block scales; the plan only picks them out.
  const F = twoLevel ? twoLevel.scaleFormat : cliFormat(opts.to, '--to');
  try {
    targetDtype('convert', F);
  } catch {
    throw new InputError(
      `--to: safetensors has no dtype for ${F.name}; convert writes the formats finfo lists with a safetensors name`,
    );
  }
  if (opts.scale && F.name !== 'float8_e4m3fn') {
    throw new InputError(`--scale: scaled weights are written in float8_e4m3fn, not ${F.name}; give --to float8_e4m3fn`);
  }
  if (output === '') throw new InputError('OUT is empty: name the file to write');
  const rounding = {
    ...cliRounding(opts.rounding, opts.saturate, opts.seed),
    ...(opts.nan === 'preserve' ? { nan: opts.nan } : {}),
  };
  const userKeep = cliKeep(opts.keep);
  const keep = twoLevel
    ? (t: TensorInfo) =>
        isNvfp4Weight(t) ? (userKeep?.(t) ?? false) : `not a 2-D .weight with whole blocks of ${twoLevel.blockSize}`
    : userKeep;
  const layout: WeightLayout | undefined = twoLevel
    ? (t, values, o) => nvfp4Weight(t.name, values, t.shape, o)
    : opts.scale
      ? (t, values, o) => (isScaledWeight(t) ? scaledWeight(t.name, values, t.shape, opts.scale!, o) : undefined)
      : undefined;
  const model = await openModel([input], 'IN');
  const tmps: string[] = [];
  const stopWatching = removeOnSignal(tmps);
  const renamed: string[] = [];
  let report: ReturnType<typeof finishRanges>;
  try {
    const npy = model.shards.find((s) => s.file.kind !== 'safetensors');
    if (npy) {
      throw new InputError(`IN ${JSON.stringify(npy.path)}: convert reads safetensors files, this is a .${npy.file.kind} file`);
    }
    const paths = await targets(model, input, output);
    const rows: TensorRange[] = [];
    const kept: KeptTensor[] = [];
    const buffers = new ChunkBuffers();
    const bar = progress(io, model.dataBytes, 'convert');
    let totalSize = 0;
    const addedTo = new Map<string, string>();
    for (const [i, shard] of model.shards.entries()) {
      const tmp = tempNameBeside(paths[i]!);
      tmps.push(tmp);
      const out = await open(tmp, 'wx').catch((err: NodeJS.ErrnoException) => {
        throw new InputError(`OUT: cannot write ${JSON.stringify(paths[i])}: ${err.code ?? err.message}`);
      });
      try {
        const shardOpts = { ...rounding, ...(keep ? { keep } : {}) };
        const { converted, dataBytes, added } = layout
          ? await scaledShard(shard, out, shardOpts, F, layout, buffers, bar)
          : { ...(await convertShard(shard, out, shardOpts, F, buffers, bar)), added: [] };
        for (const name of added) addedTo.set(name, shard.name);
        totalSize += dataBytes;
        for (const c of converted) {
          const t = c.tensor;
          if (c.report)
            rows.push({ name: t.name, dtype: `${t.spelled}→${c.dtype.safetensors}`, shape: t.shape, report: c.report });
          else kept.push({ name: t.name, dtype: t.spelled, reason: c.reason! });
        }
        await out.sync();
      } finally {
        await out.close();
      }
    }
    if (model.index) {
      const json = model.index.json;
      const weightMap = { ...json.weight_map, ...Object.fromEntries(addedTo) };
      const index = { ...json, metadata: { ...(json.metadata ?? {}), total_size: totalSize }, weight_map: weightMap };
      const tmp = tempNameBeside(paths.at(-1)!);
      tmps.push(tmp);
      await writeFile(tmp, `${JSON.stringify(index, null, 2)}\n`, { flag: 'wx' });
    }
    bar.stop();
    // Everything that can fail — the report included — is done before an output appears.
    report = finishRanges(
      io,
      rows,
      kept,
      opts,
      {
        input,
        output,
        ...(model.index || model.shards.length > 1 ? { shards: model.shards.map((s) => s.name) } : {}),
        to: twoLevel?.name ?? F.name,
        rounding: opts.rounding,
        saturate: Boolean(opts.saturate),
        nan: opts.nan ?? 'canonical',
        ...(opts.keep?.length ? { keep: opts.keep } : {}),
        ...(opts.scale ? { scale: opts.scale } : {}),
      },
      true,
    );
    for (const [i, tmp] of tmps.entries()) {
      await rename(tmp, paths[i]!).catch((err: NodeJS.ErrnoException) => {
        throw new InputError(`OUT: cannot rename the written file to ${JSON.stringify(paths[i])}: ${err.code ?? err.message}`);
      });
      renamed.push(paths[i]!);
    }
  } catch (err) {
    // All or nothing: the temporary files go, and so do the outputs already renamed (their
    // names were free before: a sharded output is refused where one exists).
    for (const p of [...tmps, ...(renamed.length < tmps.length && tmps.length > 1 ? renamed : [])])
      await unlink(p).catch(() => {});
    throw err;
  } finally {
    stopWatching();
    await model.close();
  }
  report.print();
  return report.code;
}
