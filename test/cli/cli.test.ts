/**
 * The floatlab command: each subcommand run in-process through runCli (the same code the
 * binary runs), its output and exit code; a few runs of the built binary itself.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { parseValue } from '../../src/cli/values.js';
import { encode, FORMAT_NAMES, finfo, round } from '../../src/index.js';
import { cli } from '../helpers/cli.js';

describe('floatlab finfo', () => {
  it("prints torch's repr line for every format when none is named", async () => {
    const r = await cli('finfo');
    expect(r.code).toBe(0);
    expect(r.out.trim().split('\n')).toEqual(FORMAT_NAMES.map((n) => String(finfo(n))));
  });

  it('prints the named formats, by alias too', async () => {
    const r = await cli('finfo', 'bf16', 'fp8_e4m3fn');
    expect(r.out).toBe(`${finfo('bfloat16')}\n${finfo('float8_e4m3fn')}\n`);
  });

  it('prints every field as an aligned table with --table', async () => {
    const r = await cli('finfo', '--table', 'float16', 'bfloat16');
    const lines = r.out.trim().split('\n');
    expect(lines[0]).toMatch(/^field\s+float16\s+bfloat16$/);
    expect(lines.find((l) => l.startsWith('max '))).toMatch(/^max\s+65504\s+3\.38953e\+38$/);
    expect(new Set(lines.slice(2).map((l) => l.length)).size).toBe(1);
    expect(lines.length).toBe(2 + 17);
  });

  it('prints JSON with --json', async () => {
    const r = await cli('finfo', '--json', 'float16');
    const [info] = JSON.parse(r.out);
    expect(info).toMatchObject({ dtype: 'float16', max: 65504, eps: 0.0009765625, repr: String(finfo('float16')) });
  });
});

describe('floatlab inspect', () => {
  it('shows the code, the split bits, class, exact value, neighbours, ulp and rounding error', async () => {
    const r = await cli('inspect', 'float16', '0.1');
    expect(r.code).toBe(0);
    expect(r.out).toContain('code      0x2e66  0 | 01011 | 1001100110');
    expect(r.out).toContain('value     0.0999755859375');
    expect(r.out).toContain('nextDown  0.09991455078125');
    expect(r.out).toContain('nextUp    0.10003662109375');
    expect(r.out).toContain('ulp       0.00006103515625');
    expect(r.out).toContain(`rel. err  ${(round('float16', 0.1) - 0.1) / 0.1}`.slice(0, 22));
  });

  it('reads hex floats, inf and nan, and raw codes with --code', async () => {
    expect((await cli('inspect', 'bf16', '0x1.8p-3')).out).toContain('value     0.1875');
    expect((await cli('inspect', 'bf16', '-inf')).out).toContain('class     infinite');
    expect((await cli('inspect', 'fp8_e4m3fn', 'nan')).out).toContain('code      0x7f  0 | 1111 | 111');
    const c = await cli('inspect', 'float16', '--code', '0x3c00', '0x7c01');
    expect(c.out).toContain('value     1\n');
    expect(c.out).toContain('code      0x7c01  0 | 11111 | 0000000001');
  });

  it('prints one row per rounding mode with --all-modes, and JSON with --json', async () => {
    const r = await cli('inspect', 'float16', '--all-modes', '0.1');
    const rows = r.out.trim().split('\n').slice(2);
    expect(rows.map((l) => l.trim().split(/\s+/)[1])).toEqual([
      'tiesToEven',
      'tiesToAway',
      'towardZero',
      'towardPositive',
      'towardNegative',
      'toOdd',
      'stochastic',
    ]);
    const j = JSON.parse((await cli('inspect', 'float16', '--json', '--rounding', 'towardPositive', '0.1')).out);
    expect(j[0]).toMatchObject({ code: '0x2e67', class: 'normal', rounding: 'towardPositive', value: '0.10003662109375' });
  });

  it('writes E8M0 codes without a sign field', async () => {
    expect((await cli('inspect', 'float8_e8m0fnu', '1')).out).toContain('code      0x7f  01111111\n');
  });
});

describe('floatlab cast', () => {
  it('rounds each value into the format', async () => {
    const r = await cli('cast', '0.1', '1e6', '--to', 'fp8_e4m3fn', '--saturate', '--json');
    expect(JSON.parse(r.out).map((x: { value: string; code: string }) => [x.value, x.code])).toEqual([
      ['0.1015625', '0x1d'],
      ['448', '0x7e'],
    ]);
    const neg = JSON.parse((await cli('cast', '-inf', '-0x1p-3', '-2.5', '--to', 'bf16', '--json')).out);
    expect(neg.map((x: { input: string; value: string }) => [x.input, x.value])).toEqual([
      ['-inf', '-inf'],
      ['-0x1p-3', '-0.125'],
      ['-2.5', '-2.5'],
    ]);
    const t = await cli('cast', '1', '--to', 'bf16', '--rounding', 'towardZero');
    expect(t.out).toMatch(/1\s+1\s+0x3f80\s+normal/);
  });
});

describe('floatlab memory', () => {
  it('breaks down Adam under 16-mixed for 7B parameters: 112 GB to train, 14 GB to infer', async () => {
    const r = await cli('memory', '--params', '7B', '--optimizer', 'adam', '--precision', '16-mixed');
    expect(r.code).toBe(0);
    expect(r.out).toContain('7,000,000,000 parameters, adam, 16-mixed (compute float16, parameters float32)');
    expect(r.out).toMatch(/total to train\s+112000000000\s+112 GB \(104\.3 GiB\)\s+16 B\/param/);
    expect(r.out).toMatch(/inference \(weights\)\s+14000000000\s+14 GB \(13\.04 GiB\)\s+2 B\/param/);
    expect(r.out).toMatch(/fp32 master weights\s+28000000000/);
  });

  it('prints estimateMemory as JSON, and reads 7e9, 125M and plain digits', async () => {
    for (const n of ['7e9', '7000000000', '7000M']) {
      const j = JSON.parse((await cli('memory', '--params', n, '--precision', 'bf16-true', '--optimizer', 'sgd', '--json')).out);
      expect(j).toMatchObject({ parameters: 7e9, total: 28e9, inference: 14e9, compute: 'bfloat16' });
    }
  });

  it.each([
    [['memory', '--params', 'lots'], /--params must be a whole number/],
    [['memory', '--params', '1.5'], /--params must be a whole number/],
    [['memory', '--params', '10', '--precision', '12-mixed'], /unknown --precision "12-mixed"/],
    [['memory', '--params', '10', '--optimizer', 'lion'], /argument 'lion' is invalid/],
  ])('rejects %j with exit code 2', async (argv, message) => {
    const r = await cli(...(argv as string[]));
    expect(r.code).toBe(2);
    expect(r.err).toMatch(message);
  });
});

describe('errors: one line, exit code 2', () => {
  it.each([
    [
      ['cast', '1', '--to', 'float7'],
      /^floatlab: cast: --to: unknown format "float7"; did you mean 'float32'\? \(`floatlab finfo --table` lists the formats\)\n?$/,
    ],
    [['cast', '1', '--to', 'fp8_e4m3f'], /did you mean 'float8_e4m3fn'\?/],
    [
      ['cast', '1', '--to', 'posit16'],
      /^floatlab: cast: --to: unknown format "posit16" \(`floatlab finfo --table` lists the formats\)\n?$/,
    ],
    [['cast', 'abc', '--to', 'float16'], /^floatlab: cast: VALUE: not a number: "abc"/],
    [['cast', '1'], /required option '-t, --to <format>' not specified/],
    [['inspect', 'float16', '1', '--rounding', 'nearest'], /argument 'nearest' is invalid/],
    [['inspect', 'float16', '--code', '0x10000'], /^floatlab: inspect: VALUE: code 0x10000 is out of range for float16/],
    [['frobnicate'], /unknown command 'frobnicate'/],
  ])('%j', async (argv, message) => {
    const r = await cli(...argv);
    expect(r.code).toBe(2);
    expect(r.out).toBe('');
    expect(r.err.trim().split('\n')).toHaveLength(1);
    expect(r.err).toMatch(message);
  });

  it('--help and --version exit 0', async () => {
    expect((await cli('--help')).code).toBe(0);
    const v = await cli('--version');
    expect(v.code).toBe(0);
    expect(v.out.trim()).toMatch(/^\d+\.\d+\.\d+$/);
  });
});

describe('value parsing', () => {
  it.each<[string, number]>([
    ['0.1', 0.1],
    ['-3e-5', -3e-5],
    ['.5', 0.5],
    ['+inf', Infinity],
    ['-Infinity', -Infinity],
    ['NaN', NaN],
    ['0x1.8p-3', 0.1875],
    ['-0x1p-1074', -5e-324],
    ['0x1.fffffffffffff8p0', 2], // a tie past 53 bits rounds to even
    ['0x1.fffffffffffff7p0', 2 - 2 ** -52],
    ['0x1p1024', Infinity],
    ['0x0.0000000000001p-1022', 5e-324],
    ['0x3p-1076', 2 ** -1074 * 1], // 0.75 × 2^-1074 rounds to the smallest subnormal
    ['-0x0p0', -0],
  ])('%s is %s', (text, value) => {
    expect(Object.is(parseValue(text), value)).toBe(true);
  });

  it.each(['', 'one', '1..2', '0x', '1e', '0x1.8q3', '--1'])('rejects %j', (text) => {
    expect(() => parseValue(text)).toThrow(/not a number/);
  });
});

describe('the built binary', () => {
  const bin = new URL('../../dist/cli.js', import.meta.url).pathname;
  it('runs, prints, and sets its exit code', () => {
    expect(execFileSync('node', [bin, 'cast', '1', '--to', 'bf16'], { encoding: 'utf8' })).toMatch(/0x3f80/);
    const bad = spawnSync('node', [bin, 'cast', '1', '--to', 'nope'], { encoding: 'utf8' });
    expect(bad.status).toBe(2);
    expect(bad.stderr.trim().split('\n')).toHaveLength(1);
    expect(encode('bfloat16', 1)).toBe(0x3f80);
  });
});
