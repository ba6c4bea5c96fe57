/** Type-level tests: codes are bigint exactly for float64, names autocomplete, options are typed. */
import { describe, expectTypeOf, it } from 'vitest';
import {
  decode,
  encode,
  type FInfo,
  type Format,
  type FormatAlias,
  type FormatName,
  finfo,
  format,
  type RoundingMode,
  round,
} from '../../src/index.js';

describe('codec types', () => {
  it('encode returns bigint for float64 and its aliases, number otherwise', () => {
    expectTypeOf(encode('float64', 1)).toEqualTypeOf<bigint>();
    expectTypeOf(encode('double', 1)).toEqualTypeOf<bigint>();
    expectTypeOf(encode('f64', 1)).toEqualTypeOf<bigint>();
    expectTypeOf(encode('float16', 1)).toEqualTypeOf<number>();
    expectTypeOf(encode('bf16', 1)).toEqualTypeOf<number>();
    expectTypeOf(encode('fp8_e4m3fn', 1)).toEqualTypeOf<number>();
  });

  it('encode of a Format, or of a name known only at run time (through format), is number | bigint', () => {
    expectTypeOf(encode(format('float16'), 1)).toEqualTypeOf<number | bigint>();
    const name: string = 'float16';
    expectTypeOf(encode(format(name), 1)).toEqualTypeOf<number | bigint>();
    // @ts-expect-error a string that is not a known name does not compile: it goes through format()
    encode(name, 1);
  });

  it('decode and round return numbers; finfo an FInfo', () => {
    expectTypeOf(decode('float16', 0x3c00)).toEqualTypeOf<number>();
    expectTypeOf(round('bfloat16', 1)).toEqualTypeOf<number>();
    expectTypeOf(finfo('float16')).toEqualTypeOf<FInfo>();
    expectTypeOf(format('bf16')).toEqualTypeOf<Format>();
  });

  it('knows the names, aliases and modes', () => {
    expectTypeOf<'bfloat16'>().toExtend<FormatName>();
    expectTypeOf<'float8_e4m3b11fnuz'>().toExtend<FormatName>();
    expectTypeOf<'fp8_e4m3b11fnuz'>().toExtend<FormatAlias>();
    expectTypeOf<'fp4_e2m1fn'>().toExtend<FormatAlias>();
    expectTypeOf<'bf16'>().toExtend<FormatAlias>();
    expectTypeOf<'fp9_e4m3'>().not.toExtend<FormatAlias>();
    expectTypeOf<'stochastic'>().toExtend<RoundingMode>();
    expectTypeOf<'nearest'>().not.toExtend<RoundingMode>();
  });

  it('rejects a misspelt mode at compile time', () => {
    // @ts-expect-error: not a rounding mode
    round('float16', 1, { rounding: 'nearest' });
    // @ts-expect-error: x must be a number
    encode('float16', '1');
  });
});
