/**
 * Equality as the tests mean it: values by Object.is (so −0 is not 0) with any NaN equal to any
 * NaN, codes exactly or both NaN codes of the format (an IEEE format has many).
 */
import { classify, type FormatLike } from '../../src/index.js';

/** The same value: Object.is, or both NaN. */
export const same = (a: number, b: number): boolean => Object.is(a, b) || (Number.isNaN(a) && Number.isNaN(b));

/** The same code of F, or two NaN codes of F. */
export const sameCode = (F: FormatLike, a: number | bigint, b: number | bigint): boolean =>
  a === b || (classify(F, a) === 'nan' && classify(F, b) === 'nan');
