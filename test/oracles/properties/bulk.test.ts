/**
 * Properties of the bulk codec for every format (custom ones included) and every mode: each
 * element of encodeArray/roundArray/decodeArray equals the scalar function of that element, for
 * every source type, and checkRange's counts equal a recount element by element.
 */
import fc from 'fast-check';
import { describe, it } from 'vitest';
import {
  type CodeArray,
  checkRange,
  decode,
  decodeArray,
  defineFormat,
  encode,
  encodeArray,
  type Format,
  ROUNDING_MODES,
  type RoundingMode,
  round,
  roundArray,
} from '../../../src/index.js';
import { same, sameCode } from '../../helpers/compare.js';
import { iterations } from '../../helpers/profile.js';
import { ALL_FORMATS, doublesFor, uniforms } from './arbitraries.js';

/** Arrays of F's boundary-biased doubles, in each source type. */
function arraysFor(F: Format) {
  return fc
    .tuple(
      fc.array(doublesFor(F), { maxLength: 300 }),
      fc.constantFrom('f64', 'f32', 'array'),
      fc.integer({ min: 0, max: 2 ** 31 }),
    )
    .map(([xs, kind, seed]) => ({
      src: kind === 'f64' ? Float64Array.from(xs) : kind === 'f32' ? Float32Array.from(xs) : Array.from(Float64Array.from(xs)),
      seed,
    }));
}

/** The same stream of draws for the bulk call and the scalar recount. */
const draws = uniforms;

const OPTION_SETS = [{}, { saturate: true }, { flushSubnormals: true }];

/**
 * F with one more exponent bit and the same bias: the same values and spacing up to F's max and
 * beyond (or none, where the twin itself overflows), so its rounding of x says whether F's
 * rounding went past F's max. (Custom formats stop
 * at 32 bits, so float32 and float64 have no twin here.)
 */
function twinOf(F: Format): Format | undefined {
  if (F.bits >= 32) return undefined;
  return defineFormat({
    name: `${F.name}+e`,
    expBits: F.expBits + 1,
    manBits: F.manBits,
    bias: F.bias,
    kind: F.signed ? (F.manBits > 0 ? 'ieee' : 'fn') : 'fnu',
  });
}

describe.each(ALL_FORMATS.map((F) => [F.name, F] as const))('%s', (_name, F) => {
  it.each(ROUNDING_MODES.map((m) => [m]))(
    '%s: bulk = scalar for every element, every source type and option',
    (mode: RoundingMode) => {
      fc.assert(
        fc.property(arraysFor(F), fc.constantFrom(...OPTION_SETS), ({ src, seed }, extra) => {
          const codes = encodeArray(F, src, { rounding: mode, random: draws(seed), ...extra }) as CodeArray;
          const rounded = roundArray(F, src, { rounding: mode, random: draws(seed), ...extra });
          const decoded = decodeArray(F, codes, { out: new Float64Array(codes.length) });
          const scalarDraws = draws(seed);
          const roundDraws = draws(seed);
          for (let i = 0; i < src.length; i++) {
            const x = src[i]!;
            if (!sameCode(F, codes[i]!, encode(F, x, { rounding: mode, random: scalarDraws, ...extra }))) return false;
            const r = round(F, x, { rounding: mode, random: roundDraws, ...extra });
            if (!same(rounded[i]!, src instanceof Float32Array ? Math.fround(r) : r)) return false;
            if (!same(decoded[i]!, decode(F, codes[i]!))) return false;
          }
          return true;
        }),
        { numRuns: iterations(40, 15) },
      );
    },
  );

  it.each(ROUNDING_MODES.filter((m) => m !== 'stochastic').map((m) => [m]))(
    '%s: checkRange counts equal a per-element recount',
    (mode) => {
      fc.assert(
        fc.property(
          arraysFor(F),
          fc.constantFrom<{ saturate?: boolean; flushSubnormals?: boolean }>(...OPTION_SETS),
          ({ src }, extra) => {
            const opts = { rounding: mode, ...extra };
            const report = checkRange(F, src, opts);
            let nan = 0,
              infinite = 0,
              underflow = 0,
              subnormal = 0,
              inexact = 0,
              maxAbs = 0,
              minAbsNonzero = Infinity;
            let firstUnderflow = -1;
            let overflow = 0;
            let firstOverflow = -1;
            const twin = twinOf(F);
            for (let i = 0; i < src.length; i++) {
              const x = src[i]!;
              const r = round(F, x, opts);
              if (Number.isNaN(x)) {
                nan++;
                if (!Number.isNaN(r)) inexact++;
                continue;
              }
              if (!Number.isFinite(x)) {
                infinite++;
                if (r !== x) inexact++;
                continue;
              }
              const a = Math.abs(x);
              // an unsigned format's zero and negatives become NaN (overflow by the report's definition), or
              // with saturate its lowest value (a clamp at the bottom, not an overflow)
              const t = twin ? round(twin, x, { rounding: mode, flushSubnormals: extra.flushSubnormals === true }) : NaN;
              const past = !F.signed && x <= 0 ? extra.saturate !== true : twin !== undefined && !(Math.abs(t) <= F.max);
              if (past) {
                overflow++;
                if (firstOverflow < 0) firstOverflow = i;
              }
              maxAbs = Math.max(maxAbs, a);
              if (a > 0) minAbsNonzero = Math.min(minAbsNonzero, a);
              if (a > 0 && r === 0) {
                underflow++;
                if (firstUnderflow < 0) firstUnderflow = i;
              }
              if (r !== 0 && Number.isFinite(r) && Math.abs(r) < F.smallestNormal) subnormal++;
              if (!same(r, x) && !(r === 0 && x === 0)) inexact++;
            }
            return (
              report.count === src.length &&
              report.nan === nan &&
              report.infinite === infinite &&
              report.underflow === underflow &&
              report.subnormal === subnormal &&
              report.inexact === inexact &&
              report.maxAbs === maxAbs &&
              report.minAbsNonzero === minAbsNonzero &&
              report.firstUnderflow === firstUnderflow &&
              (twin === undefined || (report.overflow === overflow && report.firstOverflow === firstOverflow)) &&
              (report.overflow === 0) === (report.firstOverflow === -1)
            );
          },
        ),
        { numRuns: iterations(40, 15) },
      );
    },
  );
});
