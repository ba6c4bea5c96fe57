/**
 * The package as users meet it: `npm pack` ships only what users need, and a scratch project
 * that installs the tarball can `import` and `require` floatlab and run its command.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = new URL('../..', import.meta.url).pathname;
let scratch: string;
let files: string[];

const execFileAsync = promisify(execFile);
/** Runs a command in a child process without blocking this one (npm takes seconds); resolves with its stdout. */
const run = async (cmd: string, args: string[], cwd = scratch) =>
  (await execFileAsync(cmd, args, { cwd, encoding: 'utf8' })).stdout;

beforeAll(async () => {
  scratch = mkdtempSync(join(tmpdir(), 'floatlab-pack-'));
  const [packed] = JSON.parse(await run('npm', ['pack', '--json', '--pack-destination', scratch], ROOT)) as {
    filename: string;
    files: { path: string }[];
  }[];
  files = packed!.files.map((f) => f.path);
  writeFileSync(join(scratch, 'package.json'), JSON.stringify({ name: 'scratch', private: true }));
  await run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', join(scratch, packed!.filename)]);
}, 120_000);

afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('the packed tarball', () => {
  it('ships dist, the docs the README links, README, LICENSE and package.json, and nothing else', () => {
    const unexpected = files.filter((f) => !/^(dist\/|docs\/[^/]+\.(md|svg)$|README\.md$|LICENSE$|package\.json$)/.test(f));
    expect(unexpected).toEqual([]);
    for (const f of ['dist/index.js', 'dist/index.cjs', 'dist/index.d.ts', 'dist/index.d.cts', 'dist/cli.js'])
      expect(files).toContain(f);
    expect(files.some((f) => f.startsWith('src/') || f.startsWith('test/'))).toBe(false);
  });

  it('can be imported as ESM', async () => {
    const out = await run('node', [
      '--input-type=module',
      '-e',
      "import { encode, finfo } from 'floatlab'; console.log(encode('bfloat16', 1), String(finfo('half')))",
    ]);
    expect(out.trim()).toBe(
      `16256 ${'finfo(resolution=0.001, min=-65504, max=65504, eps=0.000976562, smallest_normal=6.10352e-05, tiny=6.10352e-05, dtype=float16)'}`,
    );
  });

  it('can be required as CommonJS', async () => {
    const out = await run('node', [
      '-e',
      "const f = require('floatlab'); console.log(f.decode('float8_e4m3fn', 0x7e), typeof f.encodeArray)",
    ]);
    expect(out.trim()).toBe('448 function');
  });

  it('types resolve for a TypeScript user', () => {
    const dts = readFileSync(join(scratch, 'node_modules/floatlab/dist/index.d.ts'), 'utf8');
    expect(dts).toMatch(/declare function encode/);
  });

  it('installs the floatlab command', async () => {
    const out = await run(join(scratch, 'node_modules/.bin/floatlab'), ['finfo', 'bf16']);
    expect(out).toContain('dtype=bfloat16)');
  });
});
