/**
 * The custom formats the tests use, each defined once. A format is named by its layout (exponent
 * and mantissa bits, kind, and bias where it is not the default); its comment says which edge it
 * probes. Suites pick their own lists from these; formats with a spec of their own (the near
 * misses of test/codec/fast/fast-paths.test.ts, derived formats) stay with their tests.
 */
import { defineFormat, defineMxFormat } from '../../src/index.js';

// ————————————————————————————————————————————————————————————————— ieee: inf and NaN

/** The smallest IEEE-like format with room in every field: 7 bits, subnormals, inf, NaN. */
export const E3M3 = defineFormat({ name: 'e3m3', expBits: 3, manBits: 3 });
/** An exponent one bit wider than float32's: a 16-bit format float32 cannot hold. */
export const E9M6 = defineFormat({ name: 'e9m6', expBits: 9, manBits: 6 });
/** Wider than float32 in both fields: codes in a Uint32Array, values only a float64 holds. */
export const E9M20 = defineFormat({ name: 'e9m20', expBits: 9, manBits: 20 });
/** bfloat16's layout under another name: equal values, a different format. */
export const E8M7_OTHER_NAME = defineFormat({ name: 'e8m7_other_name', expBits: 8, manBits: 7 });
/** float32's layout under another name: stored as float32 is. */
export const E8M23_FLOAT32_TWIN = defineFormat({ name: 'float32_twin', expBits: 8, manBits: 23 });

// ————————————————————————————————————————————————————————————————— fn: NaN, no inf

/** No mantissa bits at all: every value a power of two. */
export const E2M0_FN = defineFormat({ name: 'e2m0fn', expBits: 2, manBits: 0, kind: 'fn' });
/** A small fn format: the top code is NaN, the one below it max. */
export const E4M2_FN = defineFormat({ name: 'e4m2fn', expBits: 4, manBits: 2, kind: 'fn' });
/** float16's layout as fn: its top binade holds values float16 spends on inf and NaN. */
export const E5M10_FN = defineFormat({ name: 'e5m10fn', expBits: 5, manBits: 10, kind: 'fn' });
/** bfloat16's layout as fn: a top binade past float32's max. */
export const E8M7_FN = defineFormat({ name: 'e8m7fn', expBits: 8, manBits: 7, kind: 'fn' });

// ————————————————————————————————————————————————————————————————— fnuz: one NaN at −0's code

/** fnuz with bias 16 (one above the IEEE bias). */
export const E5M4_FNUZ = defineFormat({ name: 'e5m4fnuz', expBits: 5, manBits: 4, bias: 16, kind: 'fnuz' });
/** fnuz with bias 16 and a wider mantissa: 12 bits. */
export const E5M6_FNUZ = defineFormat({ name: 'e5m6fnuz', expBits: 5, manBits: 6, bias: 16, kind: 'fnuz' });

// ————————————————————————————————————————————————————————————————— fnu: unsigned, no zero

/** Unsigned powers of two with bias 7, as E8M0 on a smaller scale. */
export const E4M0_FNU = defineFormat({ name: 'e4m0fnu', expBits: 4, manBits: 0, bias: 7, kind: 'fnu' });
/** Unsigned powers of two with bias 31. */
export const E6M0_FNU = defineFormat({ name: 'e6m0fnu', expBits: 6, manBits: 0, bias: 31, kind: 'fnu' });
/** Unsigned with a mantissa: no subnormals, no zero. */
export const E5M3_FNU = defineFormat({ name: 'e5m3fnu', expBits: 5, manBits: 3, kind: 'fnu' });
/** Bias 148: a smallest value below float32's smallest subnormal, without subnormals of its own. */
export const E8M3_FNU_BIAS148 = defineFormat({ name: 'e8m3fnu_bias148', expBits: 8, manBits: 3, bias: 148, kind: 'fnu' });

// ————————————————————————————————————————————————————————————————— mx: no inf, no NaN

/** A 16-bit mx format: every code a finite value. */
export const E6M9_FINITE = defineFormat({ name: 'e6m9mx', expBits: 6, manBits: 9, kind: 'finite' });
/** A 6-bit mx format wider in the exponent. */
export const E3M1_FINITE = defineFormat({ name: 'e3m1mx', expBits: 3, manBits: 1, kind: 'finite' });
/** A 4-bit mx format (FP4's layout under another name). */
export const E2M1_FINITE = defineFormat({ name: 'e2m1mx', expBits: 2, manBits: 1, kind: 'finite' });
/** An 8-bit mx format (E4M3 without a NaN). */
export const E4M3_FINITE = defineFormat({ name: 'e4m3mx', expBits: 4, manBits: 3, kind: 'finite' });
/** A 7-bit mx element for a custom block format. */
export const E3M3_FINITE = defineFormat({ name: 'e3m3mx', expBits: 3, manBits: 3, kind: 'finite' });

// ————————————————————————————————————————————————————————————————— bias

/** Bias 4 on two exponent bits: the whole range lies below 1 (finfo's epsneg and negep are NaN). */
export const E2M1_BELOW_ONE = defineFormat({ name: 'e2m1_below1', expBits: 2, manBits: 1, bias: 4 });

// ————————————————————————————————————————————————————————————————— MX block formats

/** An MX block format over the custom mx element E3M3_FINITE, blocks of 8. */
export const MX_E3M3_BLOCKS_OF_8 = defineMxFormat({ element: E3M3_FINITE, blockSize: 8 });
