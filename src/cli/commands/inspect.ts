/**
 * `floatlab inspect FORMAT VALUE…` and `floatlab cast VALUE… --to FORMAT`: how values are
 * stored, their neighbours, spacing and rounding error.
 */

import { table } from '../../core/table.js';
import { exactDecimalOf, formatG } from '../../decimal.js';
import { decode, type Format, inspect, nextDown, nextUp, ROUNDING_MODES, type RoundingMode, ulp } from '../../index.js';
import { type CliIO, toJson } from '../io.js';
import { cliFormat, cliRounding, InputError, parseCode, parseValue, VALUE_MARK } from '../values.js';

export interface InspectOptions {
  rounding?: string;
  allModes?: boolean;
  json?: boolean;
  code?: boolean;
  saturate?: boolean;
}

/** The code in hex, and in binary split as sign | exponent | mantissa. */
export function codeText(F: Format, code: number | bigint): { hex: string; binary: string } {
  const bits = BigInt(code).toString(2).padStart(F.bits, '0');
  const signBits = F.signed ? 1 : 0;
  const parts = [bits.slice(0, signBits), bits.slice(signBits, signBits + F.expBits), bits.slice(signBits + F.expBits)];
  return {
    hex: `0x${code.toString(16).padStart(Math.ceil(F.bits / 4), '0')}`,
    binary: parts.filter((p) => p.length > 0).join(' | '),
  };
}

function roundingOf(opts: InspectOptions): RoundingMode {
  const mode = (opts.rounding ?? 'tiesToEven') as RoundingMode;
  if (!ROUNDING_MODES.includes(mode)) {
    throw new InputError(`unknown rounding mode ${JSON.stringify(opts.rounding)}; the modes are ${ROUNDING_MODES.join(', ')}`);
  }
  return mode;
}

/** An input: its text, its value, and its code when the input was a code. */
type Input = { text: string; x: number; code?: number | bigint };

/** Everything the command reports about one input in one mode. */
function describeValue(F: Format, { text: input, x, code }: Input, mode: RoundingMode, saturate: boolean) {
  const options = cliRounding(mode, saturate);
  const r = inspect(F, x, options);
  const { hex, binary } = codeText(F, code ?? r.code);
  const finite = Number.isFinite(r.value) && Number.isFinite(x);
  return {
    input,
    x,
    format: F.name,
    rounding: mode,
    code: hex,
    binary,
    class: r.class,
    value: r.value,
    exact: r.exact,
    nextDown: nextDown(F, r.value),
    nextUp: nextUp(F, r.value),
    ulp: ulp(F, r.value),
    relativeError: finite && x !== 0 ? (r.value - x) / Math.abs(x) : finite ? 0 : NaN,
  };
}

const show = (v: number) => formatG(v, 10);

function inputsOf(F: Format, values: string[], asCodes: boolean): Input[] {
  if (values.length === 0) throw new InputError('give at least one VALUE');
  return values.map((arg) => {
    const text = arg.replace(VALUE_MARK, '');
    if (!asCodes) return { text, x: parseValue(text) };
    const code = parseCode(F, text);
    return { text, x: decode(F, code), code };
  });
}

function print(rows: ReturnType<typeof describeValue>[], opts: InspectOptions, io: CliIO, byMode: boolean): void {
  if (opts.json) {
    io.out(toJson(rows.map((r) => ({ ...r, value: r.exact }))));
    return;
  }
  if (byMode) {
    io.out(
      `${table(
        ['input', 'rounding', 'code', 'sign | exponent | mantissa', 'class', 'value', 'rel. error'],
        rows.map((r) => [r.input, r.rounding, r.code, r.binary, r.class, r.exact, show(r.relativeError)]),
      )}\n`,
    );
    return;
  }
  for (const r of rows) {
    io.out(
      [
        `${r.format} ← ${r.input}${r.rounding === 'tiesToEven' ? '' : ` (${r.rounding})`}`,
        `  code      ${r.code}  ${r.binary}`,
        `  class     ${r.class}`,
        `  value     ${r.exact}`,
        `  nextDown  ${exactDecimalOf(r.nextDown)}`,
        `  nextUp    ${exactDecimalOf(r.nextUp)}`,
        `  ulp       ${exactDecimalOf(r.ulp)}`,
        `  rel. err  ${show(r.relativeError)}`,
        '',
      ].join('\n'),
    );
  }
}

export function inspectCommand(fmt: string, values: string[], opts: InspectOptions, io: CliIO): number {
  const F = cliFormat(fmt);
  const inputs = inputsOf(F, values, Boolean(opts.code));
  const modes = opts.allModes ? [...ROUNDING_MODES] : [roundingOf(opts)];
  const rows = inputs.flatMap((input) => modes.map((m) => describeValue(F, input, m, Boolean(opts.saturate))));
  print(rows, opts, io, Boolean(opts.allModes));
  return 0;
}

export function castCommand(values: string[], opts: InspectOptions & { to: string }, io: CliIO): number {
  const F = cliFormat(opts.to, '--to');
  const mode = roundingOf(opts);
  const rows = inputsOf(F, values, false).map((input) => describeValue(F, input, mode, Boolean(opts.saturate)));
  if (opts.json) {
    io.out(
      toJson(
        rows.map((r) => ({
          input: r.input,
          format: r.format,
          rounding: r.rounding,
          code: r.code,
          class: r.class,
          value: r.exact,
        })),
      ),
    );
  } else {
    io.out(
      `${table(
        ['input', F.name, 'code', 'class'],
        rows.map((r) => [r.input, r.exact, r.code, r.class]),
      )}\n`,
    );
  }
  return 0;
}
