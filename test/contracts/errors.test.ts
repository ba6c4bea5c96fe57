/**
 * Bad input gets a clear error and nothing else: the error's type, and a message that
 * names the parameter (and lists the valid choices where there are few). The scalar functions'
 * messages are here; the bad-input matrix (bad-input.test.ts) hands every exported function every
 * kind of bad value; defineFormat's and defineMxFormat's specs are tested with their modules
 * (test/formats.test.ts, test/mx/formats.test.ts), the bulk functions' messages on both paths in
 * test/codec/array-errors.test.ts.
 */
import { describe, expect, it } from 'vitest';
import {
  classify,
  decode,
  encode,
  encodeArray,
  exactDecimal,
  finfo,
  format,
  inspect,
  nextDown,
  nextUp,
  round,
  Tensor,
  ulp,
} from '../../src/index.js';

type Fn = (fmt: unknown, x: unknown, opts?: unknown) => unknown;
const valueFunctions: [string, Fn][] = [
  ['encode', encode as Fn],
  ['round', round as Fn],
  ['exactDecimal', exactDecimal as Fn],
  ['inspect', inspect as Fn],
  ['nextUp', nextUp as Fn],
  ['nextDown', nextDown as Fn],
  ['ulp', ulp as Fn],
];
const withOptions = valueFunctions.filter(([n]) => ['encode', 'round', 'exactDecimal', 'inspect'].includes(n));
const codeFunctions: [string, Fn][] = [
  ['decode', decode as Fn],
  ['classify', classify as Fn],
];
const allFunctions: [string, Fn][] = [...valueFunctions, ...codeFunctions, ['finfo', finfo as Fn], ['format', format as Fn]];

const NOT_NUMBERS: [string, unknown][] = [
  ['a string', '1'],
  ['null', null],
  ['undefined', undefined],
  ['a bigint', 1n],
  ['an object', { valueOf: () => 1 }],
  ['an array', [1]],
  ['a boolean', true],
];

describe.each(allFunctions)('%s', (name, fn) => {
  it('rejects an unknown format with a RangeError that lists the formats', () => {
    expect(() => fn('float7', 1)).toThrow(RangeError);
    expect(() => fn('float7', 1)).toThrow(/unknown fmt "float7".*float16.*bfloat16.*float4_e2m1fn/);
    expect(() => fn('float7', 1)).toThrow(new RegExp(`^${name}: `));
  });

  it.each([[null], [undefined], [16], [{ name: 'float16', bits: 16 }]])('rejects %j as a format with a TypeError', (bad) => {
    expect(() => fn(bad, 1)).toThrow(TypeError);
    expect(() => fn(bad, 1)).toThrow(/fmt must be a format name or a Format/);
  });
});

describe.each(valueFunctions)('%s', (_name, fn) => {
  it.each(NOT_NUMBERS)('rejects %s as x with a TypeError naming x', (_what, bad) => {
    expect(() => fn('float16', bad)).toThrow(TypeError);
    expect(() => fn('float16', bad)).toThrow(/x must be a number/);
  });
});

describe.each(withOptions)('%s options', (_name, fn) => {
  it('rejects an unknown rounding mode with a RangeError that lists the modes', () => {
    expect(() => fn('float16', 1, { rounding: 'nearest' })).toThrow(RangeError);
    expect(() => fn('float16', 1, { rounding: 'nearest' })).toThrow(
      /unknown rounding mode "nearest"; the modes are tiesToEven, tiesToAway, towardZero, towardPositive, towardNegative, toOdd, stochastic/,
    );
  });

  it.each<[string, unknown, ErrorConstructor, RegExp]>([
    ['a misspelt option', { rouding: 'towardZero' }, RangeError, /unknown option "rouding"/],
    ['a non-object', 'towardZero', TypeError, /opts must be an object/],
    ['null', null, TypeError, /opts must be an object/],
    ['a non-string mode', { rounding: 3 }, TypeError, /opts.rounding must be a string/],
    ['a non-boolean saturate', { saturate: 1 }, TypeError, /opts.saturate must be a boolean/],
    ['a non-boolean flushSubnormals', { flushSubnormals: 'yes' }, TypeError, /opts.flushSubnormals must be a boolean/],
    ['a fractional seed', { rounding: 'stochastic', seed: 1.5 }, RangeError, /opts.seed must be a safe integer/],
    ['a string seed', { rounding: 'stochastic', seed: '1' }, TypeError, /opts.seed must be a number/],
    ['a non-function random', { rounding: 'stochastic', random: 0.5 }, TypeError, /opts.random must be a function/],
    [
      'both seed and random',
      { rounding: 'stochastic', seed: 1, random: Math.random },
      TypeError,
      /seed or opts.random, not both/,
    ],
  ])('rejects %s', (_what, opts, type, message) => {
    expect(() => fn('float16', 1 / 3, opts)).toThrow(type);
    expect(() => fn('float16', 1 / 3, opts)).toThrow(message);
  });

  it('rejects a random source that returns numbers outside [0, 1)', () => {
    for (const bad of [1, -0.1, NaN, '0.5']) {
      expect(() => fn('float16', 1 / 3, { rounding: 'stochastic', random: () => bad })).toThrow(
        /opts.random\(\) must return a number in \[0, 1\)/,
      );
    }
  });
});

describe.each(codeFunctions)('%s codes', (_name, fn) => {
  it.each<[string, string, unknown, ErrorConstructor, RegExp]>([
    ['too large', 'float16', 65536, RangeError, /code must be an integer in \[0, 65535\] for float16, got 65536/],
    ['negative', 'float8_e4m3fn', -1, RangeError, /code must be an integer in \[0, 255\]/],
    ['not an integer', 'bfloat16', 1.5, RangeError, /code must be an integer/],
    ['NaN', 'bfloat16', NaN, RangeError, /code must be an integer/],
    ['infinite', 'bfloat16', Infinity, RangeError, /code must be an integer/],
    ['beyond a 4-bit format', 'float4_e2m1fn', 16, RangeError, /\[0, 15\]/],
    ['beyond tf32', 'tf32', 2 ** 19, RangeError, /\[0, 524287\]/],
    ['a string', 'float16', '0x3c00', TypeError, /code of float16 must be a number/],
    ['a bigint for float16', 'float16', 1n, TypeError, /code of float16 must be a number/],
    ['a number for float64', 'float64', 1, TypeError, /code of float64 must be a bigint/],
    ['a negative bigint', 'float64', -1n, RangeError, /\[0, 2\^64\)/],
    ['a bigint of 65 bits', 'float64', 1n << 64n, RangeError, /\[0, 2\^64\)/],
  ])('rejects a code %s', (_what, fmt, code, type, message) => {
    expect(() => fn(fmt, code)).toThrow(type);
    expect(() => fn(fmt, code)).toThrow(message);
  });
});

describe('inputs are left alone', () => {
  it('does not modify an options object', () => {
    const opts = Object.freeze({ rounding: 'towardZero' as const, saturate: true });
    expect(encode('float16', 1e6, opts)).toBe(0x7bff);
  });
});

/** Arrays nested `depth` deep around one number: [[[…[1]…]]]. */
function nested(depth: number): unknown {
  let v: unknown = 1;
  for (let i = 0; i < depth; i++) v = [v];
  return v;
}

describe('what the platform would throw is an error naming the function and the parameter', () => {
  const cyclic: unknown[] = [];
  cyclic.push(cyclic);
  it.each<[string, () => unknown, ErrorConstructor, RegExp]>([
    [
      'Tensor.zeros of 2^40 elements',
      () => Tensor.zeros([2 ** 20, 2 ** 20]),
      RangeError,
      /^Tensor\.zeros: shape \[1048576, 1048576\] has 1099511627776 elements, more than a Float32Array can hold/,
    ],
    [
      'Tensor.ones of 2^40 elements',
      () => Tensor.ones([2 ** 20, 2 ** 20], { dtype: 'float64' }),
      RangeError,
      /^Tensor\.ones: shape \[1048576, 1048576\] has 1099511627776 elements, more than a Float64Array/,
    ],
    [
      'Tensor.randn of 2^40 elements',
      () => Tensor.randn([2 ** 20, 2 ** 20]),
      RangeError,
      /^Tensor\.randn: shape \[1048576, 1048576\] has 1099511627776 elements/,
    ],
    [
      'Tensor.from nested 1e5 deep',
      () => Tensor.from(nested(1e5) as number[]),
      RangeError,
      /^Tensor\.from: values has more than 64 nested dimensions; a tensor has at most 64$/,
    ],
    [
      'Tensor.from of an array that holds itself',
      () => Tensor.from(cyclic as number[]),
      RangeError,
      /^Tensor\.from: values has more than 64 nested dimensions/,
    ],
    [
      'Tensor.zeros with 1e5 dimensions',
      () => Tensor.zeros(new Array<number>(1e5).fill(1)),
      RangeError,
      /^Tensor\.zeros: shape has 100000 dimensions; a tensor has at most 64$/,
    ],
    [
      'encodeArray of a Proxy over a typed array',
      () => encodeArray('float16', new Proxy(new Float32Array(2), {})),
      TypeError,
      /^encodeArray: src must be a Float32Array, Float64Array or array of numbers, got an object$/,
    ],
  ])('%s', (_what, call, type, message) => {
    expect(call).toThrow(type);
    expect(call).toThrow(message);
  });

  it('a tensor of 64 dimensions is made; the depth limit is the only limit', () => {
    expect(Tensor.from(nested(64) as number[]).ndim).toBe(64);
  });
});
