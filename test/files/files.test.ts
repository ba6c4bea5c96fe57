/**
 * The file API (floatlab/files): safetensors, .npy and .npz from bytes, a Blob or a file; lazy
 * reads; the writer against the reference's layout; every dtype of the spec; conversion with
 * per-tensor random streams that depend on neither chunk size nor tensor order.
 */
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { convertTensors, planConversion } from '../../src/files/convert.js';
import {
  type ByteSource,
  bytesSource,
  ChunkBuffers,
  FILE_DTYPES,
  FileFormatError,
  openTensorFile,
  readNpz,
  readSafetensors,
  sniffBytes,
  writeSafetensors,
} from '../../src/files/index.js';
import { openFileSource, writeSafetensorsFile } from '../../src/files/node.js';
import { decodeArray, packCodes } from '../../src/index.js';

const DIR = new URL('../fixtures/sharded/', import.meta.url).pathname;
const SHARD3 = readFileSync(join(DIR, 'model-00003-of-00003.safetensors'));
const SHARD1 = readFileSync(join(DIR, 'model-00001-of-00003.safetensors'));

/** A source that records the byte ranges read. */
function counting(bytes: Uint8Array): ByteSource & { reads: [number, number][] } {
  const inner = bytesSource(bytes);
  const reads: [number, number][] = [];
  return {
    size: inner.size,
    reads,
    readInto(out, position) {
      reads.push([position, position + out.length]);
      return inner.readInto(out, position);
    },
  };
}

describe('reading safetensors', () => {
  it.each([
    ['a Uint8Array', () => SHARD3],
    ['an ArrayBuffer', () => SHARD3.buffer.slice(SHARD3.byteOffset, SHARD3.byteOffset + SHARD3.length)],
    ['a Blob', () => new Blob([SHARD3])],
  ])('from %s: header, metadata and tensors', async (_what, input) => {
    const file = await readSafetensors(input());
    expect(file.kind).toBe('safetensors');
    expect(file.metadata).toEqual({ format: 'pt' });
    expect(file.tensors.map((t) => t.dtype.safetensors)).toEqual(['F32', 'F32', 'F32', 'F8_E8M0', 'F6_E2M3', 'F4']);
    const lm = await file.values('lm_head.weight');
    expect(lm).toBeInstanceOf(Float32Array);
    expect(lm.length).toBe(800);
    const t = await file.read('lm_head.weight');
    expect(t.shape).toEqual([50, 16]);
    expect(Array.from(t.toFloat32Array().subarray(10, 20))).toEqual(Array.from(lm.subarray(10, 20)));
  });

  it('reads one tensor by touching only its bytes', async () => {
    const src = counting(SHARD3);
    const file = await readSafetensors(src);
    const headerReads = src.reads.length;
    const t = file.tensor('lm_head.temperature');
    await file.values(t.name);
    expect(src.reads.slice(headerReads)).toEqual([[t.start, t.start + t.byteLength]]);
  });

  it('sub-byte dtypes come back as unpacked codes, and decode as their formats', async () => {
    const file = await readSafetensors(SHARD3);
    const codes = (await file.codes('quant.w.elements')) as Uint8Array;
    expect(codes.length).toBe(64);
    expect(packCodes('float4_e2m1fn', codes)).toEqual(await file.bytes('quant.w.elements'));
    expect(Array.from(await file.values('quant.w.scales'))).toEqual([1, 8]);
    const six = (await file.codes('quant.w6.elements')) as Uint8Array;
    expect(Array.from(await file.values('quant.w6.elements'))).toEqual(Array.from(decodeArray('float6_e2m3fn', six)));
  });

  it('integer, bool and complex tensors have bytes but no values', async () => {
    const file = await readSafetensors(readFileSync(join(DIR, 'model-00002-of-00003.safetensors')));
    expect((await file.bytes('transformer.h.1.rotary')).length).toBe(32);
    await expect(file.values('transformer.h.1.rotary')).rejects.toThrow(/dtype C64, which has no floatlab format/);
    expect(() => file.tensor('nope')).toThrow(RangeError);
  });

  it('a bad file is a FileFormatError with the offset', async () => {
    const bad = Uint8Array.from(SHARD3);
    bad[8] = 0x20; // the header no longer starts with '{'
    await expect(readSafetensors(bad)).rejects.toThrow(FileFormatError);
    await expect(readSafetensors(bad)).rejects.toThrow(/header \(offset 8\) must start with '\{'/);
    await expect(openTensorFile(new TextEncoder().encode('# a README\n'))).rejects.toThrow(/this is a text file/);
  });
});

describe('.npz as numpy writes it', () => {
  const want = JSON.parse(readFileSync(join(DIR, 'arrays.json'), 'utf8')) as Record<string, string>;
  it.each(['arrays.npz', 'arrays-compressed.npz'])('%s: every array, bit for bit', async (name) => {
    const file = await openTensorFile(new Blob([readFileSync(join(DIR, name))]));
    expect(file.kind).toBe('npz');
    expect(file.tensors.map((t) => [t.name, t.spelled, t.shape])).toEqual([
      ['a', '<f4', [4, 5]],
      ['b', '<f8', [3]],
    ]);
    for (const k of ['a', 'b']) expect(Buffer.from(await file.bytes(k)).toString('hex')).toBe(want[k]);
    expect((await file.values('b')).constructor).toBe(Float64Array);
  });

  it('a zip that is not an npz archive is refused', async () => {
    await expect(readNpz(Uint8Array.from([0x50, 0x4b, 3, 4, 0, 0]))).rejects.toThrow(FileFormatError);
  });
});

describe('writing safetensors', () => {
  it('lays tensors out as the reference writer does (dtype alignment, then name) and reads back', async () => {
    const entries = [
      { name: 'b', dtype: 'U8', shape: [3], data: Uint8Array.from([1, 2, 3]) },
      { name: 'a', dtype: 'F32', shape: [2], data: new Uint8Array(new Float32Array([1.5, -2]).buffer) },
      { name: 'c', dtype: 'F4', shape: [4], data: Uint8Array.from([0x21, 0x43]) },
      { name: 'd', dtype: 'F32', shape: [0], data: new Uint8Array(0) },
    ];
    const bytes = writeSafetensors(entries, { format: 'pt' });
    const headerLength = Number(new DataView(bytes.buffer).getBigUint64(0, true));
    expect(headerLength % 8).toBe(0);
    const file = await readSafetensors(bytes);
    expect(file.tensors.map((t) => t.name)).toEqual(['a', 'd', 'b', 'c']);
    expect(Array.from(await file.values('a'))).toEqual([1.5, -2]);
    expect(Array.from((await file.codes('c')) as Uint8Array)).toEqual([1, 2, 3, 4]);
    expect(file.metadata).toEqual({ format: 'pt' });
  });

  it.each([
    [{ name: 'x', dtype: 'F12', shape: [1], data: new Uint8Array(1) }, /entries\[0\]\.dtype "F12" is not a safetensors dtype/],
    [{ name: 'x', dtype: 'F4', shape: [3], data: new Uint8Array(2) }, /needs a whole number of bytes/],
    [{ name: 'x', dtype: 'F32', shape: [2], data: new Uint8Array(4) }, /needs 8 bytes, data has 4/],
    [{ name: '__metadata__', dtype: 'U8', shape: [1], data: new Uint8Array(1) }, /reserved or repeated/],
  ])('refuses %o', (entry, message) => {
    expect(() => writeSafetensors([entry])).toThrow(message);
  });

  it('writes a file in Node, whole or not at all', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'floatlab-files-'));
    try {
      const path = join(dir, 'w.safetensors');
      await writeSafetensorsFile(path, [{ name: 'w', dtype: 'BF16', shape: [1], data: Uint8Array.from([0x80, 0x3f]) }]);
      const src = await openFileSource(path);
      try {
        expect(Array.from(await (await readSafetensors(src)).values('w'))).toEqual([1]);
      } finally {
        await src.close();
      }
      await expect(writeSafetensorsFile(path, [{ name: 'w', dtype: 'U8', shape: [2], data: new Uint8Array(1) }])).rejects.toThrow(
        RangeError,
      );
    } finally {
      await rm(dir, { recursive: true });
    }
  });
});

describe('every dtype of the safetensors spec', () => {
  // The reference's Dtype enum (huggingface/safetensors, safetensors/src/tensor.rs, 2026-05).
  const SPEC =
    'BOOL F4 F6_E2M3 F6_E3M2 U8 I8 F8_E5M2 F8_E4M3 F8_E8M0 F8_E4M3FNUZ F8_E5M2FNUZ I16 U16 F16 BF16 I32 U32 F32 C64 F64 I64 U64';
  it('has a record, in the reference order', () => {
    expect(FILE_DTYPES.map((d) => d.safetensors).join(' ')).toBe(SPEC);
  });
  it.each(FILE_DTYPES.map((d) => [d.safetensors, d] as const))('%s passes through a file untouched', async (name, d) => {
    const count = 8;
    const data = Uint8Array.from({ length: (count * d.bits) / 8 }, (_, i) => (i * 37 + 5) & 0xff);
    const file = await readSafetensors(writeSafetensors([{ name: 't', dtype: name, shape: [2, 4], data }]));
    expect(file.tensor('t').dtype).toBe(d);
    expect(await file.bytes('t')).toEqual(data);
  });
});

describe('sniffing', () => {
  it.each([
    [Uint8Array.from([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0]), 'npy'],
    [Uint8Array.from([0x1f, 0x8b, 8, 0]), 'gzip'],
    [Uint8Array.from([0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a]), 'hdf5'],
    [new TextEncoder().encode('{"weight_map": {}}'), 'json'],
    [Uint8Array.from([1, 2, 3]), 'unknown'],
  ] as const)('%o is %s', (head, kind) => {
    expect(sniffBytes(head).kind).toBe(kind);
  });
  it('a safetensors head, by a header length that fits the file', () => {
    expect(sniffBytes(SHARD1.subarray(0, 64), SHARD1.length).kind).toBe('safetensors');
    expect(sniffBytes(SHARD1.subarray(0, 64), 100).kind).not.toBe('safetensors');
  });
});

describe('stochastic conversion: one stream per tensor, from the seed and its name', () => {
  async function convert(order: 'forward' | 'reversed', elements: number, seed: number) {
    const file = await readSafetensors(SHARD1);
    const tensors = order === 'forward' ? [...file.tensors] : [...file.tensors].reverse();
    const opts = { rounding: 'stochastic' as const, seed, saturate: true };
    const plan = planConversion(tensors, 'float8_e4m3fn', opts);
    const parts: Uint8Array[] = [];
    await convertTensors(
      bytesSource(SHARD1),
      plan,
      'float8_e4m3fn',
      opts,
      async (b) => void parts.push(b.slice()),
      new ChunkBuffers(elements),
    );
    // the bytes of each tensor, by name
    const out = new Map<string, string>();
    const all = Buffer.concat(parts);
    let at = 0;
    for (const p of plan) {
      out.set(p.tensor.name, all.subarray(at, at + p.byteLength).toString('hex'));
      at += p.byteLength;
    }
    return out;
  }

  it.each([8, 64, 1000])('chunks of %i elements give the bytes of one chunk of 2^20', async (elements) => {
    const whole = await convert('forward', 1 << 20, 3);
    expect(await convert('forward', elements - (elements % 8), 3)).toEqual(whole);
  });

  it('the tensors in another order give the same bytes per tensor; another seed others', async () => {
    const forward = await convert('forward', 64, 3);
    expect(await convert('reversed', 64, 3)).toEqual(forward);
    const other = await convert('forward', 64, 4);
    expect(other.get('transformer.wte.weight')).not.toBe(forward.get('transformer.wte.weight'));
  });
});
