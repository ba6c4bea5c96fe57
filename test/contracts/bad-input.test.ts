/**
 * The bad-input matrix. Every exported function, the constructors and public methods
 * of the exported classes, and every subcommand of the CLI, called with each kind of bad value
 * wherever the kind applies to the parameter. The table is data: a row per function and
 * parameter, a column per kind of value (KINDS), and in each cell the documented outcome —
 *
 * - a result, which is checked; or
 * - a TypeError/RangeError whose message starts with the function's name and names the
 *   parameter (and, for an element of an array, its index).
 *
 * In every cell every argument is snapshotted before the call (arrays and typed arrays by their
 * bytes, objects field by field, tensors, optimizers and scalers by their values and state) and
 * compared after: an error leaves everything as it was (nothing half-written), and a result
 * modifies only what the function documents writing (an `out`, the DataView of setFloat,
 * gradients unscaled in place, the parameters an optimizer updates).
 *
 * CLI cells run in-process through runCli: exit code 2 with one line on stderr naming the
 * problem, nothing on stdout and no file written — or exit code 0 where the value is meaningful.
 * Corrupt, truncated and hostile checkpoint files are the CLI table of test/cli/files.test.ts.
 */
import { mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildProgram, runCli } from '../../src/cli/program.js';
import * as floatlab from '../../src/index.js';
import {
  Adam,
  AdamW,
  checkRange,
  classify,
  createRangeCheck,
  DelayedScaling,
  decode,
  decodeArray,
  defineFormat,
  defineMxFormat,
  encode,
  encodeArray,
  estimateMemory,
  exactDecimal,
  FInfo,
  Float8CurrentScaling,
  finfo,
  format,
  fp8Element,
  fromFloat16Array,
  GradScaler,
  getFloat,
  inspect,
  isFormat,
  isMxFormat,
  MasterWeights,
  mxDequantize,
  mxFormat,
  mxQuantize,
  mxReport,
  nextDown,
  nextUp,
  Optimizer,
  packCodes,
  precisionPolicy,
  promoteTypes,
  type RangeCheck,
  round,
  roundArray,
  SGD,
  scaledDequantize,
  scaledQuantize,
  scaledReport,
  scaledScheme,
  setFloat,
  setWasmMode,
  Tensor,
  toFloat16Array,
  ulp,
  unpackCodes,
  WasmArena,
} from '../../src/index.js';
import { detached } from '../helpers/buffers.js';

// ————————————————————————————————————————————————————————————————— the columns

/** The kinds of bad value: the columns of the matrix. */
const KINDS = [
  'undefined',
  'null',
  'string',
  'bigint',
  'object',
  'string[]',
  'NaN',
  'Infinity',
  '-Infinity',
  '-0',
  'code out of range',
  'non-integer',
  'wrong typed array',
  'out of wrong length',
  'detached',
  'shared',
  'overlapping',
  'empty',
  'unknown name',
] as const;
type Kind = (typeof KINDS)[number];

/** The kinds every parameter of the library can be handed, whatever it expects. */
const UNIVERSAL: readonly Kind[] = [
  'undefined',
  'null',
  'string',
  'bigint',
  'object',
  'string[]',
  'NaN',
  'Infinity',
  '-Infinity',
  '-0',
];

/** What a parameter expects, and so which kinds beyond the universal ones apply to it. */
const EXTRA_KINDS = {
  /** A number (NaN, ±Infinity and −0 are numbers). */
  number: [],
  /** An integer: an index, a count, a byte offset, a seed. */
  integer: ['non-integer'],
  /** A code of a format. */
  code: ['code out of range', 'non-integer'],
  /** A name of a format (or a Format): unknown names are the point. */
  format: ['unknown name'],
  /** A name from a fixed list (a mode, a precision flag, an optimizer). */
  choice: ['unknown name'],
  /** An options object (where rounding options are not taken, an unknown mode is an unknown option). */
  opts: ['unknown name'],
  /** A boolean. */
  boolean: [],
  /** An object of a given shape (a spec, a state, a block, a tensor, an optimizer). */
  object: [],
  /** A string that names something new (a custom format's name). */
  text: [],
  /** An array of numbers or a typed array the function reads. */
  array: ['wrong typed array', 'detached', 'shared', 'empty'],
  /** An array of codes the function reads. */
  codes: ['wrong typed array', 'code out of range', 'detached', 'shared', 'empty'],
  /** An array of things (tensors, dimensions, class indices). */
  list: ['wrong typed array', 'empty'],
  /** An array of gradients: Float32Arrays (whose buffers may be detached, shared, or overlap each other) and tensors. */
  gradients: ['wrong typed array', 'detached', 'shared', 'overlapping', 'empty'],
  /** An array the function writes into. */
  out: ['wrong typed array', 'out of wrong length', 'detached', 'shared', 'overlapping', 'empty'],
} satisfies Record<string, Kind[]>;
type ParamType = keyof typeof EXTRA_KINDS;

/** The value of each kind, where one value serves every parameter (rows give the others). */
const DEFAULT_VALUES: Partial<Record<Kind, () => unknown>> = {
  undefined: () => undefined,
  null: () => null,
  string: () => '1',
  bigint: () => 1n,
  object: () => ({ valueOf: () => 1 }),
  'string[]': () => ['1', '2'],
  NaN: () => NaN,
  Infinity: () => Infinity,
  '-Infinity': () => -Infinity,
  '-0': () => -0,
  'non-integer': () => 1.5,
};
/** The unknown names of the parameter types that take names. */
const TYPE_VALUES: Partial<Record<ParamType, Partial<Record<Kind, () => unknown>>>> = {
  format: { 'unknown name': () => 'float7' },
  opts: { 'unknown name': () => ({ rounding: 'nearest' }) },
};

// ————————————————————————————————————————————————————————————————— the cells

type Check = (result: any, args: any[]) => void;
type Outcome =
  | { throws: typeof TypeError | typeof RangeError; names?: string }
  | { check: Check /** Argument paths the call documents writing (`'2.out'`: opts.out). */; writes?: string[] };
type Cells = Partial<Record<Kind, Outcome>>;

/** A TypeError or RangeError naming the parameter (or `names`, when the message names it otherwise). */
const T: Outcome = { throws: TypeError };
const R: Outcome = { throws: RangeError };
const TN = (names: string): Outcome => ({ throws: TypeError, names });
const RN = (names: string): Outcome => ({ throws: RangeError, names });
/** A result equal to `expected` (Object.is for numbers: −0 and NaN count). */
const is = (expected: unknown): Outcome => ({ check: (r) => expect(r).toStrictEqual(expected) });
/** A result that passes `check`. */
const returns = (check: Check, writes?: string[]): Outcome => ({ check, ...(writes ? { writes } : {}) });
/** A result equal to what `reference` returns: the same call on ordinary (unshared) memory. */
const sameAs = (reference: () => unknown): Outcome => ({ check: (r) => expect(r).toStrictEqual(reference()) });
/** A tensor of this dtype, shape and values. */
const tensor = (dtype: string, shape: number[], values: number[]): Outcome =>
  returns((t: Tensor) => {
    expect(t).toBeInstanceOf(Tensor);
    expect([t.dtype.name, [...t.shape], t.toArray()]).toStrictEqual([dtype, shape, values]);
  });

/** Every non-number is a TypeError; NaN, ±Infinity and −0 as given. */
const numberCells = (special: Pick<Cells, 'NaN' | 'Infinity' | '-Infinity' | '-0'>, undefinedCell: Outcome = T): Cells => ({
  undefined: undefinedCell,
  null: T,
  string: T,
  bigint: T,
  object: T,
  'string[]': T,
  ...special,
});
/** Non-numbers are TypeErrors; NaN, ±Infinity and non-integers RangeErrors; −0 as given. */
const integerCells = (minusZero: Outcome, undefinedCell: Outcome = T): Cells => ({
  ...numberCells({ NaN: R, Infinity: R, '-Infinity': R, '-0': minusZero }, undefinedCell),
  'non-integer': R,
});
/** A format (or block format, dtype) parameter: names are looked up, anything else is a TypeError. */
const formatCells = (param: string, undefinedCell: Outcome = TN(`${param} must be`)): Cells => ({
  undefined: undefinedCell,
  null: TN(`${param} must be`),
  string: RN(`unknown ${param} "1"`),
  bigint: TN(`${param} must be`),
  object: TN(`${param} must be`),
  'string[]': TN(`${param} must be`),
  NaN: TN(`${param} must be`),
  Infinity: TN(`${param} must be`),
  '-Infinity': TN(`${param} must be`),
  '-0': TN(`${param} must be`),
  'unknown name': RN(`unknown ${param} "`),
});
/** A string from a fixed list: other strings are RangeErrors, non-strings TypeErrors. */
const choiceCells = (undefinedCell: Outcome): Cells => ({
  undefined: undefinedCell,
  null: T,
  string: R,
  bigint: T,
  object: T,
  'string[]': T,
  NaN: T,
  Infinity: T,
  '-Infinity': T,
  '-0': T,
  'unknown name': R,
});
/** An options object: undefined gives the defaults; the plain object `{ valueOf }` has an unknown option. */
const optsCells = (undefinedCell: Outcome, unknownName: Outcome = RN('unknown rounding mode "nearest"')): Cells => ({
  undefined: undefinedCell,
  null: T,
  string: T,
  bigint: T,
  object: RN('unknown option "valueOf"'),
  'string[]': T,
  NaN: T,
  Infinity: T,
  '-Infinity': T,
  '-0': T,
  'unknown name': unknownName,
});
/** For functions that take no rounding options, `{ rounding: 'nearest' }` is an unknown option. */
const NO_ROUNDING = RN('unknown option "rounding"');
/** A boolean: anything else is a TypeError. */
const booleanCells = (undefinedCell: Outcome): Cells => ({
  ...numberCells({ NaN: T, Infinity: T, '-Infinity': T, '-0': T }, undefinedCell),
});
/** An object of a given shape: every other kind of value is a TypeError. */
const objectCells = (object: Outcome, array: Outcome = T): Cells => ({
  ...numberCells({ NaN: T, Infinity: T, '-Infinity': T, '-0': T }),
  object,
  'string[]': array,
});
/** An array the function reads: non-arrays are TypeErrors, a string element a TypeError naming [0]. */
const arrayCells = (param: string, results: Pick<Cells, 'shared' | 'empty'>): Cells => ({
  ...numberCells({ NaN: T, Infinity: T, '-Infinity': T, '-0': T }),
  'string[]': TN(`${param}[0]`),
  'wrong typed array': T,
  detached: TN(`the buffer of ${param} is detached`),
  ...results,
});
/** An `out` to write into: a result when undefined or shared memory; otherwise an error and nothing written. */
const outCells = (undefinedCell: Outcome, shared: Outcome): Cells => ({
  ...numberCells({ NaN: T, Infinity: T, '-Infinity': T, '-0': T }, undefinedCell),
  'wrong typed array': T,
  'out of wrong length': RN('opts.out has length'),
  detached: TN('the buffer of opts.out is detached'),
  shared,
  overlapping: RN('opts.out overlaps'),
  empty: RN('opts.out has length 0'),
});

// ————————————————————————————————————————————————————————————————— the rows

interface Param {
  /** The parameter as error messages name it (`'x'`, `'opts.out'`, `'q.scales'`). */
  param: string;
  /** Tells two rows of one parameter apart (`'code (float64)'`). */
  label?: string;
  type: ParamType;
  /** Where the bad value goes: an argument index, or [index, field] for a field of an object argument. */
  at: number | [number, string];
  cells: Cells;
  /** Values for kinds whose value depends on the parameter (a code out of range of its format…). */
  values?: Partial<Record<Kind, () => unknown>>;
  /** Whole argument lists, for kinds that involve two arguments (an `out` overlapping `src`). */
  argsFor?: Partial<Record<Kind, () => unknown[]>>;
}

interface Row extends Param {
  /** The function, as error messages start (`'encode'`, `'new SGD'`, `'Tensor.add'`). */
  fn: string;
  args: () => unknown[];
  call: (...args: any[]) => unknown;
}

/** The rows of one function: its valid arguments (made fresh for every cell) and, per parameter, the cells. */
function rowsOf(fn: string, call: (...args: any[]) => unknown, args: () => unknown[], params: Param[]): Row[] {
  return params.map((p) => ({ fn, call, args, ...p }));
}

const p = (
  param: string,
  type: ParamType,
  at: Param['at'],
  cells: Cells,
  more: Omit<Param, 'param' | 'type' | 'at' | 'cells'> = {},
): Param => ({
  param,
  type,
  at,
  cells,
  ...more,
});

type ArrayCtor = new (length: number) => ArrayBufferView;
/**
 * The `opts.out` row of a bulk function whose options are argument `at` and which writes `want`
 * into an `Out` of that length: `Wrong` is a container of the wrong type, `Long` one of a right type
 * but one element too long, `Shared` the type of the SharedArrayBuffer-backed `out`; `overlapping`
 * gives the whole argument list with an `out` over the source's memory.
 */
function outRow(
  at: number,
  want: Uint16Array | Float32Array,
  types: { Out: ArrayCtor; Wrong: ArrayCtor; Long: ArrayCtor; Shared: TypedArrayCtor },
  overlappingArgs: () => unknown[],
): Param {
  const { Out, Wrong, Long, Shared } = types;
  const n = want.length;
  return p(
    'opts.out',
    'out',
    [at, 'out'],
    outCells(
      is(want),
      returns((r, a) => expect([r === a[at].out, [...r]]).toStrictEqual([true, [...want]]), [`${at}.out`]),
    ),
    {
      values: {
        'wrong typed array': () => new Wrong(n),
        'out of wrong length': () => new Long(n + 1),
        detached: () => detached(new Out(n)),
        shared: () => shared(Shared, new Array<number>(n).fill(7)),
        empty: () => new Out(0),
      },
      argsFor: { overlapping: overlappingArgs },
    },
  );
}

type TypedArrayCtor = {
  new (buffer: ArrayBufferLike, byteOffset?: number, length?: number): ArrayLike<unknown> & { set(a: ArrayLike<any>): void };
  BYTES_PER_ELEMENT: number;
};
/** A typed array of these elements over a SharedArrayBuffer. */
function shared<C extends TypedArrayCtor>(Ctor: C, values: ArrayLike<number | bigint>): InstanceType<C> {
  const a = new Ctor(new SharedArrayBuffer(Math.max(1, values.length) * Ctor.BYTES_PER_ELEMENT), 0, values.length);
  a.set(values);
  return a as InstanceType<C>;
}
/** A typed array of `Ctor` and an overlapping `Out` view of one buffer: src at byte 0, out at `outByte`. */
function overlapping<S extends TypedArrayCtor, O extends TypedArrayCtor>(
  Src: S,
  values: number[],
  Out: O,
  outByte: number,
  outLength: number,
) {
  const buffer = new ArrayBuffer(64);
  const src = new Src(buffer, 0, values.length);
  src.set(values);
  return { src: src as InstanceType<S>, out: new Out(buffer, outByte, outLength) as InstanceType<O> };
}

const f32 = (...xs: number[]) => Float32Array.of(...xs);
const u8 = (...xs: number[]) => Uint8Array.of(...xs);
const u16 = (...xs: number[]) => Uint16Array.of(...xs);
const dataView = (...bytes: number[]) => new DataView(Uint8Array.from(bytes).buffer);
/** MXFP4 blocks of [1, -2, 0.75, 5] (see mxQuantize's example). */
const mxfp4Block = () => ({ blockFormat: 'mxfp4_e2m1' as const, length: 4, scales: u8(127), codes: u8(194, 98) });
/** A scaler that has scaled a loss by 4 (so unscale and step may run). */
const scaledScaler = () => {
  const s = new GradScaler({ initScale: 4 });
  s.scale(1);
  return s;
};
/** A scaler that has recorded a clean inf check (so update may run). */
const checkedScaler = () => {
  const s = scaledScaler();
  s.unscale([f32(4)]);
  return s;
};
const sgd = () => new SGD([Tensor.from([1, 1])], { lr: 1, momentum: 0.5 });
/** Checks the big-endian 16-bit code setFloat stored at byte 0. */
const stored = (code: number) => returns((_r, a) => expect(a[0].getUint16(0)).toBe(code), ['0']);

/** The codec, finfo and the scalar helpers. */
const SCALAR_ROWS: Row[] = [
  ...rowsOf('format', format, () => ['float16'], [p('fmt', 'format', 0, formatCells('fmt'))]),
  ...rowsOf('finfo', finfo, () => ['float16'], [p('fmt', 'format', 0, formatCells('fmt'))]),
  ...rowsOf(
    'new FInfo',
    (f) => new FInfo(f),
    () => [format('float16')],
    [p('fmt', 'format', 0, formatCells('fmt'))],
  ),
  ...rowsOf('defineFormat', defineFormat, () => [{ name: 'e3m3', expBits: 3, manBits: 3 }], [
    p('spec', 'object', 0, objectCells(RN('unknown field "valueOf"'))),
    p('name', 'text', [0, 'name'], {
      ...numberCells({ NaN: T, Infinity: T, '-Infinity': T, '-0': T }),
      string: returns((f) => expect([f.name, f.max]).toStrictEqual(['1', 15])),
    }),
    p('expBits', 'integer', [0, 'expBits'], integerCells(R)),
    p(
      'bias',
      'integer',
      [0, 'bias'],
      integerCells(
        returns((f) => expect(Object.is(f.bias, 0)).toBe(true)),
        returns((f) => expect(f.bias).toBe(3)),
      ),
    ),
    p(
      'kind',
      'choice',
      [0, 'kind'],
      { ...choiceCells(returns((f) => expect(f.kind).toBe('ieee'))), 'unknown name': RN('kind must be one of') },
      { values: { 'unknown name': () => 'toString' } },
    ),
  ]),
  ...Object.entries({ round, encode, exactDecimal, inspect, nextUp, nextDown, ulp }).flatMap(([key, call]) => {
    const name = key as 'round' | 'encode' | 'exactDecimal' | 'inspect' | 'nextUp' | 'nextDown' | 'ulp';
    const special: Record<typeof name, Pick<Cells, 'NaN' | 'Infinity' | '-Infinity' | '-0'>> = {
      round: { NaN: is(NaN), Infinity: is(Infinity), '-Infinity': is(-Infinity), '-0': is(-0) },
      encode: { NaN: is(0x7e00), Infinity: is(0x7c00), '-Infinity': is(0xfc00), '-0': is(0x8000) },
      exactDecimal: { NaN: is('nan'), Infinity: is('inf'), '-Infinity': is('-inf'), '-0': is('-0') },
      inspect: {
        NaN: returns((r) => expect(r).toMatchObject({ code: 0x7e00, class: 'nan', exact: 'nan' })),
        Infinity: returns((r) => expect(r).toMatchObject({ code: 0x7c00, class: 'infinite', value: Infinity })),
        '-Infinity': returns((r) => expect(r).toMatchObject({ code: 0xfc00, sign: 1, value: -Infinity })),
        '-0': returns((r) => expect(r).toMatchObject({ code: 0x8000, sign: 1, class: 'zero', value: -0, exact: '-0' })),
      },
      nextUp: { NaN: is(NaN), Infinity: is(Infinity), '-Infinity': is(-65504), '-0': is(2 ** -24) },
      nextDown: { NaN: is(NaN), Infinity: is(65504), '-Infinity': is(-Infinity), '-0': is(-(2 ** -24)) },
      ulp: { NaN: is(NaN), Infinity: is(NaN), '-Infinity': is(NaN), '-0': is(-(2 ** -24)) },
    };
    const atOne: Record<typeof name, unknown> = {
      round: 1,
      encode: 0x3c00,
      exactDecimal: '1',
      inspect: undefined,
      nextUp: 1 + 2 ** -10,
      nextDown: 1 - 2 ** -11,
      ulp: 2 ** -10,
    };
    const hasOpts = ['round', 'encode', 'exactDecimal', 'inspect'].includes(name);
    return rowsOf(name, call, () => ['float16', 1], [
      p('fmt', 'format', 0, formatCells('fmt')),
      p('x', 'number', 1, numberCells(special[name])),
      ...(hasOpts
        ? [
            p(
              'opts',
              'opts',
              2,
              optsCells(
                name === 'inspect' ? returns((r) => expect(r).toMatchObject({ code: 0x3c00, value: 1 })) : is(atOne[name]),
              ),
            ),
          ]
        : []),
    ]);
  }),
  ...Object.entries({ decode, classify }).flatMap(([name, call]) => {
    const zero = name === 'decode' ? is(0) : is('zero');
    return [
      ...rowsOf(name, call, () => ['float16', 0x3c00], [
        p('fmt', 'format', 0, formatCells('fmt')),
        p(
          'code',
          'code',
          1,
          { ...integerCells(zero), 'code out of range': R },
          { values: { 'code out of range': () => 0x10000 } },
        ),
      ]),
      // float64 codes are bigints: a number is the wrong type, and 1n is the smallest subnormal.
      ...rowsOf(name, call, () => ['float64', 0x3ff0000000000000n], [
        p(
          'code',
          'code',
          1,
          {
            ...numberCells({ NaN: T, Infinity: T, '-Infinity': T, '-0': T }),
            bigint: name === 'decode' ? is(2 ** -1074) : is('subnormal'),
            'code out of range': R,
            'non-integer': T,
          },
          { label: 'code (float64)', values: { 'code out of range': () => 1n << 64n } },
        ),
      ]),
    ];
  }),
  ...rowsOf('encodeArray', encodeArray, () => ['float16', [1, 2]], [
    p('fmt', 'format', 0, formatCells('fmt')),
    p(
      'src',
      'array',
      1,
      arrayCells('src', { shared: sameAs(() => encodeArray('float16', f32(1, 0.1))), empty: is(new Uint16Array(0)) }),
      {
        values: {
          'wrong typed array': () => u16(1, 2),
          detached: () => detached(f32(1, 2)),
          shared: () => shared(Float32Array, [1, 0.1]),
          empty: () => [],
        },
      },
    ),
    p('opts', 'opts', 2, optsCells(is(u16(0x3c00, 0x4000)))),
    outRow(2, u16(0x3c00, 0x4000), { Out: Uint16Array, Wrong: Uint8Array, Long: Uint16Array, Shared: Uint16Array }, () => {
      const { src, out } = overlapping(Float32Array, [1, 2], Uint16Array, 4, 2);
      return ['float16', src, { out }];
    }),
  ]),
  ...rowsOf('decodeArray', decodeArray, () => ['float6_e2m3fn', u8(8, 40)], [
    p('fmt', 'format', 0, formatCells('fmt')),
    p(
      'codes',
      'codes',
      1,
      {
        ...numberCells({ NaN: T, Infinity: T, '-Infinity': T, '-0': T }),
        'wrong typed array': T,
        'code out of range': RN('codes[1] must be an integer in [0, 63]'),
        detached: TN('the buffer of codes is detached'),
        shared: sameAs(() => decodeArray('float6_e2m3fn', u8(8, 40))),
        empty: is(new Float32Array(0)),
      },
      {
        values: {
          'wrong typed array': () => u16(8, 40),
          'code out of range': () => u8(8, 64),
          detached: () => detached(u8(8, 40)),
          shared: () => shared(Uint8Array, [8, 40]),
          empty: () => new Uint8Array(0),
        },
      },
    ),
    p('opts', 'opts', 2, optsCells(is(f32(1, -1)), NO_ROUNDING)),
    outRow(2, f32(1, -1), { Out: Float32Array, Wrong: Uint16Array, Long: Float64Array, Shared: Float64Array }, () => {
      const { src, out } = overlapping(Uint8Array, [8, 40], Float32Array, 0, 2);
      return ['float6_e2m3fn', src, { out }];
    }),
  ]),
  ...rowsOf('roundArray', roundArray, () => ['float16', f32(1 / 3, 2)], [
    p('fmt', 'format', 0, formatCells('fmt')),
    p('src', 'array', 1, arrayCells('src', { shared: sameAs(() => roundArray('float16', f32(1 / 3, 2))), empty: is([]) }), {
      values: {
        'wrong typed array': () => u16(1, 2),
        detached: () => detached(f32(1, 2)),
        shared: () => shared(Float32Array, [1 / 3, 2]),
        empty: () => [],
      },
    }),
    p('opts', 'opts', 2, optsCells(is(f32(0.333251953125, 2)))),
    outRow(
      2,
      f32(0.333251953125, 2),
      { Out: Float32Array, Wrong: Float64Array, Long: Float32Array, Shared: Float32Array },
      () => {
        const { src, out } = overlapping(Float32Array, [1 / 3, 2], Float32Array, 4, 2);
        return ['float16', src, { out }];
      },
    ),
  ]),
  ...rowsOf('checkRange', checkRange, () => ['float16', [1, 1e5]], [
    p('fmt', 'format', 0, formatCells('fmt')),
    p(
      'src',
      'array',
      1,
      arrayCells('src', {
        shared: sameAs(() => checkRange('float16', f32(1, 1e5))),
        empty: returns((r) =>
          expect(r).toMatchObject({ count: 0, overflow: 0, maxAbs: 0, minAbsNonzero: Infinity, firstOverflow: -1 }),
        ),
      }),
      {
        values: {
          'wrong typed array': () => u16(1, 2),
          detached: () => detached(f32(1, 2)),
          shared: () => shared(Float32Array, [1, 1e5]),
          empty: () => [],
        },
      },
    ),
    p('opts', 'opts', 2, optsCells(returns((r) => expect(r).toMatchObject({ count: 2, overflow: 1, firstOverflow: 1 })))),
  ]),
  ...rowsOf('createRangeCheck', createRangeCheck, () => ['float16'], [
    p('fmt', 'format', 0, formatCells('fmt')),
    p('opts', 'opts', 1, optsCells(returns((c: RangeCheck) => expect(c.add([1e5]).report().overflow).toBe(1)))),
  ]),
  ...rowsOf(
    'RangeCheck.add',
    (c: RangeCheck, chunk) => c.add(chunk).report(),
    () => [createRangeCheck('float16').add([1]), [1e5]],
    [
      p(
        'chunk',
        'array',
        1,
        arrayCells('chunk', {
          shared: returns((r) => expect(r).toMatchObject({ count: 2, overflow: 1, firstOverflow: 1 }), ['0']),
          empty: returns((r) => expect(r).toMatchObject({ count: 1, overflow: 0 }), ['0']),
        }),
        {
          values: {
            'wrong typed array': () => u16(1, 2),
            detached: () => detached(f32(1, 2)),
            shared: () => shared(Float64Array, [1e5]),
            empty: () => [],
          },
        },
      ),
    ],
  ),
  ...rowsOf('getFloat', getFloat, () => [dataView(0x3c, 0x00), 0, 'float16'], [
    p(
      'view',
      'codes',
      0,
      {
        ...objectCells(T),
        'wrong typed array': T,
        'code out of range': RN('the code at byteOffset 0 must be an integer in [0, 15]'),
        detached: TN('the buffer of view is detached'),
        shared: is(1),
        empty: RN('byteOffset 0 is out of range'),
      },
      {
        values: {
          'wrong typed array': () => u8(0x3c, 0),
          detached: () => detached(dataView(0x3c, 0)),
          shared: () => new DataView(shared(Uint8Array, [0x3c, 0]).buffer),
          empty: () => new DataView(new ArrayBuffer(0)),
        },
        argsFor: { 'code out of range': () => [dataView(0xff), 0, 'float4_e2m1fn'] },
      },
    ),
    p('byteOffset', 'integer', 1, integerCells(is(1))),
    p('fmt', 'format', 2, formatCells('fmt')),
    p('littleEndian', 'boolean', 3, booleanCells(is(1))),
  ]),
  ...rowsOf('setFloat', setFloat, () => [new DataView(new ArrayBuffer(2)), 0, 'float16', 1], [
    p(
      'view',
      'array',
      0,
      {
        ...objectCells(T),
        'wrong typed array': T,
        detached: TN('the buffer of view is detached'),
        shared: stored(0x3c00),
        empty: RN('byteOffset 0 is out of range'),
      },
      {
        values: {
          'wrong typed array': () => new Uint8Array(2),
          detached: () => detached(new DataView(new ArrayBuffer(2))),
          shared: () => new DataView(new SharedArrayBuffer(2)),
          empty: () => new DataView(new ArrayBuffer(0)),
        },
      },
    ),
    p('byteOffset', 'integer', 1, integerCells(stored(0x3c00))),
    p('fmt', 'format', 2, formatCells('fmt')),
    p(
      'value',
      'number',
      3,
      numberCells({
        NaN: stored(0x7e00),
        Infinity: stored(0x7c00),
        '-Infinity': stored(0xfc00),
        '-0': stored(0x8000),
      }),
    ),
    p('littleEndian', 'boolean', 4, booleanCells(stored(0x3c00))),
    p('opts', 'opts', 5, optsCells(stored(0x3c00))),
  ]),
  ...rowsOf('toFloat16Array', toFloat16Array, () => [u16(0x3c00, 0xc000)], [
    p(
      'codes',
      'array',
      0,
      {
        ...objectCells(T),
        'wrong typed array': T,
        detached: TN('the buffer of codes is detached'),
        shared: returns((r, a) => expect([r[0], r[1], r.buffer === a[0].buffer]).toStrictEqual([1, -2, true])),
        empty: returns((r) => expect(r.length).toBe(0)),
      },
      {
        values: {
          'wrong typed array': () => Int16Array.of(0x3c00),
          detached: () => detached(u16(0x3c00)),
          shared: () => shared(Uint16Array, [0x3c00, 0xc000]),
          empty: () => new Uint16Array(0),
        },
      },
    ),
  ]),
  ...rowsOf('fromFloat16Array', fromFloat16Array, () => [toFloat16Array(u16(0x3c00))], [
    p(
      'arr',
      'array',
      0,
      {
        ...objectCells(T),
        'wrong typed array': T,
        detached: TN('the buffer of arr is detached'),
        shared: returns((r, a) => expect([r, r.buffer === a[0].buffer]).toStrictEqual([u16(0x3c00), true])),
        empty: is(new Uint16Array(0)),
      },
      {
        values: {
          'wrong typed array': () => u16(0x3c00),
          detached: () => detached(toFloat16Array(u16(0x3c00))),
          shared: () => toFloat16Array(shared(Uint16Array, [0x3c00])),
          empty: () => toFloat16Array(new Uint16Array(0)),
        },
      },
    ),
  ]),
];

/** MX block formats, packing and quantization. */
const MX_ROWS: Row[] = [
  ...rowsOf('mxFormat', mxFormat, () => ['mxfp4'], [p('blockFormat', 'format', 0, formatCells('blockFormat'))]),
  // a type guard: any value is a question, never an error; nothing but an MxFormat is one
  ...rowsOf('isFormat', isFormat, () => [format('float16')], [
    p('x', 'format', 0, Object.fromEntries([...UNIVERSAL, 'unknown name'].map((k) => [k, is(false)]))),
  ]),
  ...rowsOf('isMxFormat', isMxFormat, () => [mxFormat('mxfp4')], [
    p('dtype', 'format', 0, Object.fromEntries([...UNIVERSAL, 'unknown name'].map((k) => [k, is(false)]))),
  ]),
  ...rowsOf('defineMxFormat', defineMxFormat, () => [{ element: 'float4_e2m1fn', blockSize: 16 }], [
    p('spec', 'object', 0, objectCells(RN('unknown field "valueOf"'))),
    p('element', 'format', [0, 'element'], formatCells('element')),
    p(
      'blockSize',
      'integer',
      [0, 'blockSize'],
      integerCells(
        R,
        returns((f) => expect(f.bitsPerElement).toBe(4.25)),
      ),
    ),
    p('name', 'text', [0, 'name'], {
      ...numberCells(
        { NaN: T, Infinity: T, '-Infinity': T, '-0': T },
        returns((f) => expect(f.name).toBe('mx_float4_e2m1fn_16')),
      ),
      string: returns((f) => expect(f.name).toBe('1')),
    }),
  ]),
  ...rowsOf('packCodes', packCodes, () => ['float4_e2m1fn', u8(1, 2, 3)], [
    p('fmt', 'format', 0, formatCells('fmt')),
    p(
      'codes',
      'codes',
      1,
      {
        ...objectCells(T),
        'wrong typed array': T,
        'code out of range': RN('codes[1] must be an integer in [0, 15]'),
        detached: TN('the buffer of codes is detached'),
        shared: is(u8(33, 3)),
        empty: is(new Uint8Array(0)),
      },
      {
        values: {
          'wrong typed array': () => u16(1, 2, 3),
          'code out of range': () => u8(1, 16),
          detached: () => detached(u8(1, 2, 3)),
          shared: () => shared(Uint8Array, [1, 2, 3]),
          empty: () => new Uint8Array(0),
        },
      },
    ),
  ]),
  ...rowsOf('unpackCodes', unpackCodes, () => ['float4_e2m1fn', u8(33, 3), 3], [
    p('fmt', 'format', 0, formatCells('fmt')),
    p(
      'bytes',
      'array',
      1,
      {
        ...objectCells(T),
        'wrong typed array': T,
        detached: TN('the buffer of bytes is detached'),
        shared: is(u8(1, 2, 3)),
        empty: RN('bytes has 0 bytes'),
      },
      {
        values: {
          'wrong typed array': () => u16(33, 3),
          detached: () => detached(u8(33, 3)),
          shared: () => shared(Uint8Array, [33, 3]),
          empty: () => new Uint8Array(0),
        },
      },
    ),
    p('length', 'integer', 2, integerCells(is(new Uint8Array(0)))),
  ]),
  ...rowsOf('mxQuantize', mxQuantize, () => ['mxfp4_e2m1', f32(1, -2, 0.75, 5)], [
    p(
      'src',
      'array',
      1,
      arrayCells('src', {
        shared: sameAs(() => mxQuantize('mxfp4_e2m1', f32(1, -2, 0.75, 5))),
        empty: returns((q) =>
          expect([q.length, q.scales, q.codes, q.nbytes]).toStrictEqual([0, new Uint8Array(0), new Uint8Array(0), 0]),
        ),
      }),
      {
        values: {
          'wrong typed array': () => u16(1, 2),
          detached: () => detached(f32(1, 2)),
          shared: () => shared(Float32Array, [1, -2, 0.75, 5]),
          empty: () => [],
        },
      },
    ),
    p('blockFormat', 'format', 0, formatCells('blockFormat')),
    p('opts', 'opts', 2, optsCells(returns((q) => expect([q.scales, q.codes]).toStrictEqual([u8(127), u8(194, 98)])))),
    p('opts.nonFinite', 'choice', [2, 'nonFinite'], choiceCells(returns((q) => expect(q.codes).toStrictEqual(u8(194, 98)))), {
      values: { 'unknown name': () => 'skip' },
    }),
  ]),
  ...rowsOf('mxDequantize', mxDequantize, () => [mxfp4Block()], [
    p('q', 'object', 0, { ...objectCells(TN('q.blockFormat must be'), TN('q.blockFormat must be')) }),
    p('q.blockFormat', 'format', [0, 'blockFormat'], formatCells('q.blockFormat')),
    p('q.length', 'integer', [0, 'length'], integerCells(RN('q.scales has 1 bytes'))),
    ...(['scales', 'codes'] as const).map((field) =>
      p(
        `q.${field}`,
        'array',
        [0, field],
        {
          ...objectCells(T),
          'wrong typed array': T,
          detached: TN(`the buffer of q.${field} is detached`),
          shared: is(f32(1, -2, 1, 4)),
          empty: RN(`q.${field} has 0 bytes`),
        },
        {
          values: {
            'wrong typed array': () => Uint16Array.from(mxfp4Block()[field]),
            detached: () => detached(mxfp4Block()[field]),
            shared: () => shared(Uint8Array, mxfp4Block()[field]),
            empty: () => new Uint8Array(0),
          },
        },
      ),
    ),
    p('opts', 'opts', 1, optsCells(is(f32(1, -2, 1, 4)), NO_ROUNDING)),
    outRow(1, f32(1, -2, 1, 4), { Out: Float32Array, Wrong: Uint8Array, Long: Float32Array, Shared: Float64Array }, () => {
      const { src: codes, out } = overlapping(Uint8Array, [194, 98], Float32Array, 0, 4);
      return [{ ...mxfp4Block(), codes }, { out }];
    }),
  ]),
  ...rowsOf('mxReport', mxReport, () => [f32(1, -2, 0.75, 5), mxfp4Block()], [
    p(
      'src',
      'array',
      0,
      arrayCells('src', {
        shared: sameAs(() => mxReport(f32(1, -2, 0.75, 5), mxfp4Block())),
        empty: RN('src has 0 elements, q has 4'),
      }),
      {
        values: {
          'wrong typed array': () => u16(1, 2),
          detached: () => detached(f32(1, 2)),
          shared: () => shared(Float32Array, [1, -2, 0.75, 5]),
          empty: () => [],
        },
      },
    ),
    p('q', 'object', 1, { ...objectCells(TN('q.blockFormat must be'), TN('q.blockFormat must be')) }),
  ]),
];

const t12 = () => Tensor.from([1, 2]);
/** The tensor ops' shared rows: `opts` and `opts.dtype`. */
const opRows = (
  fn: string,
  call: (...a: any[]) => unknown,
  args: () => unknown[],
  at: number,
  result: Outcome,
  more: Param[],
): Row[] =>
  rowsOf(fn, call, args, [
    ...more,
    p('opts', 'opts', at, optsCells(result)),
    p('opts.dtype', 'format', [at, 'dtype'], formatCells('opts.dtype', result)),
  ]);

/** Tensor: its constructor, factories and methods. */
const TENSOR_ROWS: Row[] = [
  ...rowsOf(
    'new Tensor',
    (s, shape) => new Tensor(s, shape),
    () => [Tensor.from([1]).storage, [1]],
    [p('storage', 'object', 0, objectCells(TN('storage must be'), TN('storage must be')))],
  ),
  ...rowsOf('Tensor.from', Tensor.from, () => [[1, 2]], [
    p('values', 'array', 0, arrayCells('values', { shared: tensor('float32', [2], [1, 2]), empty: tensor('float32', [0], []) }), {
      values: {
        'wrong typed array': () => Int32Array.of(1, 2),
        detached: () => detached(f32(1, 2)),
        shared: () => shared(Float32Array, [1, 2]),
        empty: () => [],
      },
    }),
    p('opts', 'opts', 1, optsCells(tensor('float32', [2], [1, 2]))),
    p('opts.dtype', 'format', [1, 'dtype'], formatCells('opts.dtype', tensor('float32', [2], [1, 2]))),
    p(
      'opts.shape',
      'list',
      [1, 'shape'],
      {
        ...objectCells(T, TN('opts.shape[0]')),
        undefined: tensor('float32', [2], [1, 2]),
        'wrong typed array': T,
        empty: RN('opts.shape [] holds 1 elements'),
      },
      { values: { 'wrong typed array': () => Int32Array.of(2), empty: () => [] } },
    ),
  ]),
  ...(['zeros', 'ones'] as const).flatMap((name) => {
    const fill = name === 'zeros' ? 0 : 1;
    return rowsOf(`Tensor.${name}`, Tensor[name], () => [[2]], [
      p(
        'shape',
        'list',
        0,
        { ...objectCells(T, TN('shape[0]')), 'wrong typed array': T, empty: tensor('float32', [], [fill]) },
        {
          values: { 'wrong typed array': () => Int32Array.of(2), empty: () => [] },
        },
      ),
      p('opts', 'opts', 1, optsCells(tensor('float32', [2], [fill, fill]), NO_ROUNDING)),
      p('opts.dtype', 'format', [1, 'dtype'], formatCells('opts.dtype', tensor('float32', [2], [fill, fill]))),
    ]);
  }),
  ...rowsOf('Tensor.randn', Tensor.randn, () => [[2]], [
    p(
      'shape',
      'list',
      0,
      { ...objectCells(T, TN('shape[0]')), 'wrong typed array': T, empty: returns((t) => expect(t.shape).toEqual([])) },
      {
        values: { 'wrong typed array': () => Int32Array.of(2), empty: () => [] },
      },
    ),
    p(
      'opts',
      'opts',
      1,
      optsCells(
        returns((t) => expect(t.toArray()).toStrictEqual(Tensor.randn([2], { seed: 0 }).toArray())),
        NO_ROUNDING,
      ),
    ),
    p(
      'opts.seed',
      'integer',
      [1, 'seed'],
      integerCells(
        returns((t) => expect(t.toArray()).toStrictEqual(Tensor.randn([2], { seed: 0 }).toArray())),
        returns((t) => expect(t.toArray()).toStrictEqual(Tensor.randn([2], { seed: 0 }).toArray())),
      ),
    ),
  ]),
  ...rowsOf(
    'Tensor.to',
    (t, dtype, opts) => t.to(dtype, opts),
    () => [Tensor.from([1 / 3]), 'bfloat16'],
    [p('dtype', 'format', 1, formatCells('dtype')), p('opts', 'opts', 2, optsCells(tensor('bfloat16', [1], [0.333984375])))],
  ),
  ...rowsOf(
    'Tensor.reshape',
    (t, shape) => t.reshape(shape),
    () => [Tensor.zeros([2, 2]), [4]],
    [
      p(
        'shape',
        'list',
        1,
        {
          ...objectCells(T, TN('shape[0]')),
          'wrong typed array': T,
          empty: RN('cannot reshape a tensor of shape [2, 2] (4 elements) into []'),
        },
        {
          values: { 'wrong typed array': () => Int32Array.of(4), empty: () => [] },
        },
      ),
    ],
  ),
  ...(['add', 'sub', 'mul'] as const).flatMap((name) => {
    const minusZero = { add: [1, 2], sub: [1, 2], mul: [-0, -0] }[name];
    const at1 = { add: [2, 3], sub: [0, 1], mul: [1, 2] }[name];
    return opRows(
      `Tensor.${name}`,
      (t, other, opts) => t[name](other, opts),
      () => [t12(), 1],
      2,
      tensor('float32', [2], at1),
      [
        p('other', 'number', 1, {
          ...numberCells({
            NaN: tensor('float32', [2], [NaN, NaN]),
            Infinity: tensor('float32', [2], name === 'sub' ? [-Infinity, -Infinity] : [Infinity, Infinity]),
            '-Infinity': tensor('float32', [2], name === 'sub' ? [Infinity, Infinity] : [-Infinity, -Infinity]),
            '-0': tensor('float32', [2], minusZero),
          }),
        }),
      ],
    );
  }),
  ...opRows(
    'Tensor.matmul',
    (t, other, opts) => t.matmul(other, opts),
    () => [Tensor.from([[1, 2]]), Tensor.from([[3], [4]])],
    2,
    tensor('float32', [1, 1], [11]),
    [p('other', 'object', 1, objectCells(T))],
  ),
  ...rowsOf(
    'Tensor.matmul',
    (t, other, opts) => t.matmul(other, opts),
    () => [Tensor.from([[1, 2]]), Tensor.from([[3], [4]])],
    [
      p('opts.accumulate', 'choice', [2, 'accumulate'], choiceCells(tensor('float32', [1, 1], [11])), {
        values: { 'unknown name': () => 'float16' },
      }),
    ],
  ),
  ...(['sum', 'mean'] as const).flatMap((name) => {
    const all = name === 'sum' ? 10 : 2.5;
    const byColumn = name === 'sum' ? [4, 6] : [2, 3];
    return opRows(
      `Tensor.${name}`,
      (t, dim, opts) => t[name](dim, opts),
      () => [
        Tensor.from([
          [1, 2],
          [3, 4],
        ]),
      ],
      2,
      tensor('float32', [], [all]),
      [p('dim', 'integer', 1, integerCells(tensor('float32', [2], byColumn), tensor('float32', [], [all])))],
    );
  }),
  ...(['relu', 'exp', 'log'] as const).flatMap((name) =>
    opRows(
      `Tensor.${name}`,
      (t, opts) => t[name](opts),
      () => [Tensor.from([1])],
      1,
      tensor('float32', [1], [{ relu: 1, exp: Math.fround(Math.E), log: 0 }[name]]),
      [],
    ),
  ),
  ...(['softmax', 'logSoftmax'] as const).flatMap((name) => {
    const half = name === 'softmax' ? [0.5, 0.5] : [Math.fround(-Math.LN2), Math.fround(-Math.LN2)];
    return opRows(
      `Tensor.${name}`,
      (t, dim, opts) => t[name](dim, opts),
      () => [Tensor.from([[0, 0]])],
      2,
      tensor('float32', [1, 2], half),
      [
        p(
          'dim',
          'integer',
          1,
          integerCells(tensor('float32', [1, 2], name === 'softmax' ? [1, 1] : [0, 0]), tensor('float32', [1, 2], half)),
        ),
      ],
    );
  }),
  ...opRows(
    'Tensor.crossEntropy',
    (t, targets, opts) => t.crossEntropy(targets, opts),
    () => [
      Tensor.from([
        [0, 0],
        [0, 0],
      ]),
      [0, 1],
    ],
    2,
    tensor('float32', [], [Math.fround(Math.LN2)]),
    [
      p(
        'targets',
        'array',
        1,
        {
          ...arrayCells('targets', { shared: tensor('float32', [], [Math.fround(Math.LN2)]), empty: RN('targets has length 0') }),
          'wrong typed array': TN('targets[0]'),
        },
        {
          values: {
            'wrong typed array': () => BigInt64Array.of(0n, 1n),
            detached: () => detached(Int32Array.of(0, 1)),
            shared: () => shared(Int32Array, [0, 1]),
            empty: () => [],
          },
        },
      ),
    ],
  ),
  ...rowsOf(
    'Tensor.crossEntropy',
    (t, targets, opts) => t.crossEntropy(targets, opts),
    () => [
      Tensor.from([
        [0, 0],
        [0, 0],
      ]),
      [0, 1],
    ],
    [
      p('opts.reduction', 'choice', [2, 'reduction'], choiceCells(tensor('float32', [], [Math.fround(Math.LN2)])), {
        values: { 'unknown name': () => 'max' },
      }),
    ],
  ),
  ...rowsOf('promoteTypes', promoteTypes, () => ['float16', 'bfloat16'], [
    p('a', 'format', 0, formatCells('a')),
    p('b', 'format', 1, formatCells('b')),
  ]),
];
const hasBlockSize = (n: number) => returns((s) => expect(s.blockSize).toBe(n));
const hasHistory = (n: number) => returns((r) => expect(r.amaxHistoryLen).toBe(n));

/** A per-tensor E4M3 quantization of [1, −2, 0.5, 112]: the scale 448 / 112 = 4, every value exact. */
const e4m3Scaled = () => scaledQuantize({ element: 'float8_e4m3fn' }, f32(1, -2, 0.5, 112));
const e4m3Values = () => scaledDequantize(e4m3Scaled()) as Float32Array;
/** The `src` row of a function that reads an array of numbers at argument `at`. */
const srcRow = (at: number, shared: Outcome, empty: Outcome, values = [1, -2, 0.5, 112]): Param =>
  p('src', 'array', at, arrayCells('src', { shared, empty }), {
    values: {
      'wrong typed array': () => u16(1, 2),
      detached: () => detached(f32(1, 2)),
      shared: () => shared_(Float32Array, values),
      empty: () => [],
    },
  });
const shared_ = shared;
const hasLength = (n: number) => returns((q) => expect(q.length).toBe(n));
const scaledQ = () => [{ element: 'float8_e4m3fn' }, f32(1, -2, 0.5, 112)];
/** The same scales and codes as `reference` gives (a recipe's scheme holds a fresh rule each call). */
const sameCodes = (reference: () => { scales: unknown; codes: unknown }) =>
  returns((q) => expect([q.scales, q.codes]).toStrictEqual([reference().scales, reference().codes]));

/** Scaled quantization and the FP8 recipes. */
const SCALED_ROWS: Row[] = [
  ...rowsOf('scaledScheme', scaledScheme, () => [{ element: 'float8_e4m3fn' }], [
    p('spec', 'object', 0, objectCells(RN('unknown field "valueOf"'))),
    p('spec.element', 'format', [0, 'element'], formatCells('spec.element')),
    p('spec.granularity', 'choice', [0, 'granularity'], choiceCells(hasBlockSize(128)), {
      values: { 'unknown name': () => 'tile' },
    }),
    p('spec.blockSize', 'integer', [0, 'blockSize'], integerCells(RN('spec.blockSize'), hasBlockSize(128))),
    p('spec.scaleFormat', 'format', [0, 'scaleFormat'], formatCells('spec.scaleFormat', hasBlockSize(128))),
    p('spec.rule', 'choice', [0, 'rule'], choiceCells(hasBlockSize(128)), { values: { 'unknown name': () => 'max' } }),
    p('spec.margin', 'integer', [0, 'margin'], integerCells(hasBlockSize(128), hasBlockSize(128))),
  ]),
  ...rowsOf('scaledQuantize', scaledQuantize, scaledQ, [
    srcRow(1, sameAs(e4m3Scaled), hasLength(0)),
    p('scheme', 'object', 0, objectCells(RN('unknown field "valueOf"'))),
    p('opts', 'opts', 2, optsCells(is(e4m3Scaled()))),
    p(
      'opts.shape',
      'list',
      [2, 'shape'],
      {
        ...objectCells(T, TN('opts.shape[0]')),
        undefined: is(e4m3Scaled()),
        'wrong typed array': T,
        empty: RN('opts.shape [] holds 1 elements'),
      },
      { values: { 'wrong typed array': () => Int32Array.of(4), empty: () => [] } },
    ),
    p('opts.nonFinite', 'choice', [2, 'nonFinite'], choiceCells(is(e4m3Scaled())), { values: { 'unknown name': () => 'skip' } }),
  ]),
  ...rowsOf('scaledDequantize', scaledDequantize, () => [e4m3Scaled()], [
    p('q', 'object', 0, objectCells(TN('q.scheme'))),
    p('opts', 'opts', 1, optsCells(is(e4m3Values()), NO_ROUNDING)),
    outRow(1, e4m3Values(), { Out: Float32Array, Wrong: Uint8Array, Long: Float32Array, Shared: Float64Array }, () => {
      const q = e4m3Scaled();
      const { src: codes, out } = overlapping(Uint8Array, [...q.codes], Float32Array, 0, 4);
      return [{ ...q, codes }, { out }];
    }),
  ]),
  ...rowsOf('scaledReport', scaledReport, () => [f32(1, -2, 0.5, 112), e4m3Scaled()], [
    srcRow(
      0,
      sameAs(() => scaledReport(f32(1, -2, 0.5, 112), e4m3Scaled())),
      RN('src has 0 elements, q has 4'),
    ),
    p('q', 'object', 1, objectCells(TN('q.scheme'))),
  ]),
  ...rowsOf('fp8Element', fp8Element, () => ['hybrid', 'forward'], [
    p('fp8Format', 'choice', 0, choiceCells(T), { values: { 'unknown name': () => 'e3m4' } }),
    p('role', 'choice', 1, choiceCells(T), { values: { 'unknown name': () => 'sideways' } }),
  ]),
  ...rowsOf(
    'new Float8CurrentScaling',
    (o) => new Float8CurrentScaling(o),
    () => [{}],
    [
      p(
        'opts',
        'opts',
        0,
        optsCells(
          returns((r) => expect(r.fp8Format).toBe('hybrid')),
          NO_ROUNDING,
        ),
      ),
      p('opts.fp8Format', 'choice', [0, 'fp8Format'], choiceCells(returns((r) => expect(r.fp8Format).toBe('hybrid'))), {
        values: { 'unknown name': () => 'e3m4' },
      }),
    ],
  ),
  ...rowsOf(
    'Float8CurrentScaling.quantize',
    (r, src, role, opts) => r.quantize(src, role, opts),
    () => [new Float8CurrentScaling(), f32(1, -4), 'forward'],
    [
      srcRow(
        1,
        sameCodes(() => new Float8CurrentScaling().quantize(f32(1, -4), 'forward')),
        hasLength(0),
        [1, -4],
      ),
      p('role', 'choice', 2, choiceCells(T), { values: { 'unknown name': () => 'sideways' } }),
      p('opts', 'opts', 3, optsCells(hasLength(2))),
    ],
  ),
  ...rowsOf(
    'new DelayedScaling',
    (o) => new DelayedScaling(o),
    () => [{}],
    [
      p('opts', 'opts', 0, optsCells(hasHistory(1024), NO_ROUNDING)),
      p('opts.margin', 'integer', [0, 'margin'], integerCells(hasHistory(1024), hasHistory(1024))),
      p('opts.fp8Format', 'choice', [0, 'fp8Format'], choiceCells(hasHistory(1024)), {
        values: { 'unknown name': () => 'e3m4' },
      }),
      p('opts.amaxHistoryLen', 'integer', [0, 'amaxHistoryLen'], integerCells(RN('opts.amaxHistoryLen'), hasHistory(1024))),
      p('opts.amaxComputeAlgo', 'choice', [0, 'amaxComputeAlgo'], choiceCells(hasHistory(1024)), {
        values: { 'unknown name': () => 'mean' },
      }),
    ],
  ),
  ...rowsOf(
    'DelayedScaling.scaler',
    (d, role) => d.scaler(role),
    () => [new DelayedScaling(), 'forward'],
    [p('role', 'choice', 1, choiceCells(T), { values: { 'unknown name': () => 'sideways' } })],
  ),
  ...rowsOf(
    'DelayedScaler.quantize',
    (x, src, opts) => x.quantize(src, opts),
    () => [new DelayedScaling().scaler('forward'), f32(1, -4)],
    [
      srcRow(
        1,
        sameCodes(() => new DelayedScaling().scaler('forward').quantize(f32(1, -4))),
        hasLength(0),
        [1, -4],
      ),
      p('opts', 'opts', 2, optsCells(hasLength(2))),
    ],
  ),
];

/** Mixed precision: policies, master weights, the loss scaler, the memory estimate. */
const AMP_ROWS: Row[] = [
  ...rowsOf('precisionPolicy', precisionPolicy, () => ['16-mixed'], [
    p('precision', 'choice', 0, choiceCells(T), { values: { 'unknown name': () => '8-mixed' } }),
  ]),
  ...rowsOf(
    'new MasterWeights',
    (initial, opts) => new MasterWeights(initial, opts),
    () => [[Tensor.from([1 / 3])]],
    [
      p(
        'initial',
        'list',
        0,
        { ...objectCells(T, TN('initial[0]')), 'wrong typed array': T, empty: returns((mw) => expect(mw.params).toEqual([])) },
        {
          values: { 'wrong typed array': () => f32(1), empty: () => [] },
        },
      ),
      p(
        'opts',
        'opts',
        1,
        optsCells(
          returns((mw) => expect(mw.policy.name).toBe('32-true')),
          NO_ROUNDING,
        ),
      ),
      p('opts.precision', 'choice', [1, 'precision'], choiceCells(returns((mw) => expect(mw.policy.name).toBe('32-true'))), {
        values: { 'unknown name': () => '8-mixed' },
      }),
    ],
  ),
  ...rowsOf(
    'MasterWeights.toParamGrads',
    (mw, grads) => mw.toParamGrads(grads),
    () => [new MasterWeights([Tensor.zeros([2])], { precision: 'bf16-mixed' }), [Tensor.from([1, 2], { dtype: 'bf16' })]],
    [
      p(
        'grads',
        'list',
        1,
        { ...objectCells(T, TN('grads[0]')), 'wrong typed array': T, empty: RN('grads has 0 entries') },
        {
          values: { 'string[]': () => ['1'], 'wrong typed array': () => f32(1, 2), empty: () => [] },
        },
      ),
    ],
  ),
  ...rowsOf(
    'new GradScaler',
    (opts) => new GradScaler(opts),
    () => [{}],
    [
      p(
        'opts',
        'opts',
        0,
        optsCells(
          returns((s) => expect(s.getScale()).toBe(65536)),
          NO_ROUNDING,
        ),
      ),
      ...(['initScale', 'growthFactor', 'backoffFactor', 'maxScale', 'minScale'] as const).map((name) =>
        p(
          `opts.${name}`,
          'number',
          [0, name],
          numberCells(
            { NaN: R, Infinity: R, '-Infinity': R, '-0': R },
            returns((s) => expect(s.getScale()).toBe(65536)),
          ),
        ),
      ),
      p(
        'opts.growthInterval',
        'integer',
        [0, 'growthInterval'],
        integerCells(
          R,
          returns((s) => expect(s.stateDict().growthInterval).toBe(2000)),
        ),
      ),
      p('opts.enabled', 'boolean', [0, 'enabled'], booleanCells(returns((s) => expect(s.isEnabled()).toBe(true)))),
    ],
  ),
  ...rowsOf(
    'GradScaler.scale',
    (s, loss) => s.scale(loss),
    () => [new GradScaler(), 1],
    [
      p('loss', 'number', 1, {
        ...numberCells({ NaN: is(NaN), Infinity: is(Infinity), '-Infinity': is(-Infinity), '-0': is(-0) }),
      }),
    ],
  ),
  ...rowsOf(
    'GradScaler.unscale',
    (s, grads) => s.unscale(grads),
    () => [scaledScaler(), [f32(4, 8)]],
    [
      p(
        'grads',
        'gradients',
        1,
        {
          ...objectCells(T, TN('grads[0]')),
          'wrong typed array': T,
          detached: TN('the buffer of grads[0] is detached'),
          shared: returns((_r, a) => expect(a[1][0]).toStrictEqual(shared(Float32Array, [1, 2])), ['1']),
          overlapping: RN('grads[1] overlaps grads[0]'),
          empty: returns((r) => expect(r).toBe(undefined)),
        },
        {
          values: {
            'wrong typed array': () => f32(4, 8),
            detached: () => [detached(f32(4, 8))],
            shared: () => [shared(Float32Array, [4, 8])],
            empty: () => [],
          },
          argsFor: {
            overlapping: () => {
              const { src, out } = overlapping(Float32Array, [4, 8, 12], Float32Array, 4, 2);
              return [scaledScaler(), [src, out]];
            },
          },
        },
      ),
    ],
  ),
  ...rowsOf(
    'GradScaler.step',
    (s, opt, grads) => s.step(opt, grads),
    () => [scaledScaler(), sgd(), [f32(4, 8)]],
    [
      p('optimizer', 'object', 1, objectCells(T)),
      p(
        'grads',
        'gradients',
        2,
        {
          ...objectCells(T, TN('grads[0]')),
          'wrong typed array': T,
          detached: TN('the buffer of grads[0] is detached'),
          shared: returns(
            (r, a) => expect([r, a[1].params[0].toArray(), [...a[2][0]]]).toStrictEqual([true, [0, -1], [1, 2]]),
            ['0', '1', '2'],
          ),
          overlapping: RN('grads[1] overlaps grads[0]'),
          empty: RN('grads has 0 entries'),
        },
        {
          values: {
            'string[]': () => ['1'],
            'wrong typed array': () => f32(4, 8),
            detached: () => [detached(f32(4, 8))],
            shared: () => [shared(Float32Array, [4, 8])],
            empty: () => [],
          },
          argsFor: {
            overlapping: () => {
              const { src, out } = overlapping(Float32Array, [4, 8, 12], Float32Array, 4, 2);
              return [scaledScaler(), new SGD([Tensor.zeros([3]), Tensor.zeros([2])]), [src, out]];
            },
          },
        },
      ),
    ],
  ),
  ...rowsOf(
    'GradScaler.update',
    (s, newScale) => s.update(newScale),
    () => [checkedScaler(), 8],
    [
      p(
        'newScale',
        'number',
        1,
        numberCells(
          { NaN: R, Infinity: R, '-Infinity': R, '-0': R },
          returns((_r, a) => expect(a[0].getScale()).toBe(4), ['0']),
        ),
      ),
    ],
  ),
  ...rowsOf(
    'GradScaler.loadStateDict',
    (s, state) => s.loadStateDict(state),
    () => [new GradScaler(), new GradScaler({ initScale: 8 }).stateDict()],
    [
      p('state', 'object', 1, objectCells(TN('state.growthTracker'))),
      p(
        'state.scale',
        'number',
        [1, 'scale'],
        numberCells({ NaN: R, Infinity: R, '-Infinity': R, '-0': R }, TN('state must hold scale')),
      ),
      p(
        'state.growthTracker',
        'integer',
        [1, 'growthTracker'],
        integerCells(returns((_r, a) => expect(a[0].getGrowthTracker()).toBe(0), ['0'])),
      ),
    ],
  ),
  ...rowsOf('estimateMemory', estimateMemory, () => [{ parameters: 10 }], [
    p('opts', 'opts', 0, optsCells(TN('opts must be an object'), NO_ROUNDING)),
    p(
      'opts.parameters',
      'integer',
      [0, 'parameters'],
      integerCells(
        returns((m) =>
          expect(m).toStrictEqual({ weights: 0, gradients: 0, master: 0, optimizerState: 0, total: 0, inference: 0 }),
        ),
      ),
    ),
    p('opts.optimizer', 'choice', [0, 'optimizer'], choiceCells(returns((m) => expect(m.total).toBe(160))), {
      values: { 'unknown name': () => 'lion' },
    }),
    p('opts.precision', 'choice', [0, 'precision'], choiceCells(returns((m) => expect(m.total).toBe(160))), {
      values: { 'unknown name': () => '8-mixed' },
    }),
  ]),
];

/** The parameters of a one-tensor model, and a gradient for it. */
const params = () => [Tensor.from([1, 1])];
/** The optimizers: constructors, options and the methods of Optimizer. */
const OPTIM_ROWS: Row[] = [
  ...(
    [
      ['SGD', SGD],
      ['Adam', Adam],
      ['AdamW', AdamW],
    ] as const
  ).flatMap(([name, Ctor]) =>
    rowsOf(
      `new ${name}`,
      (ps, opts) => new Ctor(ps, opts),
      () => [params()],
      [
        p(
          'params',
          'list',
          0,
          { ...objectCells(T, TN('params[0]')), 'wrong typed array': T, empty: returns((o) => expect(o.params).toEqual([])) },
          {
            values: { 'wrong typed array': () => f32(1), empty: () => [] },
          },
        ),
        p(
          'opts',
          'opts',
          1,
          optsCells(
            returns((o) => expect(o.lr).toBe(1e-3)),
            NO_ROUNDING,
          ),
        ),
        p(
          'opts.lr',
          'number',
          [1, 'lr'],
          numberCells(
            { NaN: R, Infinity: R, '-Infinity': R, '-0': returns((o) => expect(o.lr).toBe(0)) },
            returns((o) => expect(o.lr).toBe(1e-3)),
          ),
        ),
        p(
          'opts.weightDecay',
          'number',
          [1, 'weightDecay'],
          numberCells(
            { NaN: R, Infinity: R, '-Infinity': R, '-0': returns((o) => expect(o.weightDecay).toBe(0)) },
            returns((o) => expect(o.weightDecay).toBe(name === 'AdamW' ? 0.01 : 0)),
          ),
        ),
        p(
          'opts.stateDtype',
          'format',
          [1, 'stateDtype'],
          formatCells(
            'opts.stateDtype',
            returns((o) => expect(o.params[0].dtype.name).toBe('float32')),
          ),
        ),
        ...(name === 'SGD'
          ? [
              p(
                'opts.momentum',
                'number',
                [1, 'momentum'],
                numberCells(
                  { NaN: R, Infinity: R, '-Infinity': R, '-0': returns((o) => expect(o.stateNames).toEqual([])) },
                  returns((o) => expect(o.momentum).toBe(0)),
                ),
              ),
              p(
                'opts.dampening',
                'number',
                [1, 'dampening'],
                numberCells(
                  { NaN: R, Infinity: R, '-Infinity': R, '-0': returns((o) => expect(o.dampening).toBe(0)) },
                  returns((o) => expect(o.dampening).toBe(0)),
                ),
              ),
              p('opts.nesterov', 'boolean', [1, 'nesterov'], booleanCells(returns((o) => expect(o.nesterov).toBe(false)))),
            ]
          : [
              p(
                'opts.betas',
                'list',
                [1, 'betas'],
                {
                  ...objectCells(T, TN('opts.betas[0]')),
                  undefined: returns((o) => expect(o.betas).toEqual([0.9, 0.999])),
                  'wrong typed array': T,
                  empty: T,
                },
                {
                  values: { 'wrong typed array': () => Float64Array.of(0.9, 0.999), empty: () => [] },
                },
              ),
              p(
                'opts.eps',
                'number',
                [1, 'eps'],
                numberCells(
                  { NaN: R, Infinity: R, '-Infinity': R, '-0': returns((o) => expect(o.eps).toBe(0)) },
                  returns((o) => expect(o.eps).toBe(1e-8)),
                ),
              ),
            ]),
      ],
    ),
  ),
  ...rowsOf(
    'SGD.stateOf',
    (o, i) => o.stateOf(i),
    () => [sgd(), 0],
    [p('i', 'integer', 1, integerCells(returns((s) => expect(s[0].toArray()).toEqual([0, 0]))))],
  ),
  ...(
    [
      ['SGD', sgd],
      ['Adam', () => new Adam(params())],
    ] as const
  ).flatMap(([name, make]) =>
    rowsOf(
      `${name}.step`,
      (o, grads) => o.step(grads),
      () => [make(), [f32(1, 2)]],
      [
        p(
          'grads',
          'gradients',
          1,
          {
            ...objectCells(T, TN('grads[0]')),
            'wrong typed array': T,
            detached: TN('the buffer of grads[0] is detached'),
            shared: returns((r, a) => expect([r, a[0].steps]).toStrictEqual([true, 1]), ['0']),
            // The optimizer reads its gradients before it writes anything, and never writes them: sharing memory is harmless.
            overlapping: returns((r, a) => expect([r, a[0].steps]).toStrictEqual([true, 1]), ['0']),
            empty: RN('grads has 0 entries'),
          },
          {
            values: {
              'string[]': () => ['1'],
              'wrong typed array': () => f32(1, 2),
              detached: () => [detached(f32(1, 2))],
              shared: () => [shared(Float32Array, [1, 2])],
              empty: () => [],
            },
            argsFor: {
              overlapping: () => {
                const { src, out } = overlapping(Float32Array, [1, 2, 3], Float32Array, 4, 2);
                return [new SGD([Tensor.zeros([3]), Tensor.zeros([2])]), [src, out]];
              },
            },
          },
        ),
      ],
    ),
  ),
  ...rowsOf(
    'SGD.loadStateDict',
    (o, sd) => o.loadStateDict(sd),
    () => {
      const saved = sgd();
      saved.step([f32(1, 2)]);
      return [sgd(), saved.stateDict()];
    },
    [
      p('state', 'object', 1, objectCells(TN('state.steps'))),
      p('state.steps', 'integer', [1, 'steps'], integerCells(returns((_r, a) => expect(a[0].steps).toBe(0), ['0']))),
      p(
        'state.lr',
        'number',
        [1, 'lr'],
        numberCells(
          { NaN: R, Infinity: R, '-Infinity': R, '-0': returns((_r, a) => expect(a[0].lr).toBe(0), ['0']) },
          returns((_r, a) => expect(a[0].lr).toBe(1), ['0']),
        ),
      ),
      p(
        'state.state',
        'list',
        [1, 'state'],
        {
          ...objectCells(T, TN('state.state[0]')),
          'wrong typed array': T,
          empty: RN('state.state must hold 1'),
        },
        { values: { 'string[]': () => ['1'], 'wrong typed array': () => f32(1), empty: () => [] } },
      ),
    ],
  ),
];

const WASM_ROWS: Row[] = [
  ...rowsOf(
    'setWasmMode',
    (mode) => setWasmMode(mode),
    () => ['auto'],
    [p('mode', 'choice', 0, choiceCells(T), { values: { 'unknown name': () => 'sometimes' } })],
  ),
  ...rowsOf(
    'new WasmArena',
    (opts) => new WasmArena(opts),
    () => [{}],
    [
      p(
        'opts',
        'opts',
        0,
        optsCells(
          returns((a) => expect(a).toBeInstanceOf(WasmArena)),
          NO_ROUNDING,
        ),
      ),
      p(
        'opts.bytes',
        'integer',
        [0, 'bytes'],
        integerCells(
          returns((a) => expect(a).toBeInstanceOf(WasmArena)),
          returns((a) => expect(a).toBeInstanceOf(WasmArena)),
        ),
      ),
    ],
  ),
  ...(['float32', 'uint16'] as const).flatMap((kind) =>
    rowsOf(
      `WasmArena.${kind}`,
      (arena, n) => arena[kind](n),
      () => [new WasmArena(), 2],
      [p('n', 'integer', 1, integerCells(returns((a) => expect(a.length).toBe(0))))],
    ),
  ),
  ...(['current', 'release'] as const).flatMap((method) =>
    rowsOf(
      `WasmArena.${method}`,
      (arena, view) => arena[method](view),
      () => {
        const arena = new WasmArena();
        return [arena, arena.float32(1)];
      },
      [p('view', 'object', 1, objectCells(T))],
    ),
  ),
];

const ROWS: Row[] = [...SCALAR_ROWS, ...MX_ROWS, ...SCALED_ROWS, ...TENSOR_ROWS, ...AMP_ROWS, ...OPTIM_ROWS, ...WASM_ROWS];

/** Exported members that take no arguments (so no bad value can reach them), and internal ones. */
const NO_PARAMETERS = [
  'FInfo.toString',
  'Tensor.toFloat32Array',
  'Tensor.toArray',
  'Tensor.item',
  'Tensor.transpose',
  'Tensor.toString',
  'MasterWeights.recast',
  'GradScaler.isEnabled',
  'GradScaler.getScale',
  'GradScaler.getGrowthTracker',
  'GradScaler.stateDict',
  'Optimizer.stateDict',
  'wasmAvailable',
  'WasmArena.releaseAll',
  'DelayedScaler.update',
];
/** @internal members (documented so), not part of the public surface. */
const INTERNAL = ['Tensor.fromValues', 'Optimizer.checkGradients', 'SGD.update', 'AdamBase.update', 'new DelayedScaler'];
/** Abstract classes: constructed only through their subclasses. */
const ABSTRACT = ['Optimizer'];

// ————————————————————————————————————————————————————————————————— the harness

/** A comparable copy of a value: typed arrays and DataViews by their bytes, library objects by their state. */
function snapshot(x: unknown, path: string, writes: readonly string[], seen = new Set<unknown>()): unknown {
  if (writes.includes(path)) return '(documented write)';
  if (x === null || typeof x !== 'object') return x;
  if (seen.has(x)) return '(seen)';
  seen.add(x);
  const at = (k: string | number) => (path === '' ? String(k) : `${path}.${k}`);
  const view = x as { buffer?: unknown; byteOffset?: unknown; byteLength?: unknown };
  if (ArrayBuffer.isView(x) || view.buffer instanceof ArrayBuffer || view.buffer instanceof SharedArrayBuffer) {
    try {
      return `${x.constructor.name} ${Array.from(new Uint8Array(view.buffer as ArrayBuffer, view.byteOffset as number, view.byteLength as number))}`;
    } catch {
      return `${x.constructor.name} (detached)`;
    }
  }
  if (x instanceof Tensor) return { tensor: x.dtype.name, shape: [...x.shape], data: snapshot(x.storage.data, '', []) };
  if (x instanceof Optimizer) return { optimizer: x.stateDict(), params: snapshot(x.params, '', []) };
  if (x instanceof GradScaler) return { scaler: x.stateDict(), enabled: x.isEnabled() };
  if (x instanceof MasterWeights) return { params: snapshot(x.params, '', []), working: snapshot(x.working, '', []) };
  if (Array.isArray(x)) return x.map((v, i) => snapshot(v, at(i), writes, seen));
  return Object.fromEntries(Object.entries(x).map(([k, v]) => [k, snapshot(v, at(k), writes, seen)]));
}

/** The arguments of one cell: the row's valid arguments with the bad value in the parameter's place. */
function argsOf(row: Row, kind: Kind): unknown[] {
  const whole = row.argsFor?.[kind];
  if (whole) return whole();
  const make = row.values?.[kind] ?? TYPE_VALUES[row.type]?.[kind] ?? DEFAULT_VALUES[kind];
  if (!make) throw new Error(`${row.fn} ${row.param}: no value of kind ${kind}`);
  const args = row.args();
  const v = make();
  if (typeof row.at === 'number') {
    args[row.at] = v;
  } else {
    const [i, field] = row.at;
    args[i] = { ...(args[i] as object), [field]: v };
  }
  return args;
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Runs one cell; returns what is wrong with it, or undefined. */
function runCell(row: Row, kind: Kind, outcome: Outcome): string | undefined {
  const args = argsOf(row, kind);
  // An error must leave every argument as it was; a result may change only what it documents writing.
  const writes = ('writes' in outcome && outcome.writes) || [];
  const before = snapshot(args, '', writes);
  let result: unknown;
  let error: unknown;
  try {
    result = row.call(...args);
  } catch (e) {
    error = e;
  }
  try {
    if ('throws' in outcome) {
      if (!(error instanceof outcome.throws)) {
        return `expected a ${outcome.throws.name}, got ${error instanceof Error ? `${error.constructor.name}: ${error.message}` : `a result (${String(result)})`}`;
      }
      const message = error.message;
      const names = outcome.names ?? row.param;
      if (
        !message.startsWith(`${row.fn}: `) ||
        !new RegExp(`(^|[^\\w])${escapeRegExp(names)}`).test(message.slice(row.fn.length + 2))
      ) {
        return `the message should start with "${row.fn}: " and name ${names}: ${message}`;
      }
    } else {
      if (error !== undefined) return `expected a result, got ${(error as Error).constructor?.name}: ${(error as Error).message}`;
      outcome.check(result, args);
    }
    expect(snapshot(args, '', writes), 'an argument was modified').toStrictEqual(before);
  } catch (e) {
    return (e as Error).message.split('\n').slice(0, 8).join(' ');
  }
  return undefined;
}

/** The kinds that apply to a row's parameter. */
const kindsOf = (type: ParamType): readonly Kind[] => [...UNIVERSAL, ...EXTRA_KINDS[type]];
const label = (r: { fn: string; param: string; label?: string }) => `${r.fn} ${r.label ?? r.param}`;

describe('bad-input matrix: the library', () => {
  it.each(ROWS.map((r) => [label(r), r] as const))('%s', (_name, row) => {
    const wrong: string[] = [];
    for (const kind of KINDS) {
      const outcome = row.cells[kind];
      const problem = outcome && runCell(row, kind, outcome);
      if (problem) wrong.push(`${kind}: ${problem}`);
    }
    expect(wrong, label(row)).toEqual([]);
  });
});

// ————————————————————————————————————————————————————————————————— the CLI

type CliOutcome = { exit: 2; says: RegExp } | { exit: 0; check?: (out: string) => void };
type CliCells = Partial<Record<Kind, CliOutcome>>;
/** Exit code 2, nothing on stdout, one line on stderr that says `says`, no file written. */
const fails = (says: RegExp): CliOutcome => ({ exit: 2, says });
/** Exit code 0, nothing on stderr, stdout as `check` wants it. */
const works = (check?: (out: string) => void): CliOutcome => ({ exit: 0, ...(check ? { check } : {}) });

/** What a CLI argument expects, and so which kinds beyond the universal ones apply to it. */
const CLI_EXTRA_KINDS = {
  /** Several values or names (variadic). */
  values: ['string[]'],
  /** Several format names (variadic). */
  formats: ['string[]', 'unknown name'],
  /** Several codes (`--code`). */
  codes: ['string[]', 'code out of range', 'non-integer'],
  /** A format name. */
  format: ['unknown name'],
  /** A name from a fixed list. */
  choice: ['unknown name'],
  /** A whole number. */
  count: ['non-integer'],
  /** A file to read. */
  file: ['empty', 'unknown name'],
  /** A file to write. */
  output: ['unknown name'],
} satisfies Record<string, Kind[]>;
/** The kinds every argument can be handed on a command line (there are no bigints there, only their text). */
const CLI_UNIVERSAL: readonly Kind[] = UNIVERSAL.filter((k) => k !== 'string[]');

/** The text of each kind on a command line; `undefined` leaves the argument out. */
const CLI_VALUES: Partial<Record<Kind, string | string[]>> = {
  null: '',
  string: 'abc',
  bigint: '1n',
  object: '{}',
  NaN: 'nan',
  Infinity: 'inf',
  '-Infinity': '-inf',
  '-0': '-0',
  'code out of range': '0x10000',
  'non-integer': '1.5',
};

interface CliRow {
  command: string;
  /** The argument as the usage line names it. */
  param: string;
  type: keyof typeof CLI_EXTRA_KINDS | 'text';
  /** The command line with `v` (the words of the kind, or undefined) in the argument's place. */
  argv: (v: string[] | undefined) => string[];
  cells: CliCells;
  values?: Partial<Record<Kind, string | string[]>>;
  /** The file a successful run writes (then removed). */
  writes?: (v: string[] | undefined) => string | undefined;
}

const tmp = mkdtempSync(join(tmpdir(), 'floatlab-bad-input-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const MODEL = new URL('../fixtures/checkpoints/model.safetensors', import.meta.url).pathname;
const EMPTY = join(tmp, 'empty.safetensors');
writeFileSync(EMPTY, '');
const MISSING = join(tmp, 'missing.safetensors');
const IN_MISSING_DIR = join(tmp, 'no-such-dir', 'out');
const OUT = join(tmp, 'out.safetensors');
const SVG = join(tmp, 'loss.svg');
/** The file names a kind's text makes in the temporary directory (a name is a name: `nan` is a file). */
const inTmp = (v: string[] | undefined) => v?.map((x) => (x === '' || x.startsWith('/') ? x : join(tmp, x)));
const opt = (flag: string, v: string[] | undefined) => (v === undefined ? [] : [flag, v[0]!]);

const notANumber = (text: string) => fails(new RegExp(`not a number: "${escapeRegExp(text)}"`));
const unknownFormat = (text: string) => fails(new RegExp(`unknown format "${escapeRegExp(text)}"`));
const invalidChoice = (text: string) => fails(new RegExp(`argument '${escapeRegExp(text)}' is invalid`));
const cannotOpen = (text: string) => fails(new RegExp(`cannot open "${escapeRegExp(text)}": ENOENT`));
/** The cells of an argument that names a format. */
const formatArg = (undefinedCell: CliOutcome): CliCells => ({
  undefined: undefinedCell,
  null: unknownFormat(''),
  string: unknownFormat('abc'),
  bigint: unknownFormat('1n'),
  object: unknownFormat('{}'),
  NaN: unknownFormat('nan'),
  Infinity: unknownFormat('inf'),
  '-Infinity': unknownFormat('-inf'),
  '-0': unknownFormat('-0'),
  'unknown name': unknownFormat('float7'),
});
/** The cells of numbers to read (`inspect`, `cast`): text that is no number fails, NaN, ±inf and −0 as given. */
const valuesArg = (special: Pick<CliCells, 'NaN' | 'Infinity' | '-Infinity' | '-0'>): CliCells => ({
  undefined: fails(/missing required argument 'values'/),
  null: notANumber(''),
  string: notANumber('abc'),
  bigint: notANumber('1n'),
  object: notANumber('{}'),
  'string[]': notANumber('abc'),
  ...special,
});
/** The cells of `--rounding`, whose choices commander checks. */
const roundingArg = (undefinedCell: CliOutcome): CliCells => ({
  undefined: undefinedCell,
  ...Object.fromEntries(
    (['null', 'string', 'bigint', 'object', 'NaN', 'Infinity', '-Infinity', '-0'] as const).map((k) => [
      k,
      invalidChoice(CLI_VALUES[k] as string),
    ]),
  ),
  'unknown name': invalidChoice('nearest'),
});
/** The cells of a file to read. */
const fileArg = (undefinedCell: CliOutcome): CliCells => ({
  undefined: undefinedCell,
  ...Object.fromEntries(
    (['null', 'string', 'bigint', 'object', 'NaN', 'Infinity'] as const).map((k) => [k, cannotOpen(CLI_VALUES[k] as string)]),
  ),
  '-Infinity': cannotOpen('-inf'),
  '-0': cannotOpen('-0'),
  empty: fails(/truncated file: 0 bytes/),
  'unknown name': cannotOpen(MISSING),
});
/** The cells of a file to write: any name is a file name; an empty one or one in no directory is not. */
const outputArg = (undefinedCell: CliOutcome, empty: CliOutcome, unknown: CliOutcome): CliCells => ({
  undefined: undefinedCell,
  null: empty,
  ...Object.fromEntries((['string', 'bigint', 'object', 'NaN', 'Infinity', '-Infinity', '-0'] as const).map((k) => [k, works()])),
  'unknown name': unknown,
});
/** The cells of a whole number (`--params`, `--steps`, `--seed`). */
const countArg = (undefinedCell: CliOutcome, says: (text: string) => RegExp): CliCells => ({
  undefined: undefinedCell,
  ...Object.fromEntries(
    (['null', 'string', 'bigint', 'object', 'NaN', 'Infinity', '-Infinity', '-0', 'non-integer'] as const).map((k) => [
      k,
      fails(says(CLI_VALUES[k] as string)),
    ]),
  ),
});

const CLI_ROWS: CliRow[] = [
  {
    command: 'finfo',
    param: '[formats...]',
    type: 'formats',
    argv: (v) => ['finfo', ...(v ?? [])],
    cells: {
      ...formatArg(works((out) => expect(out.trim().split('\n')).toHaveLength(floatlab.FORMAT_NAMES.length))),
      'string[]': unknownFormat('abc'),
    },
    values: { 'string[]': ['bf16', 'abc'], 'unknown name': 'float7' },
  },
  {
    command: 'inspect',
    param: '<format>',
    type: 'format',
    argv: (v) => ['inspect', ...(v ?? []), '1'],
    cells: formatArg(fails(/missing required argument 'values'/)),
    values: { 'unknown name': 'float7' },
  },
  {
    command: 'inspect',
    param: '<values...>',
    type: 'values',
    argv: (v) => ['inspect', 'float16', ...(v ?? [])],
    cells: valuesArg({
      NaN: works((out) => expect(out).toContain('class     nan')),
      Infinity: works((out) => expect(out).toContain('value     inf\n')),
      '-Infinity': works((out) => expect(out).toContain('value     -inf\n')),
      '-0': works((out) => expect(out).toContain('code      0x8000')),
    }),
    values: { 'string[]': ['1', 'abc'] },
  },
  {
    command: 'inspect',
    param: '--code <values...>',
    type: 'codes',
    argv: (v) => ['inspect', 'float16', '--code', ...(v ?? [])],
    cells: {
      undefined: fails(/missing required argument 'values'/),
      ...Object.fromEntries(
        (['null', 'string', 'bigint', 'object', 'NaN', 'Infinity', '-Infinity', '-0', 'non-integer'] as const).map((k) => [
          k,
          fails(new RegExp(`not a code: "${escapeRegExp(CLI_VALUES[k] as string)}"`)),
        ]),
      ),
      'string[]': fails(/not a code: "abc"/),
      'code out of range': fails(/code 0x10000 is out of range for float16/),
    },
    values: { 'string[]': ['0x3c00', 'abc'] },
  },
  {
    command: 'inspect',
    param: '--rounding <mode>',
    type: 'choice',
    argv: (v) => ['inspect', 'float16', ...opt('-r', v), '0.1'],
    cells: roundingArg(works((out) => expect(out).toContain('code      0x2e66'))),
    values: { 'unknown name': 'nearest' },
  },
  {
    command: 'cast',
    param: '<values...>',
    type: 'values',
    argv: (v) => ['cast', ...(v ?? []), '--to', 'bf16'],
    cells: valuesArg({
      NaN: works((out) => expect(out).toMatch(/nan\s+0x7fc0\s+nan/)),
      Infinity: works((out) => expect(out).toMatch(/inf\s+0x7f80\s+infinite/)),
      '-Infinity': works((out) => expect(out).toMatch(/-inf\s+0xff80\s+infinite/)),
      '-0': works((out) => expect(out).toMatch(/-0\s+0x8000\s+zero/)),
    }),
    values: { 'string[]': ['1', 'abc'] },
  },
  {
    command: 'cast',
    param: '--to <format>',
    type: 'format',
    argv: (v) => ['cast', '1', ...opt('--to', v)],
    cells: formatArg(fails(/required option '-t, --to <format>' not specified/)),
    values: { 'unknown name': 'float7' },
  },
  {
    command: 'cast',
    param: '--rounding <mode>',
    type: 'choice',
    argv: (v) => ['cast', '0.1', '--to', 'bf16', ...opt('-r', v)],
    cells: roundingArg(works((out) => expect(out).toContain('0x3dcd'))),
    values: { 'unknown name': 'nearest' },
  },
  {
    command: 'scan',
    param: '<files...>',
    type: 'file',
    argv: (v) => ['scan', ...(v ?? []), '--to', 'bf16'],
    cells: fileArg(fails(/missing required argument 'files'/)),
    values: { empty: EMPTY, 'unknown name': MISSING },
  },
  {
    command: 'scan',
    param: '--to <format>',
    type: 'format',
    argv: (v) => ['scan', MODEL, ...opt('--to', v)],
    cells: formatArg(fails(/required option '-t, --to <format>' not specified/)),
    values: { 'unknown name': 'float7' },
  },
  {
    command: 'scan',
    param: '--rounding <mode>',
    type: 'choice',
    argv: (v) => ['scan', MODEL, '--to', 'bf16', ...opt('-r', v)],
    cells: roundingArg(works((out) => expect(out).toContain('model.layers.0.weight'))),
    values: { 'unknown name': 'nearest' },
  },
  {
    command: 'convert',
    param: '<in>',
    type: 'file',
    argv: (v) => ['convert', ...(v ?? []), OUT, '--to', 'bf16'],
    cells: fileArg(fails(/missing required argument 'out'/)),
    values: { empty: EMPTY, 'unknown name': MISSING },
  },
  {
    command: 'convert',
    param: '<out>',
    type: 'output',
    argv: (v) => ['convert', MODEL, ...(inTmp(v) ?? []), '--to', 'bf16'],
    cells: outputArg(
      fails(/missing required argument 'out'/),
      fails(/OUT is empty/),
      fails(/cannot write ".*no-such-dir\/out": ENOENT/),
    ),
    values: { 'unknown name': IN_MISSING_DIR },
    writes: (v) => inTmp(v)?.[0],
  },
  {
    command: 'convert',
    param: '--to <format>',
    type: 'format',
    argv: (v) => ['convert', MODEL, OUT, ...opt('--to', v)],
    cells: formatArg(fails(/required option '-t, --to <format>' not specified/)),
    values: { 'unknown name': 'float7' },
  },
  {
    command: 'convert',
    param: '--rounding <mode>',
    type: 'choice',
    argv: (v) => ['convert', MODEL, OUT, '--to', 'bf16', ...opt('-r', v)],
    cells: roundingArg(works((out) => expect(out).toContain('model.layers.0.weight'))),
    values: { 'unknown name': 'nearest' },
    writes: () => OUT,
  },
  {
    command: 'convert',
    param: '--nan <policy>',
    type: 'choice',
    argv: (v) => ['convert', MODEL, OUT, '--to', 'bf16', ...opt('--nan', v)],
    // commander checks the choices: the same cells as --rounding's
    cells: roundingArg(works((out) => expect(out).toContain('model.layers.0.weight'))),
    values: { 'unknown name': 'nearest' },
    writes: () => OUT,
  },
  {
    command: 'convert',
    param: '--seed <n>',
    type: 'count',
    argv: (v) => ['convert', MODEL, OUT, '--to', 'bf16', '-r', 'stochastic', ...opt('--seed', v)],
    cells: countArg(
      works((out) => expect(out).toContain('model.layers.0.weight')),
      (t) => new RegExp(`--seed must be a non-negative integer, got "${escapeRegExp(t)}"`),
    ),
    writes: () => OUT,
  },
  {
    command: 'scan',
    param: '--seed <n>',
    type: 'count',
    argv: (v) => ['scan', MODEL, '--to', 'bf16', '-r', 'stochastic', ...opt('--seed', v)],
    cells: countArg(
      works((out) => expect(out).toContain('model.layers.0.weight')),
      (t) => new RegExp(`--seed must be a non-negative integer, got "${escapeRegExp(t)}"`),
    ),
  },
  {
    command: 'memory',
    param: '--params <n>',
    type: 'count',
    argv: (v) => ['memory', ...opt('--params', v)],
    cells: countArg(
      fails(/required option '-p, --params <n>' not specified/),
      (t) => new RegExp(`--params must be a whole number of parameters .* got "${escapeRegExp(t)}"`),
    ),
  },
  {
    command: 'memory',
    param: '--optimizer <name>',
    type: 'choice',
    argv: (v) => ['memory', '--params', '1', ...opt('-o', v)],
    cells: { ...roundingArg(works((out) => expect(out).toContain('1 parameters, adam'))), 'unknown name': invalidChoice('lion') },
    values: { 'unknown name': 'lion' },
  },
  {
    command: 'memory',
    param: '--precision <flag>',
    type: 'choice',
    argv: (v) => ['memory', '--params', '1', ...opt('--precision', v)],
    cells: {
      undefined: works((out) => expect(out).toContain('32-true')),
      ...Object.fromEntries(
        (['null', 'string', 'bigint', 'object', 'NaN', 'Infinity', '-Infinity', '-0'] as const).map((k) => [
          k,
          fails(new RegExp(`unknown --precision "${escapeRegExp(CLI_VALUES[k] as string)}"`)),
        ]),
      ),
      'unknown name': fails(/unknown --precision "8-mixed"/),
    },
    values: { 'unknown name': '8-mixed' },
  },
  {
    command: 'demo',
    param: '--steps <n>',
    type: 'count',
    // One cheap row: the cells check the arguments, not the training.
    argv: (v) => ['demo', ...opt('--steps', v), '--rows', '16-true', '--svg', SVG],
    cells: countArg(
      works((out) => expect(out).toContain('400 steps')),
      (t) => new RegExp(`--steps must be a positive integer, got "${escapeRegExp(t)}"`),
    ),
    writes: () => SVG,
  },
  {
    command: 'demo',
    param: '--seed <n>',
    type: 'count',
    argv: (v) => ['demo', '--steps', '1', '--rows', '16-true', ...opt('--seed', v), '--svg', SVG],
    cells: countArg(
      works((out) => expect(out).toContain('seed 0')),
      (t) => new RegExp(`--seed must be a non-negative integer, got "${escapeRegExp(t)}"`),
    ),
    writes: () => SVG,
  },
  {
    command: 'demo',
    param: '--svg <file>',
    type: 'output',
    argv: (v) => ['demo', '--json', '--steps', '1', '--rows', '16-true', ...opt('--svg', inTmp(v))],
    cells: outputArg(
      works(),
      fails(/--svg must name a file in an existing directory, got ""/),
      fails(/--svg must name a file in an existing directory, got ".*no-such-dir\/out"/),
    ),
    values: { 'unknown name': IN_MISSING_DIR },
    writes: (v) => inTmp(v)?.[0],
  },
  {
    command: 'demo',
    param: '--rows <list>',
    type: 'choice',
    argv: (v) => ['demo', '--steps', '1', ...opt('--rows', v)],
    cells: {
      undefined: works((out) => expect(out).toMatch(/^fp8-noscale /m)),
      ...Object.fromEntries(
        (['null', 'string', 'bigint', 'object', 'NaN', 'Infinity', '-Infinity', '-0'] as const).map((k) => [
          k,
          fails(new RegExp(`--rows: unknown row "${escapeRegExp(CLI_VALUES[k] as string)}"`)),
        ]),
      ),
      'unknown name': fails(/--rows: unknown row "8-true"/),
    },
    values: { 'unknown name': '16-true,8-true' },
  },
];

/** Runs one CLI cell; returns what is wrong with it, or undefined. */
async function runCliCell(row: CliRow, kind: Kind, outcome: CliOutcome): Promise<string | undefined> {
  const text = row.values?.[kind] ?? CLI_VALUES[kind];
  const v = kind === 'undefined' ? undefined : [text ?? []].flat();
  const argv = row.argv(v);
  const files = readdirSync(tmp).sort();
  let out = '';
  let err = '';
  const code = await runCli(argv, { out: (t) => (out += t), err: (t) => (err += t), errIsTTY: false });
  try {
    if (outcome.exit === 2) {
      expect({ code, out, lines: err.split('\n').length }, argv.join(' ')).toStrictEqual({ code: 2, out: '', lines: 2 });
      expect(err).toMatch(outcome.says);
      expect(readdirSync(tmp).sort(), 'no file may be written').toEqual(files);
    } else {
      expect({ code, err }, argv.join(' ')).toStrictEqual({ code: 0, err: '' });
      outcome.check?.(out);
      const written = row.writes?.(v);
      if (written) {
        expect(statSync(written).size, `${written} is written`).toBeGreaterThan(0);
        rmSync(written);
      }
    }
  } catch (e) {
    return `${argv.join(' ')}: ${(e as Error).message.split('\n').slice(0, 6).join(' ')}`;
  }
  return undefined;
}

describe('bad-input matrix: the CLI', () => {
  it.each(CLI_ROWS.map((r) => [`${r.command} ${r.param}`, r] as const))('%s', async (_name, row) => {
    const wrong: string[] = [];
    for (const kind of KINDS) {
      const outcome = row.cells[kind];
      // A turn of the event loop between cells: a row of them (the demo's) runs for seconds.
      await new Promise<void>((resolve) => setImmediate(resolve));
      const problem = outcome && (await runCliCell(row, kind, outcome));
      if (problem) wrong.push(`${kind}: ${problem}`);
    }
    expect(wrong, `${row.command} ${row.param}`).toEqual([]);
  });
});

// ————————————————————————————————————————————————————————————————— completeness

/** The exported functions, constructors, static methods and prototype methods, as `name`, `new Class`, `Class.method`. */
function publicMembers(): string[] {
  const members = new Set<string>();
  for (const [name, value] of Object.entries(floatlab)) {
    if (typeof value !== 'function') continue;
    if (!/^class\b/.test(Function.prototype.toString.call(value))) {
      members.add(name);
      continue;
    }
    if (!ABSTRACT.includes(name)) members.add(`new ${name}`);
    for (const key of Object.getOwnPropertyNames(value)) {
      if (typeof (value as unknown as Record<string, unknown>)[key] === 'function') members.add(`${name}.${key}`);
    }
    for (let proto = value.prototype; proto && proto !== Object.prototype; proto = Object.getPrototypeOf(proto)) {
      for (const key of Object.getOwnPropertyNames(proto)) {
        if (key !== 'constructor' && typeof Object.getOwnPropertyDescriptor(proto, key)!.value === 'function')
          members.add(`${proto.constructor.name}.${key}`);
      }
    }
  }
  return [...members].sort();
}

/** The member a row calls: `SGD.step` is Optimizer's step, `new SGD` SGD's constructor. */
function memberOf(fn: string): string {
  const [owner, method] = fn.split('.');
  const C = (floatlab as Record<string, unknown>)[owner!] as (abstract new () => unknown) | undefined;
  if (fn.startsWith('new ') || !method || typeof C !== 'function' || Object.hasOwn(C, method)) return fn;
  for (let proto = C.prototype; proto && proto !== Object.prototype; proto = Object.getPrototypeOf(proto)) {
    if (Object.hasOwn(proto, method)) return `${proto.constructor.name}.${method}`;
  }
  return fn;
}

describe('the bad-input matrix covers', () => {
  it('every kind of value that applies to each parameter, and no other', () => {
    const wrong = [
      ...ROWS.flatMap((r) =>
        KINDS.filter((k) => kindsOf(r.type).includes(k) !== (r.cells[k] !== undefined)).map((k) => `${label(r)}: ${k}`),
      ),
      ...CLI_ROWS.flatMap((r) => {
        const kinds = [...CLI_UNIVERSAL, ...(r.type === 'text' ? [] : CLI_EXTRA_KINDS[r.type])];
        return KINDS.filter((k) => kinds.includes(k) !== (r.cells[k] !== undefined)).map((k) => `${r.command} ${r.param}: ${k}`);
      }),
    ];
    expect(wrong).toEqual([]);
  });

  it('every exported function, constructor and public method, and every subcommand', () => {
    const called = new Set([...ROWS.map((r) => memberOf(r.fn)), ...NO_PARAMETERS, ...INTERNAL]);
    expect(publicMembers().filter((m) => !called.has(m))).toEqual([]);
    expect([...called].filter((m) => m.includes('.') && !m.startsWith('RangeCheck.') && !publicMembers().includes(m))).toEqual(
      [],
    );
    const commands = buildProgram({ out: () => {}, err: () => {}, errIsTTY: false }, () => {}).commands.map((c) => c.name());
    expect(commands.filter((c) => !CLI_ROWS.some((r) => r.command === c))).toEqual([]);
    const cells = ROWS.reduce((n, r) => n + Object.keys(r.cells).length, 0);
    const cliCells = CLI_ROWS.reduce((n, r) => n + Object.keys(r.cells).length, 0);
    console.info(
      `bad-input matrix: ${new Set(ROWS.map((r) => r.fn)).size} functions in ${ROWS.length} rows and ${commands.length} subcommands in ${CLI_ROWS.length} rows, ` +
        `× ${KINDS.length} kinds: ${cells} + ${cliCells} cells checked`,
    );
  });
});
