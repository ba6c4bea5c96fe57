/**
 * A model as people have it on disk: one `.safetensors` (or `.npy`, `.npz`) file, a sharded
 * Hugging Face checkpoint (`model-00001-of-00004.safetensors` … and `model.safetensors.index.json`
 * with its `weight_map`), a directory holding either, or several files named one by one. Each
 * file is opened through the library's file API; the index is checked against the shards.
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import { basename, dirname, isAbsolute, join, normalize } from 'node:path';
import { type OpenFile, openFileSource } from '../../files/node.js';
import { openTensorFile, type TensorFile } from '../../files/open.js';
import type { TensorInfo } from '../../files/tensors.js';
import { InputError } from '../values.js';

/** One file of a model. */
export interface Shard {
  /** Its path. */
  path: string;
  /** Its name in the index (its file name when there is no index). */
  name: string;
  file: TensorFile;
  handle: OpenFile;
}

/** The JSON of a sharded model's index. */
export interface ModelIndex {
  path: string;
  /** The whole object as read (`metadata`, `weight_map`, anything else), written back with a new `total_size`. */
  json: { metadata?: Record<string, unknown>; weight_map: Record<string, string> } & Record<string, unknown>;
}

export interface Model {
  shards: Shard[];
  index?: ModelIndex;
  /** Bytes of tensor data over every shard. */
  dataBytes: number;
  close(): Promise<void>;
}

const INDEX_SUFFIX = '.index.json';

/** Every tensor of `model`, with its shard. */
export function* modelTensors(model: Model): Generator<[Shard, TensorInfo]> {
  for (const shard of model.shards) for (const t of shard.file.tensors) yield [shard, t];
}

async function readIndex(path: string, param: string): Promise<ModelIndex> {
  const where = `${param} ${JSON.stringify(path)}`;
  let json: unknown;
  try {
    json = JSON.parse(await readFile(path, 'utf8'));
  } catch (err) {
    throw new InputError(`${where}: not a readable JSON index: ${(err as Error).message}`);
  }
  const o = json as ModelIndex['json'];
  if (!o || typeof o !== 'object' || !o.weight_map || typeof o.weight_map !== 'object' || Array.isArray(o.weight_map)) {
    throw new InputError(`${where}: a sharded model's index needs a "weight_map" object (tensor name → shard file)`);
  }
  for (const [name, file] of Object.entries(o.weight_map)) {
    if (typeof file !== 'string' || file === '' || isAbsolute(file) || normalize(file).startsWith('..')) {
      throw new InputError(`${where}: weight_map[${JSON.stringify(name)}] is not a file name beside the index`);
    }
  }
  if (o.metadata !== undefined && (o.metadata === null || typeof o.metadata !== 'object' || Array.isArray(o.metadata))) {
    throw new InputError(`${where}: "metadata" is not an object`);
  }
  return { path, json: o };
}

/** The files a path stands for: a file, an index, or a directory holding an index or `.safetensors` files. */
async function resolvePath(path: string, param: string): Promise<{ files: string[]; index?: ModelIndex }> {
  const where = `${param} ${JSON.stringify(path)}`;
  const st = await stat(path).catch((err: NodeJS.ErrnoException) => {
    throw new InputError(`${param}: cannot open ${JSON.stringify(path)}: ${err.code ?? err.message}`);
  });
  if (!st.isDirectory() && !st.isFile()) {
    // A FIFO would block a read forever: refused before a byte is read.
    throw new InputError(
      `${where} is ${st.isFIFO() ? 'a FIFO' : 'not a regular file'}; scan and convert read regular files only`,
    );
  }
  if (st.isDirectory()) {
    const names = (await readdir(path)).sort();
    const indexes = names.filter((n) => n.endsWith(`.safetensors${INDEX_SUFFIX}`));
    if (indexes.length > 1) {
      throw new InputError(`${where} holds ${indexes.length} indexes (${indexes.join(', ')}): name the one to read`);
    }
    if (indexes.length === 1) return resolvePath(join(path, indexes[0]!), param);
    const files = names.filter((n) => n.endsWith('.safetensors'));
    if (files.length === 0) {
      throw new InputError(`${where} is a directory without a .safetensors file or a *.safetensors.index.json`);
    }
    return { files: files.map((n) => join(path, n)) };
  }
  if (path.endsWith(INDEX_SUFFIX)) {
    const index = await readIndex(path, param);
    const files = [...new Set(Object.values(index.json.weight_map))].sort();
    return { files: files.map((f) => join(dirname(path), f)), index };
  }
  return { files: [path] };
}

async function openShard(path: string, name: string, param: string): Promise<Shard> {
  const where = `${param} ${JSON.stringify(path)}`;
  let handle: OpenFile;
  try {
    handle = await openFileSource(path);
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    throw new InputError(
      e.code
        ? `${param}: cannot open ${JSON.stringify(path)}: ${e.code}`
        : `${where}: ${e.message.replace(`${JSON.stringify(path)} `, '')}`,
    );
  }
  try {
    const file = await openTensorFile(handle);
    // A .npy file's one tensor is named after the file.
    const named = file.kind === 'npy' ? renameNpy(file, basename(path)) : file;
    return { path, name, file: named, handle };
  } catch (err) {
    await handle.close();
    throw new InputError(`${where}: ${(err as Error).message}`);
  }
}

function renameNpy(file: TensorFile, name: string): TensorFile {
  const t = { ...file.tensors[0]!, name };
  const src = file.source(file.tensors[0]!.name);
  return { ...file, tensors: [t], tensor: () => t, source: () => src };
}

/**
 * Opens the model `paths` name (the command's parameter `param`, named in every error). Several
 * paths are read as one model (their tensor names must differ).
 */
export async function openModel(paths: readonly string[], param: string): Promise<Model> {
  const resolved = await Promise.all(paths.map((p) => resolvePath(p, param)));
  if (resolved.length > 1 && resolved.some((r) => r.index)) {
    throw new InputError(`${param}: name a sharded model by its index or directory alone, not with other files`);
  }
  const index = resolved[0]?.index;
  const files = resolved.flatMap((r) => r.files);
  const shards: Shard[] = [];
  const close = async () => {
    for (const s of shards) await s.handle.close();
  };
  try {
    for (const f of files) {
      const name = index ? f.slice(dirname(index.path).length + 1) : basename(f);
      shards.push(await openShard(f, name, param));
    }
    checkNames(shards, index, param);
  } catch (err) {
    await close();
    throw err;
  }
  let dataBytes = 0;
  for (const s of shards) for (const t of s.file.tensors) dataBytes += t.byteLength;
  return { shards, ...(index ? { index } : {}), dataBytes, close };
}

/** Every tensor name once over the model, and (with an index) each where the weight_map puts it. */
function checkNames(shards: Shard[], index: ModelIndex | undefined, param: string): void {
  const seen = new Map<string, string>();
  for (const s of shards) {
    for (const t of s.file.tensors) {
      const other = seen.get(t.name);
      if (other !== undefined) {
        throw new InputError(`${param}: tensor ${JSON.stringify(t.name)} is in both ${other} and ${s.name}`);
      }
      seen.set(t.name, s.name);
      if (index && index.json.weight_map[t.name] !== s.name) {
        const says = index.json.weight_map[t.name];
        throw new InputError(
          `${param} ${JSON.stringify(index.path)}: tensor ${JSON.stringify(t.name)} is in ${s.name}, the weight_map ${says === undefined ? 'does not list it' : `says ${says}`}`,
        );
      }
    }
  }
  if (index) {
    for (const [name, file] of Object.entries(index.json.weight_map)) {
      if (!seen.has(name)) {
        throw new InputError(
          `${param} ${JSON.stringify(index.path)}: weight_map puts ${JSON.stringify(name)} in ${file}, which does not hold it`,
        );
      }
    }
  }
}
