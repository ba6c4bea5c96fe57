/**
 * The package as users meet it: `npm pack` ships only what users need, and a scratch project
 * that installs the tarball can `import` and `require` floatlab and run its command.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = new URL('../..', import.meta.url).pathname;
let scratch: string;
let files: string[];

/** The package's entries: subpath, its file in dist, and a value each must export (and the root must too). */
const SUBPATHS = [
  { subpath: 'floatlab', file: 'index', names: ['encode', 'finfo', 'mxQuantize', 'Tensor'] },
  { subpath: 'floatlab/mx', file: 'mx', names: ['mxQuantize', 'mxFormat', 'scaledQuantize', 'DelayedScaling'] },
  { subpath: 'floatlab/train', file: 'train', names: ['Tensor', 'Adam', 'GradScaler', 'runDemo', 'lossChartSvg'] },
] as const;

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

describe('package.json', () => {
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
    exports: Record<string, { import: { types: string } } | string>;
    typesVersions: Record<'*', Record<string, string[]>>;
  };
  const subpaths = Object.keys(pkg.exports).filter((k) => k !== '.' && k !== './package.json');

  it('lists every entry the tests load, and every subpath has the typesVersions line TypeScript with node10 resolution reads', () => {
    expect(subpaths.map((k) => `floatlab/${k.slice(2)}`)).toEqual(
      expect.arrayContaining(SUBPATHS.slice(1).map((s) => s.subpath)),
    );
    const mapped = Object.fromEntries(
      subpaths.map((k) => [k.slice(2), [(pkg.exports[k] as { import: { types: string } }).import.types]]),
    );
    expect(pkg.typesVersions['*']).toEqual(mapped);
  });
});

describe('the packed tarball', () => {
  it('ships dist, the docs the README links, README, CHANGELOG, LICENSE and package.json, and nothing else', () => {
    const unexpected = files.filter(
      (f) => !/^(dist\/|docs\/[^/]+\.(md|svg)$|README\.md$|CHANGELOG\.md$|LICENSE$|package\.json$)/.test(f),
    );
    expect(unexpected).toEqual([]);
    for (const entry of SUBPATHS.map((s) => s.file))
      for (const ext of ['js', 'cjs', 'd.ts', 'd.cts']) expect(files).toContain(`dist/${entry}.${ext}`);
    expect(files).toContain('dist/cli.js');
    expect(files).toContain('CHANGELOG.md');
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

  it.each(SUBPATHS)('$subpath: import and require both give its functions', async ({ subpath, names }) => {
    const list = JSON.stringify(names);
    const esm = await run('node', [
      '--input-type=module',
      '-e',
      `import * as m from '${subpath}'; console.log(JSON.stringify(${list}.map((n) => typeof m[n])))`,
    ]);
    const cjs = await run('node', [
      '-e',
      `const m = require('${subpath}'); console.log(JSON.stringify(${list}.map((n) => typeof m[n])))`,
    ]);
    expect(JSON.parse(esm)).toEqual(names.map(() => 'function'));
    expect(JSON.parse(cjs)).toEqual(names.map(() => 'function'));
  });

  it('the subpaths and the root are one copy of the library: a Tensor of floatlab/train is a Tensor of floatlab', async () => {
    const script = (load: (p: string) => string) =>
      `const t = ${load('floatlab/train')}.Tensor.from([1, 2]); ` +
      `const q = ${load('floatlab/mx')}.mxQuantize('mxfp4_e2m1', [1, 2]); ` +
      `console.log(t instanceof ${load('floatlab')}.Tensor, ${load('floatlab')}.mxDequantize(q).join(' '))`;
    const cjs = await run('node', ['-e', script((p) => `require('${p}')`)]);
    const esm = await run('node', ['--input-type=module', '-e', script((p) => `(await import('${p}'))`)]);
    expect([cjs.trim(), esm.trim()]).toEqual(['true 1 2', 'true 1 2']);
  });

  it('types resolve for a TypeScript user', () => {
    const dts = readFileSync(join(scratch, 'node_modules/floatlab/dist/index.d.ts'), 'utf8');
    expect(dts).toMatch(/declare function encode/);
  });

  it("the subpaths' types resolve: each declaration file declares what the entry exports", () => {
    const dts = (file: string) => readFileSync(join(scratch, `node_modules/floatlab/dist/${file}.d.ts`), 'utf8');
    expect(dts('mx')).toMatch(/\bmxQuantize\b/);
    expect(dts('train')).toMatch(/\brunDemo\b/);
  });

  it("installs only the library's runtime dependencies: the command bundles its own", () => {
    const deps = JSON.parse(readFileSync(join(scratch, 'node_modules/floatlab/package.json'), 'utf8')).dependencies;
    // float16 for the codec's Float16Array interop, fflate for floatlab/files' .npz archives.
    expect(Object.keys(deps).sort()).toEqual(['@petamoriken/float16', 'fflate']);
    for (const pkg of ['commander', 'cli-progress', 'picomatch']) {
      expect(existsSync(join(scratch, 'node_modules', pkg))).toBe(false);
    }
  });

  it('installs the floatlab command, which runs without commander, cli-progress and picomatch installed', async () => {
    const out = await run(join(scratch, 'node_modules/.bin/floatlab'), ['finfo', 'bf16']);
    expect(out).toContain('dtype=bfloat16)');
    const help = await run(join(scratch, 'node_modules/.bin/floatlab'), ['--help']);
    expect(help).toMatch(/^Usage: floatlab/);
  });
});
