/** Rounding modes as the tables iterate them. */
import { ROUNDING_MODES } from '../../src/index.js';

/** Every rounding mode but stochastic: the ones whose result a table can state. */
export const DETERMINISTIC = ROUNDING_MODES.filter((m) => m !== 'stochastic');
