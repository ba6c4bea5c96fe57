/**
 * `floatlab scan` and `floatlab convert` on files numpy itself wrote and on safetensors files made
 * to the spec (test/fixtures/checkpoints, see the README there), and on corrupt, truncated and
 * hostile files: exit code 2, a one-line reason naming the offset, no output file.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { appendFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { fileHandleSource } from '../../src/files/node.js';
import { readSafetensorsHeader } from '../../src/files/safetensors.js';
import { checkRange, decode, encodeArray, type RangeReport } from '../../src/index.js';
import { cli } from '../helpers/cli.js';
import { doubleFromHex } from '../helpers/vectors.js';

const FIXTURES = new URL('../fixtures/checkpoints/', import.meta.url).pathname;
const record = JSON.parse(readFileSync(join(FIXTURES, 'checkpoints.json'), 'utf8')) as Record<string, any>;
const values = (hexes: string[]) => Float64Array.from(hexes, doubleFromHex);
const tmp = mkdtempSync(join(tmpdir(), 'floatlab-files-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const sha = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');
const REPORT_KEYS = [
  'count',
  'nan',
  'infinite',
  'overflow',
  'underflow',
  'subnormal',
  'inexact',
  'maxAbs',
  'minAbsNonzero',
  'firstOverflow',
  'firstUnderflow',
] as const;
const pick = (r: RangeReport | Record<string, unknown>) =>
  Object.fromEntries(REPORT_KEYS.map((k) => [k, (r as Record<string, unknown>)[k]]));

describe('scan of .npy files numpy wrote', () => {
  const npys = Object.keys(record).filter((f) => f.endsWith('.npy'));
  it.each(npys.flatMap((f) => (['float16', 'bfloat16', 'float8_e4m3fn'] as const).map((to) => [f, to] as const)))(
    '%s --to %s reports what checkRange reports on the values',
    async (file, to) => {
      const r = await cli('scan', join(FIXTURES, file), '--to', to, '--json');
      expect(r.code).toBe(0);
      const json = JSON.parse(r.out);
      expect(json.tensors).toHaveLength(1);
      const want = checkRange(to, values(record[file].values));
      expect(pick(json.tensors[0])).toEqual(JSON.parse(JSON.stringify(pick(want), (_k, v) => (v === Infinity ? 'Infinity' : v))));
    },
  );

  it.each(npys.filter((f) => record[f].float16))("%s --to float16 agrees with numpy's own cast", async (file) => {
    const json = JSON.parse((await cli('scan', join(FIXTURES, file), '--to', 'float16', '--json')).out);
    expect(json.tensors[0]).toMatchObject(record[file].float16);
  });
});

describe('scan of a safetensors file made to the spec', () => {
  const model = join(FIXTURES, 'model.safetensors');
  it('reports every floating-point tensor and the total, skipping the integer one', async () => {
    const r = await cli('scan', model, '--to', 'float16');
    expect(r.code).toBe(0);
    const lines = r.out.trim().split('\n');
    expect(lines[0]).toMatch(/^tensor\s+dtype\s+shape\s+count\s+nan\s+inf\s+overflow\s+underflow\s+subnormal\s+max \|x\|$/);
    expect(lines.some((l) => /^model\.layers\.0\.weight\s+F32\s+\[20, 30\]\s+600\s/.test(l))).toBe(true);
    expect(lines.some((l) => /^total \(6 tensors\)/.test(l))).toBe(true);
    expect(lines.at(-1)).toBe('1 tensor not floating point: optimizer.step');
  });

  it.each(['float16', 'bfloat16', 'float8_e5m2'] as const)(
    "--to %s: each tensor as checkRange over its values, numpy's float16 counts where it has them",
    async (to) => {
      const json = JSON.parse((await cli('scan', model, '--to', to, '--json')).out);
      const tensors = record['model.safetensors'].tensors;
      for (const t of json.tensors) {
        let v: Float64Array;
        if (tensors[t.name]?.values) v = values(tensors[t.name].values);
        else v = Float64Array.from({ length: 256 }, (_, c) => decode(t.dtype === 'F8_E4M3' ? 'float8_e4m3fn' : 'float8_e5m2', c));
        expect(JSON.stringify(pick(t)), t.name).toBe(JSON.stringify(pick(checkRange(to, v))));
        if (to === 'float16' && tensors[t.name]?.float16) expect(t).toMatchObject(tensors[t.name].float16);
      }
      expect(json.skipped).toEqual(['optimizer.step']);
      expect(json.total.overflow).toBe(json.tensors.reduce((a: number, t: { overflow: number }) => a + t.overflow, 0));
    },
  );

  it('exits 1 with --fail-on-overflow when something overflows, 0 when nothing does', async () => {
    expect((await cli('scan', model, '--to', 'float16', '--fail-on-overflow')).code).toBe(1);
    expect((await cli('scan', model, '--to', 'float32', '--fail-on-overflow')).code).toBe(0);
  });
});

describe('convert', () => {
  const model = join(FIXTURES, 'model.safetensors');

  it('rewrites every floating-point tensor in bfloat16, keeping names, shapes, other dtypes and metadata', async () => {
    const before = sha(model);
    const out = join(tmp, 'model-bf16.safetensors');
    const r = await cli('convert', model, out, '--to', 'bf16', '--json');
    expect(r.code).toBe(0);
    expect(sha(model)).toBe(before);
    const fh = await open(out, 'r');
    const { size } = await fh.stat();
    const h = await readSafetensorsHeader(fileHandleSource(fh, size));
    await fh.close();
    expect(JSON.parse(h.metadataJson!)).toEqual({ format: 'pt', made_by: 'test/fixtures/make/checkpoints.py' });
    expect((8 + h.headerLength) % 8).toBe(0);
    const bytes = readFileSync(out);
    const tensors = record['model.safetensors'].tensors;
    for (const t of h.tensors) {
      const data = bytes.subarray(t.start, t.start + t.byteLength);
      if (t.name === 'optimizer.step') {
        expect(t.dtype.safetensors).toBe('I64');
        expect([...new BigInt64Array(data.buffer.slice(data.byteOffset, data.byteOffset + 16))].map(String)).toEqual(
          tensors['optimizer.step'].int64,
        );
        continue;
      }
      expect(t.dtype.safetensors, t.name).toBe('BF16');
      const src = tensors[t.name]?.values
        ? values(tensors[t.name].values)
        : Float64Array.from({ length: 256 }, (_, c) => decode(t.name === 'quant.e4m3' ? 'float8_e4m3fn' : 'float8_e5m2', c));
      const want = encodeArray('bfloat16', src);
      expect(Buffer.from(want.buffer).equals(Buffer.from(data)), t.name).toBe(true);
    }
    expect(JSON.parse(r.out).tensors.map((t: { name: string }) => t.name)).toContain('model.head.f64');
    expect(readdirSync(tmp).filter((f) => f.includes('.tmp'))).toEqual([]);
  });

  it('halves a float32 tensor (and rounds a float64 one once, not through float32)', async () => {
    const out = join(tmp, 'half.safetensors');
    await cli('convert', model, out, '--to', 'float16', '--saturate');
    const fh = await open(out, 'r');
    const h = await readSafetensorsHeader(fileHandleSource(fh, (await fh.stat()).size));
    await fh.close();
    expect(h.tensors.find((t) => t.name === 'model.layers.0.weight')!.byteLength).toBe(600 * 2);
  });

  it.each<[string, string[], RegExp]>([
    ['refuses to overwrite the input', ['convert', model, model, '--to', 'bf16'], /refusing to overwrite the input/],
    [
      'refuses a format safetensors cannot store',
      ['convert', model, 'x.safetensors', '--to', 'tf32'],
      /safetensors has no dtype for tf32/,
    ],
    [
      'refuses a .npy input',
      ['convert', join(FIXTURES, 'small-f2.npy'), 'x.safetensors', '--to', 'bf16'],
      /convert reads safetensors files/,
    ],
    [
      'reports a missing input',
      ['convert', join(tmp, 'missing.safetensors'), 'x.safetensors', '--to', 'bf16'],
      /cannot open .*ENOENT/,
    ],
  ])('%s (exit 2, one line)', async (_what, argv, message) => {
    const before = sha(model);
    const r = await cli(...argv);
    expect(r.code).toBe(2);
    expect(r.err.trim().split('\n')).toHaveLength(1);
    expect(r.err).toMatch(message);
    expect(sha(model)).toBe(before);
  });
});

/** A safetensors file from a header object (or raw header bytes) and data bytes, with a given length claim. */
function hostile(name: string, header: unknown, data: Uint8Array, claim?: bigint): string {
  const json =
    header instanceof Uint8Array
      ? header
      : new TextEncoder().encode(typeof header === 'string' ? header : JSON.stringify(header));
  const buf = Buffer.alloc(8 + json.length + data.length);
  buf.writeBigUInt64LE(claim ?? BigInt(json.length), 0);
  buf.set(json, 8);
  buf.set(data, 8 + json.length);
  const path = join(tmp, name);
  writeFileSync(path, buf);
  return path;
}

const f32 = (n: number) => new Uint8Array(new Float32Array(n).fill(1).buffer);
const HOSTILE: [string, () => string, RegExp][] = [
  [
    'a file shorter than the length field',
    () => (writeFileSync(join(tmp, 'short'), Buffer.from([1, 2, 3])), join(tmp, 'short')),
    /truncated file: 3 bytes.*offset 0/,
  ],
  [
    'a header length larger than the file',
    () => hostile('long.safetensors', { a: { dtype: 'F32', shape: [1], data_offsets: [0, 4] } }, f32(1), 4096n),
    /header length 4096 \(offset 0\) is larger than the file/,
  ],
  [
    'a 100 MB header claim',
    () => hostile('huge.safetensors', {}, new Uint8Array(0), 100_000_001n),
    /header length 100000001 \(offset 0\) exceeds the limit/,
  ],
  [
    'a header that is not UTF-8',
    () => hostile('latin.safetensors', new Uint8Array([0x7b, 0xff, 0xfe, 0x7d]), new Uint8Array(0)),
    /not valid UTF-8/,
  ],
  ['a header that is not JSON', () => hostile('bad.safetensors', '{"a": ', new Uint8Array(0)), /offset 8.*not valid JSON/],
  [
    'duplicate tensor names',
    () =>
      hostile(
        'dup.safetensors',
        '{"w": {"dtype": "F32", "shape": [1], "data_offsets": [0, 4]}, "w": {"dtype": "F32", "shape": [1], "data_offsets": [4, 8]}}',
        f32(2),
      ),
    /names tensor "w" twice/,
  ],
  [
    'offsets outside the data',
    () => hostile('outside.safetensors', { w: { dtype: 'F32', shape: [4], data_offsets: [0, 16] } }, f32(2)),
    /data_offsets \[0, 16\] outside the data \(8 bytes from offset/,
  ],
  [
    'a dtype it does not know',
    () => hostile('dtype.safetensors', { w: { dtype: 'F12', shape: [1], data_offsets: [0, 4] } }, f32(1)),
    /dtype "F12", which the safetensors spec does not define/,
  ],
  [
    'a shape that does not match the offsets',
    () => hostile('shape.safetensors', { w: { dtype: 'F32', shape: [3], data_offsets: [0, 8] } }, f32(2)),
    /needs 12 bytes, data_offsets give 8/,
  ],
  [
    'a hole in the data',
    () => hostile('hole.safetensors', { w: { dtype: 'F32', shape: [1], data_offsets: [4, 8] } }, f32(2)),
    /bytes \d+\.\.\d+ of the data belong to no tensor/,
  ],
  [
    'overlapping tensors',
    () =>
      hostile(
        'overlap.safetensors',
        { a: { dtype: 'F32', shape: [2], data_offsets: [0, 8] }, b: { dtype: 'F32', shape: [1], data_offsets: [4, 8] } },
        f32(2),
      ),
    /overlaps the data before it/,
  ],
  [
    'a truncated .npy file',
    () => {
      const src = readFileSync(join(FIXTURES, 'mixed-f4.npy'));
      writeFileSync(join(tmp, 'cut.npy'), src.subarray(0, src.length - 10));
      return join(tmp, 'cut.npy');
    },
    /\.npy data from offset 128 is 3990 bytes; shape \(20, 50\) of <f4 needs 4000/,
  ],
  [
    'a .npy file of integers',
    () => {
      writeFileSync(
        join(tmp, 'int.npy'),
        Buffer.concat([
          Buffer.from('\x93NUMPY\x01\x00', 'latin1'),
          Buffer.from([0x76, 0]),
          Buffer.from(`${"{'descr': '<i4', 'fortran_order': False, 'shape': (1,), }".padEnd(117)}\n`),
          Buffer.alloc(4),
        ]),
      );
      return join(tmp, 'int.npy');
    },
    /\.npy dtype "<i4" is not float16, float32 or float64/,
  ],
];

describe.each(HOSTILE)('a corrupt file: %s', (_what, make, message) => {
  it('scan and convert exit 2 with a one-line reason and write nothing', async () => {
    const path = make();
    for (const argv of [
      ['scan', path, '--to', 'bf16'],
      ['convert', path, join(tmp, 'never.safetensors'), '--to', 'bf16'],
    ]) {
      const r = await cli(...argv);
      expect(r.code, argv[0]).toBe(2);
      expect(r.out).toBe('');
      expect(r.err.trim().split('\n')).toHaveLength(1);
      if (argv[0] === 'scan' || !path.endsWith('.npy')) expect(r.err).toMatch(message);
      expect(existsSync(join(tmp, 'never.safetensors'))).toBe(false);
    }
    expect(readdirSync(tmp).filter((f) => f.includes('.tmp'))).toEqual([]);
  });
});

describe('streaming', () => {
  it('scans a 192 MiB checkpoint with memory far below its size', () => {
    const n = 48 * 1024 * 1024;
    const path = join(tmp, 'big.safetensors');
    const header = new TextEncoder().encode(
      JSON.stringify({ w: { dtype: 'F32', shape: [n], data_offsets: [0, n * 4] } }).padEnd(64),
    );
    const length = Buffer.alloc(8);
    length.writeBigUInt64LE(BigInt(header.length));
    writeFileSync(path, Buffer.concat([length, header]));
    const chunk = new Float32Array(1 << 20);
    for (let start = 0; start < n; start += chunk.length) {
      chunk.fill(0);
      for (let i = 0; i < chunk.length; i += 4096) chunk[i] = (start + i) % 3 === 0 ? 1e6 : 1e-9;
      appendFileSync(path, new Uint8Array(chunk.buffer));
    }
    const bin = new URL('../../dist/cli.js', import.meta.url).pathname;
    const hook = new URL('../helpers/rss-hook.mjs', import.meta.url).pathname;
    const r = spawnSync('node', ['--import', hook, bin, 'scan', path, '--to', 'float16', '--json'], { encoding: 'utf8' });
    rmSync(path);
    expect(r.status).toBe(0);
    const json = JSON.parse(r.stdout);
    expect(json.tensors[0].count).toBe(n);
    expect(json.tensors[0].overflow).toBe(
      Array.from({ length: n / 4096 }, (_, k) => (k * 4096) % 3 === 0).filter(Boolean).length,
    );
    expect(json.tensors[0].underflow).toBe(n / 4096 - json.tensors[0].overflow);
    const rssMiB = Number(/MAXRSS_KIB (\d+)/.exec(r.stderr)![1]) / 1024;
    expect(rssMiB).toBeLessThan(120);
  }, 60_000);
});
