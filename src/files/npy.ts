/**
 * Reading numpy `.npy` files as numpy's format document defines them: the magic `\x93NUMPY`,
 * a version, a little-endian header length (2 bytes in version 1, 4 in versions 2 and 3), a
 * Python dict literal `{'descr': '<f4', 'fortran_order': False, 'shape': (3, 4), }` (read by
 * {@link parsePyLiteral} as numpy's `ast.literal_eval` reads it), then the data.
 */
import type { FormatName } from '../formats.js';
import { dtypeOfFormat } from './dtypes.js';
import { parsePyLiteral } from './py-literal.js';
import { type ByteSource, fail, readExactly, utf8Length } from './source.js';
import type { TensorInfo } from './tensors.js';

/** The float element types of .npy files floatlab reads, by numpy's type code. */
const NPY_FLOATS: Readonly<Record<string, { format: FormatName; size: number }>> = {
  f2: { format: 'float16', size: 2 },
  f4: { format: 'float32', size: 4 },
  f8: { format: 'float64', size: 8 },
};

/** A parsed .npy header. */
export interface NpyHeader {
  /** numpy's dtype string, e.g. `<f4`. */
  descr: string;
  /** The floatlab format of the elements. */
  format: FormatName;
  /** Bytes per element. */
  size: number;
  /** Whether the elements are stored little-endian. */
  littleEndian: boolean;
  /** The array's shape. */
  shape: number[];
  /** Number of elements. */
  count: number;
  /** Column-major storage (elements are then read in that order). */
  fortranOrder: boolean;
  /** Absolute file offset of the first element. */
  dataStart: number;
}

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // \x93NUMPY
/** The keys of a header, all required and no other (numpy's EXPECTED_KEYS). */
const NPY_KEYS = ['descr', 'fortran_order', 'shape'];
/** numpy's `_MAX_HEADER_SIZE`: it refuses longer headers as unsafe to parse, and so does floatlab. */
export const MAX_NPY_HEADER_BYTES = 10_000;

/**
 * Reads and checks the header of the .npy file `src`; a bad header is a {@link FileFormatError}
 * naming the problem and its offset.
 */
export async function readNpyHeader(src: ByteSource): Promise<NpyHeader> {
  const fileSize = src.size;
  if (fileSize < 10) fail(`truncated .npy file: ${fileSize} bytes, too short for the magic and header length`);
  const head = await readExactly(src, 0, 10, 'the .npy preamble');
  if (!MAGIC.every((b, i) => head[i] === b)) fail('not a .npy file: the first 6 bytes are not \\x93NUMPY (offset 0)');
  const major = head[6]!;
  if (major < 1 || major > 3) fail(`unsupported .npy version ${major}.${head[7]} (offset 6)`);
  const lengthBytes = major === 1 ? 2 : 4;
  const pre = await readExactly(src, 8, lengthBytes, 'the .npy header length');
  const view = new DataView(pre.buffer);
  const headerLength = major === 1 ? view.getUint16(0, true) : view.getUint32(0, true);
  const headerStart = 8 + lengthBytes;
  if (headerStart + headerLength > fileSize) {
    fail(`.npy header length ${headerLength} (offset 8) is larger than the file (${fileSize} bytes)`);
  }
  if (headerLength > MAX_NPY_HEADER_BYTES) {
    fail(`.npy header length ${headerLength} (offset 8) is over numpy's limit of ${MAX_NPY_HEADER_BYTES} bytes`);
  }
  const raw = await readExactly(src, headerStart, headerLength, 'the .npy header');
  let text: string;
  try {
    text = new TextDecoder(major === 3 ? 'utf-8' : 'latin1', { fatal: true, ignoreBOM: true }).decode(raw);
  } catch {
    fail(`.npy header (offset ${headerStart}) is not valid text`);
  }
  const at = (index: number) => headerStart + (major === 3 ? utf8Length(text.slice(0, index)) : index);
  const dict = parsePyLiteral(text, major < 3, (message, index) => fail(`.npy header (offset ${at(index)}): ${message}`));
  if (dict === null || typeof dict !== 'object' || dict.kind !== 'dict')
    fail(`.npy header (offset ${headerStart}) is not a dict`);
  for (const key of dict.entries.keys()) {
    if (!NPY_KEYS.includes(key))
      fail(`.npy header (offset ${headerStart}) has key ${JSON.stringify(key)}, which numpy's format does not define`);
  }
  const missing = NPY_KEYS.filter((k) => !dict.entries.has(k));
  if (missing.length) fail(`.npy header (offset ${headerStart}) lacks ${missing.join(', ')}`);
  const descr = dict.entries.get('descr')!;
  const fortran = dict.entries.get('fortran_order')!;
  const shapeValue = dict.entries.get('shape')!;
  if (typeof descr === 'object' && descr?.kind === 'list') {
    fail(`.npy header (offset ${headerStart}): descr is a list of fields, a structured dtype, which floatlab does not read`);
  }
  if (typeof descr !== 'string') fail(`.npy header (offset ${headerStart}): descr is not a dtype string`);
  if (typeof fortran !== 'boolean') fail(`.npy header (offset ${headerStart}): fortran_order is not True or False`);
  if (
    shapeValue === null ||
    typeof shapeValue !== 'object' ||
    shapeValue.kind !== 'tuple' ||
    !shapeValue.items.every((d) => typeof d === 'number' && d >= 0)
  ) {
    fail(`.npy header (offset ${headerStart}): shape is not a tuple of non-negative integers`);
  }
  const shape = shapeValue.items as number[];
  const m = /^([<>=|])(f[248])$/.exec(descr);
  if (!m) fail(`.npy dtype ${JSON.stringify(descr)} is not float16, float32 or float64`);
  const { format, size } = NPY_FLOATS[m[2]!]!;
  const count = shape.reduce((a, b) => a * b, 1);
  const dataStart = headerStart + headerLength;
  if (fileSize - dataStart !== count * size) {
    fail(
      `.npy data from offset ${dataStart} is ${fileSize - dataStart} bytes; shape (${shape.join(', ')}) of ${descr} needs ${count * size}`,
    );
  }
  const littleEndian = m[1] === '<' || ((m[1] === '=' || m[1] === '|') && new Uint8Array(new Uint16Array([1]).buffer)[0] === 1);
  return { descr, format, size, littleEndian, shape, count, fortranOrder: fortran, dataStart };
}

/**
 * The one tensor of a .npy file with header `h`, named `name`. Its elements are in the file's
 * order: column-major when `h.fortranOrder` (a range check does not mind; a reader that does checks
 * the header).
 */
export function npyTensor(h: NpyHeader, name: string): TensorInfo {
  return {
    name,
    dtype: dtypeOfFormat(h.format)!,
    spelled: h.descr,
    shape: h.shape,
    count: h.count,
    start: h.dataStart,
    byteLength: h.count * h.size,
    littleEndian: h.littleEndian,
  };
}
