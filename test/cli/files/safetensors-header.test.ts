/**
 * The safetensors header as strictly as the reference (huggingface/safetensors) reads it: any
 * tensor name is a plain name, the reference's (begin, end) order and contiguity, '{' first,
 * the length check, JSON's grammar — and the parse bounded: peak memory a stated multiple of the
 * header's size, however hostile the header (a child process measures its own peak).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { fileHandleSource } from '../../../src/files/node.js';
import { readSafetensorsHeader } from '../../../src/files/safetensors.js';
import { encodeArray } from '../../../src/index.js';
import { cli } from '../../helpers/cli.js';

const tmp = mkdtempSync(join(tmpdir(), 'floatlab-st-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** A safetensors file of header text (or bytes) and data, with the header length `claim` if given. */
function file(name: string, header: string | Uint8Array, data: Uint8Array = new Uint8Array(0), claim?: number): string {
  const json = typeof header === 'string' ? Buffer.from(header) : header;
  const length = Buffer.alloc(8);
  length.writeBigUInt64LE(BigInt(claim ?? json.length));
  const path = join(tmp, name);
  writeFileSync(path, Buffer.concat([length, json, data]));
  return path;
}

const f32 = (...v: number[]) => new Uint8Array(new Float32Array(v).buffer);
const entry = (begin: number, end: number, shape = [(end - begin) / 4]) =>
  JSON.stringify({ dtype: 'F32', shape, data_offsets: [begin, end] });

async function header(path: string) {
  const fh = await open(path, 'r');
  try {
    return await readSafetensorsHeader(fileHandleSource(fh, (await fh.stat()).size));
  } finally {
    await fh.close();
  }
}

describe.each(['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf'])('a tensor named %s', (name) => {
  const path = file(
    `${name}.safetensors`,
    `{"__metadata__":{"${name}":"kept"},"${name}":${entry(0, 8)},"w":${entry(8, 12)}}`,
    f32(1.5, 70000, 3),
  );

  it('is scanned under its name', async () => {
    const r = await cli('scan', path, '--to', 'float16', '--json');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out).tensors.map((t: { name: string; count: number }) => [t.name, t.count])).toEqual([
      [name, 2],
      ['w', 1],
    ]);
  });

  it('round-trips through convert: name, data and metadata', async () => {
    const out = join(tmp, `${name}-bf16.safetensors`);
    expect((await cli('convert', path, out, '--to', 'bf16')).code).toBe(0);
    const h = await header(out);
    expect(h.tensors.map((t) => [t.name, t.dtype.safetensors, t.shape])).toEqual([
      [name, 'BF16', [2]],
      ['w', 'BF16', [1]],
    ]);
    expect(Object.entries(JSON.parse(h.metadataJson!))).toEqual([[name, 'kept']]);
    const bytes = readFileSync(out).subarray(h.dataStart);
    expect([...new Uint16Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + 6))]).toEqual([
      ...encodeArray('bfloat16', [1.5, 70000, 3]),
    ]);
  });
});

describe("the reference's order: by (begin, end), then contiguous", () => {
  it.each([
    ['a zero-length tensor at the begin of a non-empty one', `{"a":${entry(0, 4)},"b":${entry(0, 0, [0])}}`],
    ['listed first', `{"b":${entry(0, 0, [0])},"a":${entry(0, 4)}}`],
    ['at the end of the data', `{"a":${entry(0, 4)},"b":${entry(4, 4, [0])}}`],
    ['between two tensors', `{"a":${entry(0, 4)},"b":${entry(4, 4, [2, 0])},"c":${entry(4, 8)}}`],
  ])('accepts %s', async (_what, text) => {
    const path = file('zero.safetensors', text, f32(1, 2).subarray(0, text.includes('"c"') ? 8 : 4));
    const r = await cli('scan', path, '--to', 'bf16', '--json');
    expect(r.err).toBe('');
    expect(JSON.parse(r.out).total.count).toBe(text.includes('"c"') ? 2 : 1);
  });

  it('still refuses a tensor inside another', async () => {
    const r = await cli('scan', file('in.safetensors', `{"a":${entry(0, 8)},"b":${entry(0, 4)}}`, f32(1, 2)), '--to', 'bf16');
    expect(r.err).toMatch(/tensor "a" overlaps the data before it/);
  });
});

describe.each<[string, string | Uint8Array, RegExp]>([
  [
    'a UTF-8 byte-order mark before the {',
    Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(`{"a":${entry(0, 4)}}`)]),
    /header \(offset 8\) must start with '\{', found byte 0xef/,
  ],
  ['white space before the {', ` {"a":${entry(0, 4)}}`, /must start with '\{', found byte 0x20/],
  ['text after the }', `{"a":${entry(0, 4)}} x`, /"x" after the header's closing '}' \(offset 63\)/],
  ['a second object', `{"a":${entry(0, 4)}}{}`, /"\{" after the header's closing '}'/],
  ['a fractional offset', '{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4.0]}}', /expected a non-negative integer/],
  ['an exponent', '{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4e0]}}', /expected a non-negative integer/],
  [
    'a negative dimension',
    '{"a":{"dtype":"F32","shape":[-1],"data_offsets":[0,4]}}',
    /expected a non-negative integer, found "-"/,
  ],
  ['a leading zero', '{"a":{"dtype":"F32","shape":[01],"data_offsets":[0,4]}}', /expected a non-negative integer/],
  ['an offset past 2^53', '{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,9007199254740993]}}', /past 2\^53/],
  ['three data_offsets', '{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4,8]}}', /a list of more than 2 integers/],
  [
    'a shape of 65 dimensions',
    `{"a":{"dtype":"F32","shape":[${Array(65).fill(1)}],"data_offsets":[0,4]}}`,
    /more than 64 integers/,
  ],
  ['dtype twice', '{"a":{"dtype":"F32","dtype":"F16","shape":[1],"data_offsets":[0,4]}}', /tensor "a" has "dtype" twice/],
  ['no shape', '{"a":{"dtype":"F32","data_offsets":[0,4]}}', /tensor "a" needs dtype, shape and data_offsets/],
  ['a metadata value that is not a string', `{"__metadata__":{"k":1},"a":${entry(0, 4)}}`, /expected a string, found "1"/],
  ['__metadata__ twice', `{"__metadata__":{},"__metadata__":{},"a":${entry(0, 4)}}`, /__metadata__ appears twice/],
  ['a tensor that is not an object', '{"a":[0,4]}', /expected '\{', found "\["/],
  ['a control character in a name', `{"a\u0001":${entry(0, 4)}}`, /control character in a string/],
  ['a bad escape', `{"a\\q":${entry(0, 4)}}`, /bad escape in a string/],
  ['an unknown member nested 129 deep', `{"a":{"x":${'['.repeat(129)}${']'.repeat(129)}}}`, /values nested deeper than 128/],
])('a header with %s', (_what, text, message) => {
  it('is refused: exit 2, one line naming FILE and the offset', async () => {
    const r = await cli('scan', file('bad.safetensors', text, f32(1)), '--to', 'bf16');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/^floatlab: scan: FILE ".*bad\.safetensors": header \(offset 8\)/);
    expect(r.err.trim().split('\n')).toHaveLength(1);
    expect(r.err).toMatch(message);
  });
});

it('skips members of a tensor entry the format does not define, as the reference does', async () => {
  const text = '{"a":{"note":{"x":[1,{"y":null}],"z":"s"},"dtype":"F32","shape":[1],"data_offsets":[0,4],"k":true}}';
  expect((await cli('scan', file('extra.safetensors', text, f32(1)), '--to', 'bf16')).code).toBe(0);
});

it('checks 8 + N against the file size, not N (a header that would end past the file)', async () => {
  const data = f32(1);
  const text = `{"a":${entry(0, 4)}}`;
  const size = 8 + text.length + data.length;
  const r = await cli('scan', file('past.safetensors', text, data, size - 4), '--to', 'bf16');
  expect(r.err).toMatch(
    new RegExp(`header length ${size - 4} \\(offset 0\\) is larger than the file: ${size - 8} bytes follow offset 8`),
  );
});

/** Runs `argv` under node with the peak-RSS hook; resolves with its exit code, stdout and peak RSS in bytes. */
function measured(argv: string[]): Promise<{ code: number | null; out: string; peak: number }> {
  const hook = new URL('../../helpers/rss-hook.mjs', import.meta.url).pathname;
  return new Promise((done, reject) => {
    const child = spawn('node', ['--import', hook, ...argv], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    child.on('error', reject);
    child.on('close', (code) => done({ code, out, peak: Number(/MAXRSS_KIB (\d+)/.exec(err)?.[1]) * 1024 }));
  });
}

/** A header of about `bytes` bytes: `head`, then `token` (or `token(i)`) repeated, then `tail`. */
function big(name: string, bytes: number, head: string, token: string | ((i: number) => string), tail: string): string {
  if (typeof token === 'string') return file(name, head + token.repeat(Math.ceil((bytes - head.length) / token.length)) + tail);
  const parts = [head];
  for (let n = head.length, i = 0; n < bytes; i++) {
    const t = token(i);
    parts.push(t);
    n += t.length;
  }
  parts.push(tail);
  return file(name, parts.join(''));
}

/**
 * The bound the docs state (README, "scan and convert"): parsing a header takes at most
 * HEADER_RSS_MULTIPLE times its size above the process's baseline. Hostile headers fail at
 * their first wrong token, keeping little more than the header's bytes and its text (about 2×).
 */
const HEADER_RSS_MULTIPLE = 12;
const MB = 1e6;
describe('a large header: peak memory of the parse, above the baseline', () => {
  const cliJs = new URL('../../../dist/cli.js', import.meta.url).pathname;
  const readHeader = new URL('../../helpers/read-header.ts', import.meta.url).pathname;
  const tiny = file('tiny.safetensors', `{"a":${entry(0, 4)}}`, f32(1));

  it.each<[string, (name: string) => string]>([
    ['30 MB of {} tokens', (n) => big(n, 30 * MB, '{"a":{"x":[', '{},', '{}]}}')],
    ['30 MB of 0 tokens', (n) => big(n, 30 * MB, '{"a":{"x":[', '0,', '0]}}')],
    ['30 MB of tensors without fields', (n) => big(n, 30 * MB, '{', (i) => `"k${i}":{},`, '"z":{}}')],
    ['30 MB of metadata keys', (n) => big(n, 30 * MB, '{"__metadata__":{', (i) => `"k${i}":"",`, '"z":""}}')],
    ['30 MB of nesting', (n) => big(n, 30 * MB, '{"a":{"x":', '[', '')],
  ])('%s: scan ends within 3× the header', async (_what, make) => {
    const path = make('hostile.safetensors');
    const bytes = readFileSync(path).length;
    const [base, run] = await Promise.all([
      measured([cliJs, 'scan', tiny, '--to', 'bf16']),
      measured([cliJs, 'scan', path, '--to', 'bf16']),
    ]);
    rmSync(path);
    expect(run.code).not.toBeNull();
    expect(run.peak - base.peak).toBeLessThan(3 * bytes);
  });

  it(`20 MB of valid tensors (the densest header): the parse within ${HEADER_RSS_MULTIPLE}× the header`, async () => {
    const path = big(
      'dense.safetensors',
      20 * MB,
      '{',
      (i) => `"t${i}":{"dtype":"F32","shape":[0],"data_offsets":[0,0]},`,
      `"z":${entry(0, 0, [0])}}`,
    );
    const bytes = readFileSync(path).length;
    const [base, run] = await Promise.all([
      measured(['--import', 'tsx', readHeader, tiny]),
      measured(['--import', 'tsx', readHeader, path]),
    ]);
    rmSync(path);
    expect(run.out).toMatch(/^\d{6} tensors/);
    expect(run.peak - base.peak).toBeLessThan(HEADER_RSS_MULTIPLE * bytes);
  });
});
