/** `floatlab finfo [FORMAT…]`: torch's repr line per format, or every field as a table or JSON. */

import { table } from '../../core/table.js';
import { formatG } from '../../decimal.js';
import { FORMAT_NAMES, finfo } from '../../index.js';
import { type CliIO, toJson } from '../io.js';
import { cliFormat } from '../values.js';

/** Small integers as they are; everything else as %g. */
const cell = (v: number) => (Number.isInteger(v) && Math.abs(v) < 1e15 ? String(v) : formatG(v, 6));

export interface FinfoOptions {
  table?: boolean;
  json?: boolean;
}

const FIELDS = [
  'bits',
  'eps',
  'epsneg',
  'max',
  'min',
  'tiny',
  'smallestNormal',
  'smallestSubnormal',
  'resolution',
  'precision',
  'machep',
  'negep',
  'minexp',
  'maxexp',
  'nexp',
  'nmant',
  'iexp',
] as const;

export function finfoCommand(names: string[], opts: FinfoOptions, io: CliIO): number {
  const infos = (names.length ? names : FORMAT_NAMES).map((n) => finfo(cliFormat(n)));
  if (opts.json) {
    io.out(toJson(infos.map((i) => ({ ...i, repr: String(i) }))));
  } else if (opts.table) {
    const rows = FIELDS.map((f) => [f, ...infos.map((i) => cell(i[f]))]);
    io.out(`${table(['field', ...infos.map((i) => i.dtype)], rows)}\n`);
  } else {
    for (const i of infos) io.out(`${String(i)}\n`);
  }
  return 0;
}
