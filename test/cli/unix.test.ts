/**
 * The command as a Unix tool: a closed pipe ends it quietly (exit 141), SIGINT/SIGTERM/SIGHUP
 * during `convert` remove its temporary file and exit with 128 + the signal, only regular files
 * are read (a FIFO would block forever), a report of 150,000 tensors prints, and an output name
 * near the 255-byte limit is written. Runs of the built command (dist/cli.js) where a process
 * boundary matters, in-process runs elsewhere.
 */
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { constants, tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CLEANUP_SIGNALS } from '../../src/cli/temp-file.js';
import { fileHandleSource } from '../../src/files/node.js';
import { readSafetensorsHeader } from '../../src/files/safetensors.js';
import { cli } from '../helpers/cli.js';

const CLI = new URL('../../dist/cli.js', import.meta.url).pathname;
const MODEL = new URL('../fixtures/checkpoints/model.safetensors', import.meta.url).pathname;
const tmp = mkdtempSync(join(tmpdir(), 'floatlab-unix-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** Runs `command args` to its end (killed after `ms`); `started(child)` is called once it runs. */
function run(command: string, args: string[], ms = 30_000, started?: (child: ReturnType<typeof spawn>) => void) {
  return new Promise<{ code: number | null; out: string; err: string }>((done, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout!.on('data', (d) => (out += d));
    child.stderr!.on('data', (d) => (err += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), ms);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      done({ code, out, err });
    });
    started?.(child);
  });
}

/** A safetensors file of header text and `dataBytes` bytes of data (zeros, sparse on disk). */
function safetensors(path: string, header: string, dataBytes: number): string {
  const json = Buffer.from(header.padEnd(Math.ceil((header.length + 8) / 8) * 8 - 8));
  const length = Buffer.alloc(8);
  length.writeBigUInt64LE(BigInt(json.length));
  writeFileSync(path, Buffer.concat([length, json]));
  truncateSync(path, 8 + json.length + dataBytes);
  return path;
}

const TENSORS = 150_000;
/** 150,000 zero-length tensors and one of a single float32: one row each in the report. */
const many = safetensors(
  join(tmp, 'many.safetensors'),
  `{${Array.from({ length: TENSORS }, (_, i) => `"t${i}":{"dtype":"F32","shape":[0],"data_offsets":[0,0]}`).join(',')},"w":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}`,
  4,
);
const temps = () => readdirSync(tmp).filter((f) => f.endsWith('.tmp'));

describe('a closed pipe (floatlab scan … | head -2)', () => {
  it('ends quietly with exit code 141, nothing on stderr', async () => {
    const r = await run('bash', ['-c', `node ${CLI} scan ${many} --to bf16 | head -2; echo "exit \${PIPESTATUS[0]}" >&2`]);
    expect(r.out.split('\n')).toHaveLength(3);
    expect(r.err).toBe('exit 141\n');
  });
});

describe('a report of 150,000 tensors (the built command: a child process keeps this one free)', () => {
  it('scan prints a row for each', async () => {
    const r = await run('node', [CLI, 'scan', many, '--to', 'bf16']);
    expect(r.err).toBe('');
    const lines = r.out.trim().split('\n');
    expect(lines).toHaveLength(2 + TENSORS + 2);
    expect(lines.at(-1)).toMatch(/^total \(150001 tensors\)\s+1\s/);
  });

  it('convert writes OUT whole and exits 0', async () => {
    const out = join(tmp, 'many-bf16.safetensors');
    const r = await run('node', [CLI, 'convert', many, out, '--to', 'bf16']);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const fh = await open(out, 'r');
    const h = await readSafetensorsHeader(fileHandleSource(fh, (await fh.stat()).size));
    await fh.close();
    expect(h.tensors).toHaveLength(TENSORS + 1);
    rmSync(out);
  });
});

describe.each(CLEANUP_SIGNALS)('%s during convert', (signal) => {
  it('removes the temporary file and exits with 128 + the signal', async () => {
    const dir = join(tmp, signal);
    mkdirSync(dir);
    const n = 256 * 1024 * 1024; // 1 GiB of float32 zeros, sparse: far from done when the signal comes
    const input = safetensors(
      join(dir, 'in.safetensors'),
      `{"w":{"dtype":"F32","shape":[${n}],"data_offsets":[0,${n * 4}]}}`,
      n * 4,
    );
    const out = join(dir, 'out.safetensors');
    const r = await run('node', [CLI, 'convert', input, out, '--to', 'bf16'], 30_000, (child) => {
      const poll = setInterval(() => {
        if (readdirSync(dir).some((f) => f.endsWith('.tmp'))) {
          clearInterval(poll);
          child.kill(signal);
        }
      }, 10);
      child.on('close', () => clearInterval(poll));
    });
    expect(r.code).toBe(128 + constants.signals[signal]);
    expect(readdirSync(dir).sort()).toEqual(['in.safetensors']);
    rmSync(dir, { recursive: true });
  });
});

describe('inputs that are not regular files', () => {
  it('a FIFO is refused at once (exit 2, one line), not waited on', async () => {
    const fifo = join(tmp, 'fifo');
    execFileSync('mkfifo', [fifo]);
    const r = await run('node', [CLI, 'scan', fifo, '--to', 'bf16'], 10_000);
    expect(r.code).toBe(2);
    expect(r.err).toBe(`floatlab: scan: FILE "${fifo}" is a FIFO; scan and convert read regular files only\n`);
  });

  it.each([
    ['scan', (dir: string) => [dir, '--to', 'bf16'], 'FILE'],
    ['convert', (dir: string) => [dir, join(tmp, 'x.safetensors'), '--to', 'bf16'], 'IN'],
  ] as const)('%s of a directory holding no model is refused (exit 2, one line)', async (command, args, param) => {
    const dir = mkdtempSync(join(tmp, 'empty-'));
    writeFileSync(join(dir, 'README.md'), '# not a model\n');
    const r = await cli(command, ...args(dir));
    expect(r.code).toBe(2);
    expect(r.err).toBe(
      `floatlab: ${command}: ${param} "${dir}" is a directory without a .safetensors file or a *.safetensors.index.json\n`,
    );
    expect(existsSync(join(tmp, 'x.safetensors'))).toBe(false);
  });
});

describe('an output name near the 255-byte limit', () => {
  it.each([240, 255])('convert writes a %i-byte name (its temporary file is named shorter)', async (bytes) => {
    const out = join(tmp, `${'é'.repeat((bytes - 12) / 2)}${bytes % 2 ? 'x' : ''}.safetensors`);
    expect(Buffer.byteLength(basename(out))).toBe(bytes);
    const r = await cli('convert', MODEL, out, '--to', 'bf16', '--json');
    expect(r.code).toBe(0);
    expect(existsSync(out)).toBe(true);
    expect(temps()).toEqual([]);
    rmSync(out);
  });
});

it('the text table takes 200,000 rows (no spread of a column into Math.max)', async () => {
  const { table } = await import('../../src/core/table.js');
  const rows = Array.from({ length: 200_000 }, (_, i) => [`t${i}`, String(i)]);
  const lines = table(['name', 'n'], rows).split('\n');
  expect(lines[1]).toBe('-------  ------');
  expect(lines.at(-1)).toBe('t199999  199999');
});

describe('every error a user can trigger: one line naming the command and the parameter, exit 2', () => {
  it.each<[string[], RegExp]>([
    [['finfo', 'float7'], /^floatlab: finfo: FORMAT: unknown format "float7"/],
    [['inspect', 'float7', '1'], /^floatlab: inspect: FORMAT: unknown format "float7"/],
    [['inspect', 'float16', 'x'], /^floatlab: inspect: VALUE: not a number: "x"/],
    [['cast', '1', '--to', 'float7'], /^floatlab: cast: --to: unknown format "float7"/],
    [['scan', 'no-such.safetensors', '--to', 'bf16'], /^floatlab: scan: FILE: cannot open "no-such\.safetensors": ENOENT/],
    [['scan', MODEL, '--to', 'float7'], /^floatlab: scan: --to: unknown format "float7"/],
    [
      ['convert', MODEL, 'x.safetensors', '--to', 'float8_e3m4'],
      /^floatlab: convert: --to: safetensors has no dtype for float8_e3m4/,
    ],
    [['convert', MODEL, '', '--to', 'bf16'], /^floatlab: convert: OUT is empty/],
    [['convert', MODEL, MODEL, '--to', 'bf16'], /^floatlab: convert: OUT ".*": refusing to overwrite the input/],
    [['convert', MODEL, tmp, '--to', 'bf16'], /^floatlab: convert: OUT ".*" is a directory: name a file to write/],
    [['memory', '--params', 'lots'], /^floatlab: memory: --params must be a whole number/],
    [['demo', '--steps', '0'], /^floatlab: demo: --steps must be a positive integer/],
  ])('%j', async (argv, message) => {
    const r = await cli(...argv);
    expect(r.code).toBe(2);
    expect(r.out).toBe('');
    expect(r.err.split('\n')).toEqual([expect.stringMatching(message), '']);
  });
});
