/** The exact reference MX blocks (test/fixtures/mx-blocks.json, made by make/mx_blocks.py), typed. */
import { readFileSync } from 'node:fs';
import type { RoundingMode } from '../../src/index.js';

export interface MxFixtureBlock {
  name: string;
  input: 'f32' | 'f64';
  /** Inputs as float32 (8 hex digits) or float64 (16 hex digits) bit patterns. */
  x: string[];
  nonFinite: 'element' | 'block';
  scales: number[];
  /** Unpacked element codes, per rounding mode. */
  codes: Record<RoundingMode, number[]>;
  /** The ties-to-even codes packed, as hex. */
  packed: string;
  /** The ties-to-even dequantized values as Python prints them ('nan', 'inf', '-0.0', '0.5', …). */
  values: string[];
}

export interface MxFixtureFormat {
  element: string;
  bits: number;
  emax: number;
  max: string;
  blocks: MxFixtureBlock[];
}

export const mxFixture = JSON.parse(readFileSync(new URL('../fixtures/mx-blocks.json', import.meta.url), 'utf8')) as {
  blockSize: number;
  modes: RoundingMode[];
  formats: Record<string, MxFixtureFormat>;
};

/** The inputs of a fixture block as JS numbers (float32 inputs are exact doubles). */
export function fixtureInputs(block: MxFixtureBlock): number[] {
  if (block.input === 'f32') {
    const u = Uint32Array.from(block.x, (h) => parseInt(h, 16));
    return Array.from(new Float32Array(u.buffer));
  }
  const u = BigUint64Array.from(block.x, (h) => BigInt(`0x${h}`));
  return Array.from(new Float64Array(u.buffer));
}

/** A value as the generator writes it. */
export function fixtureValue(text: string): number {
  if (text === 'nan') return NaN;
  if (text === 'inf') return Infinity;
  if (text === '-inf') return -Infinity;
  return Number(text);
}

/** Hex of a byte array. */
export function hex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}
