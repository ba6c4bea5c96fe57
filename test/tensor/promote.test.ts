/**
 * Promotion against an oracle that knows nothing of the rule's shortcuts: "G holds F" is decided
 * by visiting every code of F (formats up to 16 bits) and asking whether G represents its value
 * exactly; the promoted dtype is then the definition applied to that. Also: where a tensor's
 * values live (the codec's container, and the float array its values decode into).
 */
import { describe, expect, it } from 'vitest';
import {
  decode,
  defineMxFormat,
  FORMAT_NAMES,
  type Format,
  format,
  mxFormat,
  promoteTypes,
  round,
  Tensor,
} from '../../src/index.js';
import {
  E2M1_FINITE,
  E3M3,
  E4M0_FNU,
  E5M4_FNUZ,
  E5M10_FN,
  E8M7_OTHER_NAME,
  E8M23_FLOAT32_TWIN,
  E9M20,
} from '../helpers/formats.js';

const custom = [E3M3, E5M4_FNUZ, E2M1_FINITE, E4M0_FNU, E5M10_FN, E8M7_OTHER_NAME, E9M20];
const ALL: Format[] = [...FORMAT_NAMES.map((n) => format(n)), ...custom];
const SMALL = ALL.filter((F) => F.bits <= 16);

/** Every value of F (NaN, ±inf, ±0 included) is a value of G: decided code by code. */
function holdsByEnumeration(G: Format, F: Format): boolean {
  for (let code = 0; code < F.codeCount; code++) {
    const v = decode(F, code);
    if (Number.isNaN(v) ? !G.hasNaN : !Object.is(round(G, v), v)) return false;
  }
  return true;
}

function expected(A: Format, B: Format): Format {
  if (holdsByEnumeration(A, B)) return A;
  if (holdsByEnumeration(B, A)) return B;
  const f32 = format('float32');
  return holdsByEnumeration(f32, A) && holdsByEnumeration(f32, B) ? f32 : format('float64');
}

describe('promoteTypes agrees with the definition, decided by enumerating codes', () => {
  const pairs = SMALL.flatMap((A) => SMALL.map((B) => [A.name, B.name, A, B] as const));
  it.each(pairs)('%s with %s', (_a, _b, A, B) => {
    expect(promoteTypes(A, B).name).toBe(expected(A, B).name);
  });

  it.each(SMALL.map((F) => [F.name, F] as const))('%s with the 32- and 64-bit formats', (_n, F) => {
    const holdsF = (G: Format) => holdsByEnumeration(G, F);
    for (const wide of ['tf32', 'float32', 'float64'].map((n) => format(n))) {
      const want = holdsF(wide) ? wide : holdsF(format('float32')) ? format('float32') : format('float64');
      expect(promoteTypes(F, wide).name, `${F.name} with ${wide.name}`).toBe(want.name);
    }
  });
});

describe('tensor storage', () => {
  const f32Twin = E8M23_FLOAT32_TWIN;
  it.each([
    ['float32', Float32Array, Float32Array],
    [f32Twin, Float32Array, Float32Array],
    ['float64', Float64Array, Float64Array],
    ['bfloat16', Uint16Array, Float32Array],
    ['tf32', Uint32Array, Float32Array],
    ['float8_e8m0fnu', Uint8Array, Float32Array],
    ['e9m20', Uint32Array, Float64Array],
  ] as const)('%s: codes in a %o, values decoded into a %o', (dtype, Container, Values) => {
    const F = typeof dtype === 'string' ? (custom.find((c) => c.name === dtype) ?? format(dtype)) : dtype;
    const t = Tensor.from([1, 2 ** -126, 3], { dtype: F });
    expect(t.storage.data).toBeInstanceOf(Container);
    expect(t.storage.values()).toBeInstanceOf(Values);
    expect(t.storage.values()[1]).toBe(round(F, 2 ** -126));
  });

  it('a float64-wide custom format keeps values float32 cannot hold, through take (transpose)', () => {
    const F = custom.find((c) => c.name === 'e9m20')!;
    const t = Tensor.from(
      [
        [2 ** 200, 2 ** -140],
        [3, -(2 ** 250)],
      ],
      { dtype: F },
    );
    expect(t.transpose().toArray()).toEqual([2 ** 200, 3, 2 ** -140, -(2 ** 250)]);
    const d = Tensor.from(
      [
        [1, 2 ** 900],
        [3, 4],
      ],
      { dtype: 'float64' },
    ).transpose();
    expect(d.toArray()).toEqual([1, 3, 2 ** 900, 4]);
  });
});

describe('block formats with integer elements', () => {
  const int = (fractionBits: number, blockSize = 32, name?: string) =>
    defineMxFormat({ element: { name: 'int8', bits: 8, fractionBits }, blockSize, ...(name ? { name } : {}) });
  it.each([
    [int(6, 32, 'p_mxint8_twin'), 'mxint8', 'p_mxint8_twin'],
    ['mxint8', int(6, 32, 'p_mxint8_twin2'), 'mxint8'],
    ['mxint8', int(5, 32, 'p_mxint8_q5'), 'float32'],
    ['mxint8', int(6, 64, 'p_mxint8_b64'), 'float32'],
    ['mxint8', 'mxfp8_e4m3', 'float32'],
  ] as const)('%s with %s gives %s', (a, b, want) => {
    expect(promoteTypes(a, b).name).toBe(want);
    expect(promoteTypes(mxFormat(a as never), mxFormat(b as never)).name).toBe(want);
  });
});
