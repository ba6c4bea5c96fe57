/**
 * Under load, nothing lost: 2^27 values through the streaming path give the bits of one call with
 * bounded memory; 10,000 trainer steps with injected NaN/inf faults never touch a master weight or
 * the optimizer state, and a run saved and restored mid-way ends bit for bit where it would have;
 * a `convert` killed mid-write leaves the input untouched and nothing under the output's name.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { closeSync, existsSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createRandom } from '../../src/core/random.js';
import { Adam, encodeArray, GradScaler, MasterWeights, Tensor } from '../../src/index.js';

const tmp = mkdtempSync(join(tmpdir(), 'floatlab-load-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const BIN = new URL('../../dist/cli.js', import.meta.url).pathname;
const HOOK = new URL('../helpers/rss-hook.mjs', import.meta.url).pathname;

const CHUNK = 1 << 22;

/** Lets the worker answer the test runner between chunks of a long loop (it must never block for long). */
const breathe = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Writes a safetensors file holding one F32 tensor of `n` values made by `fill` chunk by chunk. */
async function writeF32(path: string, n: number, fill: (chunk: Float32Array, start: number) => void): Promise<void> {
  const header = Buffer.from(JSON.stringify({ w: { dtype: 'F32', shape: [n], data_offsets: [0, n * 4] } }).padEnd(64));
  const fd = openSync(path, 'w');
  const length = Buffer.alloc(8);
  length.writeBigUInt64LE(BigInt(header.length));
  writeSync(fd, length);
  writeSync(fd, header);
  const chunk = new Float32Array(CHUNK);
  for (let start = 0; start < n; start += chunk.length) {
    fill(chunk, start);
    writeSync(fd, new Uint8Array(chunk.buffer, 0, Math.min(chunk.length, n - start) * 4));
    await breathe();
  }
  closeSync(fd);
}

/** Runs the built command in a child process without blocking this one; resolves with its exit code and output. */
function runBin(args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('node', args);
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (t: string) => (stdout += t));
    child.stderr.setEncoding('utf8').on('data', (t: string) => (stderr += t));
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

/** Mixed magnitudes (zeros, subnormals, overflows included), reproducible from the index. */
function mixed(chunk: Float32Array, start: number): void {
  const random = createRandom(start);
  for (let i = 0; i < chunk.length; i++) chunk[i] = (random() - 0.5) * Math.exp(30 * (random() - 0.5));
}

describe('2^27 float32 values through the streaming path', () => {
  it('convert gives the bits of one encodeArray call, with memory far below the data', async () => {
    const n = 2 ** 27;
    const input = join(tmp, 'big.safetensors');
    const output = join(tmp, 'big-bf16.safetensors');
    await writeF32(input, n, mixed);
    const r = await runBin(['--import', HOOK, BIN, 'convert', input, output, '--to', 'bfloat16', '--json']);
    expect(r.status, r.stderr).toBe(0);
    const rssMiB = Number(/MAXRSS_KIB (\d+)/.exec(r.stderr)![1]) / 1024;
    expect(rssMiB).toBeLessThan(160); // the input alone is 512 MiB
    expect(JSON.parse(r.stdout).tensors[0].count).toBe(n);

    const all = new Float32Array(n);
    for (let start = 0; start < n; start += CHUNK) {
      mixed(all.subarray(start, start + CHUNK), start);
      await breathe();
    }
    const once = encodeArray('bfloat16', all);
    const written = readFileSync(output);
    const dataStart = 8 + Number(written.readBigUInt64LE(0));
    const got = new Uint16Array(written.buffer, written.byteOffset + dataStart, n);
    let wrong = -1;
    for (let start = 0; start < n && wrong < 0; start += CHUNK) {
      for (let i = start; i < Math.min(n, start + CHUNK); i++) {
        if (got[i] !== once[i]) {
          wrong = i;
          break;
        }
      }
      await breathe();
    }
    expect(wrong).toBe(-1);
    rmSync(input);
    rmSync(output);
  }, 240_000);
});

describe('convert killed mid-write', () => {
  it('leaves the input untouched and no file under the output name', async () => {
    const input = join(tmp, 'kill.safetensors');
    const output = join(tmp, 'kill-out.safetensors');
    await writeF32(input, 2 ** 26, mixed);
    const before = createHash('sha256').update(readFileSync(input)).digest('hex');
    const child = spawn('node', [BIN, 'convert', input, output, '--to', 'float16']);
    // kill it once the temporary file exists and is being written
    await new Promise<void>((resolve, reject) => {
      const deadline = Date.now() + 30_000;
      const poll = () => {
        const tmpFile = readdirSync(tmp).find((f) => f.startsWith('.kill-out.safetensors.') && f.endsWith('.tmp'));
        if (tmpFile) {
          child.kill('SIGKILL');
          resolve();
        } else if (Date.now() > deadline || child.exitCode !== null)
          reject(new Error('convert finished before it could be killed'));
        else setTimeout(poll, 2);
      };
      poll();
    });
    await new Promise((resolve) => child.on('exit', resolve));
    expect(existsSync(output)).toBe(false);
    expect(createHash('sha256').update(readFileSync(input)).digest('hex')).toBe(before);
    rmSync(input);
  }, 60_000);
});

/** A small trainer: fp32 masters, float16 working copies, Adam, a GradScaler. */
function trainer(seed: number) {
  const init = [Tensor.randn([16], { seed, dtype: 'float32' }), Tensor.randn([4, 4], { seed: seed + 1, dtype: 'float32' })];
  const master = new MasterWeights(init, { precision: '16-mixed' });
  const opt = new Adam(master.params as Tensor[], { lr: 1e-3 });
  // Bounded so that only the injected faults make a step non-finite: the cap keeps scaled gradients
  // inside float16, and the floor keeps 300 backoffs from taking the scale to 0 (whose 1/0 would
  // turn every gradient into NaN, as it would in torch).
  const scaler = new GradScaler({ growthInterval: 10, initScale: 2 ** 8, maxScale: 2 ** 10, minScale: 1 });
  return { master, opt, scaler };
}

type Trainer = ReturnType<typeof trainer>;

/** The true gradients of step `k`, reproducible, some too small for float16 without the scale. */
function gradients(k: number): Float32Array[] {
  const random = createRandom(1_000_003 * k + 7);
  return [16, 16].map((n) => Float32Array.from({ length: n }, () => (random() - 0.5) * 10 ** (-8 + 7 * random())));
}

/** One iteration as torch.amp runs it: scale, cast into float16, unscale, step, update. */
function iterate(t: Trainer, k: number, fault: 'none' | 'nan' | 'inf'): boolean {
  const scale = (t.scaler.scale(1) as number) / 1; // the scaled loss of a unit loss: the scale
  const grads = gradients(k).map((g, i) =>
    Tensor.fromValues(
      t.master.working[i]!.dtype,
      g.map((v) => v * scale),
      t.master.params[i]!.shape,
    ),
  );
  if (fault !== 'none') {
    const values = grads[1]!.storage.values();
    values[k % values.length] = fault === 'nan' ? NaN : -Infinity;
    grads[1] = Tensor.fromValues(grads[1]!.dtype, values, grads[1]!.shape);
  }
  const paramGrads = t.master.toParamGrads(grads);
  t.scaler.unscale(paramGrads);
  const stepped = t.scaler.step(t.opt, paramGrads);
  t.scaler.update();
  t.master.recast();
  return stepped;
}

const snapshot = (t: Trainer) => ({
  params: t.master.params.map((p) => Array.from(p.toFloat32Array())),
  state: t.opt.stateDict().state,
  steps: t.opt.steps,
});

describe('10,000 trainer steps with injected faults', () => {
  const STEPS = 10_000;
  const random = createRandom(42);
  const faults = new Map<number, 'nan' | 'inf'>();
  while (faults.size < 300) faults.set(Math.floor(random() * STEPS), random() < 0.5 ? 'nan' : 'inf');

  it('never changes a master weight or the optimizer state on a faulty step, and skips exactly those', () => {
    const t = trainer(3);
    const changedOnFault: number[] = [];
    for (let k = 0; k < STEPS; k++) {
      const fault = faults.get(k) ?? 'none';
      const before = fault === 'none' ? undefined : JSON.stringify(snapshot(t));
      const stepped = iterate(t, k, fault);
      if (fault !== 'none' && (stepped || JSON.stringify(snapshot(t)) !== before)) changedOnFault.push(k);
    }
    expect(changedOnFault).toEqual([]);
    expect(t.scaler.stateDict()).toMatchObject({ skippedSteps: faults.size });
    expect(t.opt.steps).toBe(STEPS - faults.size);
    expect(t.master.params.every((p) => p.toFloat32Array().every(Number.isFinite))).toBe(true);
  }, 120_000);

  it('resumes from a stateDict saved mid-run to the identical result', () => {
    const straight = trainer(5);
    for (let k = 0; k < STEPS; k++) iterate(straight, k, faults.get(k) ?? 'none');

    const first = trainer(5);
    for (let k = 0; k < STEPS / 2; k++) iterate(first, k, faults.get(k) ?? 'none');
    const saved = JSON.parse(
      JSON.stringify({
        params: first.master.params.map((p) => Array.from(p.toFloat32Array())),
        opt: first.opt.stateDict(),
        scaler: first.scaler.stateDict(),
      }),
    );
    const resumed = trainer(999); // different initial weights: everything must come from the saved state
    resumed.master.params.forEach((p, i) => p.storage.write(Float32Array.from(saved.params[i])));
    resumed.master.recast();
    resumed.opt.loadStateDict(saved.opt);
    resumed.scaler.loadStateDict(saved.scaler);
    for (let k = STEPS / 2; k < STEPS; k++) iterate(resumed, k, faults.get(k) ?? 'none');

    expect(snapshot(resumed)).toEqual(snapshot(straight));
    expect(resumed.scaler.stateDict()).toEqual(straight.scaler.stateDict());
  }, 120_000);
});
