/**
 * Whole models as people have them: a sharded checkpoint in Hugging Face's layout
 * (test/fixtures/sharded, written by make/sharded.py with torch's casts as the reference), read by
 * index, by directory and as a list of files; converted shard by shard into a new directory with
 * a new index; --keep, --seed, the overflow summary, and all-or-nothing output.
 */
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readSafetensors } from '../../src/files/open.js';
import { cli } from '../helpers/cli.js';

const DIR = new URL('../fixtures/sharded/', import.meta.url).pathname;
const INDEX = join(DIR, 'model.safetensors.index.json');
const SHARDS = readdirSync(DIR).filter((f) => f.endsWith('.safetensors'));
const expected = JSON.parse(readFileSync(join(DIR, 'expected.json'), 'utf8')) as {
  total_size: number;
  tensors: Record<string, { float16: string; bfloat16: string }>;
};
const index = JSON.parse(readFileSync(INDEX, 'utf8')) as { metadata: { total_size: number }; weight_map: Record<string, string> };
const tmp = mkdtempSync(join(tmpdir(), 'floatlab-models-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
let n = 0;
const fresh = () => join(tmp, `out-${n++}`);

/** Every tensor of the model in `dir` (by its index): name → { dtype, bytes }. */
async function tensorsOf(dir: string) {
  const out = new Map<string, { dtype: string; shape: number[]; bytes: Uint8Array; metadata?: Record<string, string> }>();
  for (const f of readdirSync(dir).filter((x) => x.endsWith('.safetensors'))) {
    const file = await readSafetensors(readFileSync(join(dir, f)));
    for (const t of file.tensors) {
      out.set(t.name, {
        dtype: t.dtype.safetensors,
        shape: t.shape,
        bytes: await file.bytes(t.name),
        ...(file.metadata ? { metadata: file.metadata } : {}),
      });
    }
  }
  return out;
}

/** Whether float16/bfloat16 codes `a` and `b` are the same, a NaN matching any NaN (its bytes are a policy). */
function sameHalves(a: Uint8Array, b: Uint8Array, expBits: number): boolean {
  const x = new Uint16Array(a.buffer, a.byteOffset, a.length / 2);
  const y = new Uint16Array(b.buffer, b.byteOffset, b.length / 2);
  const man = 15 - expBits;
  const nan = (c: number) => ((c >> man) & ((1 << expBits) - 1)) === (1 << expBits) - 1 && (c & ((1 << man) - 1)) !== 0;
  return x.length === y.length && x.every((c, i) => c === y[i] || (nan(c) && nan(y[i]!)));
}
const hex = (h: string) => Uint8Array.from(h.match(/../g) ?? [], (b) => Number.parseInt(b, 16));

describe('scan of a sharded model', () => {
  it.each([
    ['its index', [INDEX]],
    ['its directory', [DIR]],
    ['its shards named one by one', SHARDS.map((s) => join(DIR, s))],
  ])('reads every shard by %s', async (_how, files) => {
    const r = await cli('scan', ...files, '--to', 'float16', '--json');
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const json = JSON.parse(r.out);
    const names = [...json.tensors.map((t: { name: string }) => t.name), ...json.skipped];
    expect(names.sort()).toEqual(Object.keys(index.weight_map).sort());
    expect(json.total.tensors).toBe(json.tensors.length);
    expect(json.total.overflow).toBe(json.tensors.reduce((a: number, t: { overflow: number }) => a + t.overflow, 0));
    expect(json.kept.find((k: { name: string }) => k.name === 'quant.w.elements').reason).toMatch(/^F4: block-scaled/);
  });

  it('the text table has NaN and inf columns and their totals', async () => {
    const r = await cli('scan', DIR, '--to', 'bf16');
    const lines = r.out.split('\n');
    expect(lines[0]).toMatch(/^tensor\s+dtype\s+shape\s+count\s+nan\s+inf\s+overflow/);
    expect(lines.find((l) => l.startsWith('transformer.wte.weight'))).toMatch(/F32\s+\[50, 16\]\s+800\s+2\s+2\s/);
  });

  it('a stale index (a tensor the weight_map puts in the wrong shard) is refused, one line', async () => {
    const dir = fresh();
    cpSync(DIR, dir, { recursive: true });
    const bad = structuredClone(index);
    bad.weight_map['lm_head.weight'] = SHARDS[0]!;
    writeFileSync(join(dir, 'model.safetensors.index.json'), JSON.stringify(bad));
    const r = await cli('scan', dir, '--to', 'bf16');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(
      /^floatlab: scan: FILE ".*index\.json": tensor "lm_head\.weight" is in model-00003-of-00003\.safetensors, the weight_map says model-00001-of-00003\.safetensors\n$/,
    );
  });
});

describe('convert of a sharded model', () => {
  it.each(['bfloat16', 'float16'] as const)(
    'to %s: every shard and a new index; float32 tensors as torch casts them',
    async (to) => {
      const out = fresh();
      const r = await cli('convert', INDEX, out, '--to', to, '--json');
      expect(r.code).toBe(0);
      expect(readdirSync(out).sort()).toEqual([...SHARDS, 'model.safetensors.index.json'].sort());
      const written = JSON.parse(readFileSync(join(out, 'model.safetensors.index.json'), 'utf8'));
      expect(written.weight_map).toEqual(index.weight_map);
      const before = await tensorsOf(DIR);
      const after = await tensorsOf(out);
      const dataBytes = [...after.values()].reduce((a, t) => a + t.bytes.length, 0);
      expect(written.metadata.total_size).toBe(dataBytes);
      expect(written.metadata.total_size).toBeLessThan(index.metadata.total_size);
      for (const [name, t] of before) {
        const got = after.get(name)!;
        expect(got.shape, name).toEqual(t.shape);
        expect(got.metadata, name).toEqual({ format: 'pt' });
        if (t.dtype === 'F32') {
          expect(got.dtype, name).toBe(to === 'bfloat16' ? 'BF16' : 'F16');
          expect(sameHalves(got.bytes, hex(expected.tensors[name]![to]), to === 'bfloat16' ? 8 : 5), name).toBe(true);
        } else if (t.dtype !== 'BF16' && t.dtype !== 'F16') {
          expect(got.dtype, name).toBe(t.dtype);
          expect(got.bytes, name).toEqual(t.bytes);
        }
      }
      // the report sums over the shards and lists each tensor
      const json = JSON.parse(r.out);
      expect(json.shards).toEqual(SHARDS);
      expect(json.total.count).toBe(json.tensors.reduce((a: number, t: { count: number }) => a + t.count, 0));
    },
  );

  it("--nan preserve: float16 files byte-identical to torch's casts, NaN signs included", async () => {
    const out = fresh();
    const r = await cli('convert', INDEX, out, '--to', 'float16', '--nan', 'preserve');
    expect(r.code).toBe(0);
    const after = await tensorsOf(out);
    for (const [name, want] of Object.entries(expected.tensors)) {
      expect(Buffer.from(after.get(name)!.bytes).toString('hex'), name).toBe(want.float16);
    }
    // the default writes the canonical NaN, which differs from torch's for −NaN
    const other = fresh();
    await cli('convert', INDEX, other, '--to', 'float16');
    const canonical = await tensorsOf(other);
    expect(Buffer.from(canonical.get('lm_head.weight')!.bytes).toString('hex')).not.toBe(
      expected.tensors['lm_head.weight']!.float16,
    );
  });

  it('--keep leaves matching tensors in their dtype, byte for byte, and says why', async () => {
    const out = fresh();
    const r = await cli('convert', DIR, out, '--to', 'bf16', '--keep', '*ln_*', '--keep', '*.bias', '-k', 'lm_head.*', '--json');
    expect(r.code).toBe(0);
    const before = await tensorsOf(DIR);
    const after = await tensorsOf(out);
    const keptNames = [...before.keys()].filter((x) => /ln_|\.bias$|^lm_head\./.test(x) && before.get(x)!.dtype === 'F32');
    expect(keptNames.length).toBeGreaterThan(5);
    for (const name of keptNames) {
      expect(after.get(name)!.dtype, name).toBe('F32');
      expect(after.get(name)!.bytes, name).toEqual(before.get(name)!.bytes);
    }
    expect(after.get('transformer.wte.weight')!.dtype).toBe('BF16');
    const kept = JSON.parse(r.out).kept as { name: string; reason: string }[];
    expect(kept.find((k) => k.name === 'lm_head.weight')!.reason).toBe("kept by --keep 'lm_head.*'");
    expect(kept.find((k) => k.name === 'transformer.h.0.ln_1.bias')!.reason).toBe("kept by --keep '*ln_*'");
  });

  it('refuses an output directory that already holds a shard, and writes nothing', async () => {
    const out = fresh();
    mkdirSync(out);
    writeFileSync(join(out, SHARDS[1]!), 'mine');
    const r = await cli('convert', INDEX, out, '--to', 'bf16');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/already holds model-00002-of-00003\.safetensors/);
    expect(readdirSync(out)).toEqual([SHARDS[1]]);
    expect(readFileSync(join(out, SHARDS[1]!), 'utf8')).toBe('mine');
  });

  it('a shard that fails after others are written leaves no shard, index or temporary file', async () => {
    // the last shard holds a tensor of 3 elements, which fp4 (two codes a byte) cannot store
    const out = fresh();
    const r = await cli('convert', DIR, out, '--to', 'float4_e2m1fn', '--saturate');
    expect(r.err).toMatch(/^floatlab: convert: tensor "lm_head\.temperature": 3 elements of F4 do not fill whole bytes\n$/);
    expect(r.code).toBe(2);
    expect(readdirSync(out)).toEqual([]);
  });

  it('a truncated shard is refused before anything is written', async () => {
    const src = fresh();
    cpSync(DIR, src, { recursive: true });
    const last = join(src, SHARDS[2]!);
    const bytes = readFileSync(last);
    writeFileSync(last, bytes.subarray(0, bytes.length - 3));
    const out = fresh();
    const r = await cli('convert', src, out, '--to', 'bf16');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/model-00003-of-00003\.safetensors.*outside the data/);
    expect(existsSync(out)).toBe(false);
  });

  it('overflow: a summary on stderr, exit 0; with --fail-on-overflow exit 1 (the model written all the same)', async () => {
    const out = fresh();
    const r = await cli('convert', DIR, out, '--to', 'float16');
    expect(r.code).toBe(0);
    expect(r.err).toMatch(/^floatlab: warning: \d+ values in \d+ tensors overflowed float16 \(first: .* at index \d+\)/);
    const again = await cli('convert', DIR, fresh(), '--to', 'float16', '--fail-on-overflow');
    expect(again.code).toBe(1);
    const quiet = await cli('convert', DIR, fresh(), '--to', 'bfloat16');
    expect(quiet.err).toBe('');
  });

  it('--seed: the same seed gives the same bytes, another seed others', async () => {
    const [a, b, c] = [fresh(), fresh(), fresh()];
    await cli('convert', DIR, a, '--to', 'float8_e4m3fn', '-r', 'stochastic', '--seed', '11', '--saturate');
    await cli('convert', DIR, b, '--to', 'float8_e4m3fn', '-r', 'stochastic', '--seed', '11', '--saturate');
    await cli('convert', DIR, c, '--to', 'float8_e4m3fn', '-r', 'stochastic', '--seed', '12', '--saturate');
    for (const s of SHARDS) expect(readFileSync(join(a, s))).toEqual(readFileSync(join(b, s)));
    expect(readFileSync(join(a, SHARDS[0]!))).not.toEqual(readFileSync(join(c, SHARDS[0]!)));
  });
});

describe('files that are not what scan reads say what they are', () => {
  it.each([
    [
      'README.md',
      '# My model\n\nWeights for …\n',
      /is a text file \(it begins "# My model"\), not a safetensors, \.npy or \.npz file/,
    ],
    ['config.json', '{\n  "architectures": ["GPT2LMHeadModel"]\n}\n', /is a JSON file, not a safetensors/],
    ['model.gguf', 'GGUF\u0003\u0000\u0000\u0000 and more bytes', /is a GGUF file \(llama\.cpp\)/],
  ])('%s', async (name, content, message) => {
    const path = join(tmp, name);
    writeFileSync(path, content);
    const r = await cli('scan', path, '--to', 'bf16');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(message);
  });

  it('a pickle (a legacy PyTorch .bin)', async () => {
    const path = join(tmp, 'pytorch_model.bin');
    writeFileSync(path, Uint8Array.from([0x80, 0x02, 0x8a, 0x0a, 0x6c, 0xfc, 0x9c, 0x46, 0xf9, 0x20, 0x6a, 0xa8]));
    const r = await cli('scan', path, '--to', 'bf16');
    expect(r.err).toMatch(/is a Python pickle/);
  });
});
