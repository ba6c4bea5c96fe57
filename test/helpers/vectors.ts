/** The shared oracle's vectors (test/fixtures/reference-vectors.json), typed. */
import { readFileSync } from 'node:fs';
import type { RoundingMode } from '../../src/index.js';

export interface VectorRow {
  x: string;
  'nearest-even': number;
  'nearest-away': number;
  'toward-zero': number;
  up: number;
  down: number;
  odd: number;
  saturate: number;
}

export interface FinfoEntry {
  computed: Record<string, number>;
  repr: string;
  torch?: Record<string, number>;
  torch_repr?: string;
  numpy?: Record<string, number>;
}

export const reference = JSON.parse(readFileSync(new URL('../fixtures/reference-vectors.json', import.meta.url), 'utf8')) as {
  modes: string[];
  vectors: Record<string, VectorRow[]>;
  finfo: Record<string, FinfoEntry>;
};

/** The oracle's mode names, keyed by floatlab's. */
export const ORACLE_MODE = {
  tiesToEven: 'nearest-even',
  tiesToAway: 'nearest-away',
  towardZero: 'toward-zero',
  towardPositive: 'up',
  towardNegative: 'down',
  toOdd: 'odd',
} as const satisfies Partial<Record<RoundingMode, keyof VectorRow>>;

const f64 = new Float64Array(1);
const u64 = new BigUint64Array(f64.buffer);

/** The double with the given 16 hex digits of bits. */
export function doubleFromHex(hex: string): number {
  u64[0] = BigInt(`0x${hex}`);
  return f64[0]!;
}
