/**
 * Reading safetensors files as their spec defines them: an 8-byte little-endian header length N,
 * N bytes of UTF-8 JSON (`{ name: { dtype, shape, data_offsets: [begin, end] }, __metadata__? }`,
 * offsets relative to the data after the header), then the row-major tensor data, every byte of
 * it indexed by exactly one tensor. Every check names the problem and the file offset.
 */
import { byteLengthOf, safetensorsDtype } from './dtypes.js';
import { parseHeaderJson } from './safetensors-json.js';
import { type ByteSource, fail, readExactly, utf8Length } from './source.js';
import type { TensorInfo } from './tensors.js';

/** The largest header the reference implementation accepts (safetensors' MAX_HEADER_SIZE). */
export const MAX_HEADER_BYTES = 100_000_000;

/** A parsed safetensors header. */
export interface SafetensorsHeader {
  /** The header's JSON length N (from the first 8 bytes). */
  headerLength: number;
  /** Absolute file offset where tensor data begins: 8 + N. */
  dataStart: number;
  /** The tensors, in data order. */
  tensors: TensorInfo[];
  /**
   * The `__metadata__` object as the header spells it (checked to map strings to strings), if any:
   * kept as text, so a header of millions of keys costs no more than its bytes, and written back
   * as it was. `JSON.parse` it for the map.
   */
  metadataJson?: string;
}

/**
 * Reads and checks the header of the safetensors file `src` against the spec; a bad header is a
 * {@link FileFormatError} naming the problem and its offset.
 */
export async function readSafetensorsHeader(src: ByteSource): Promise<SafetensorsHeader> {
  const fileSize = src.size;
  if (fileSize < 8) fail(`truncated file: ${fileSize} bytes, too short for the 8-byte header length at offset 0`);
  const lengthBytes = await readExactly(src, 0, 8, 'the header length');
  const n = new DataView(lengthBytes.buffer).getBigUint64(0, true);
  if (n > BigInt(MAX_HEADER_BYTES)) fail(`header length ${n} (offset 0) exceeds the limit of ${MAX_HEADER_BYTES} bytes`);
  const headerLength = Number(n);
  if (8 + headerLength > fileSize) {
    fail(`header length ${headerLength} (offset 0) is larger than the file: ${fileSize - 8} bytes follow offset 8`);
  }
  const raw = await readExactly(src, 8, headerLength, 'the header');
  // The reference refuses anything before the '{' (a byte-order mark included), which a
  // TextDecoder would silently drop.
  if (raw[0] !== 0x7b) fail(`header (offset 8) must start with '{', found byte 0x${(raw[0] ?? 0).toString(16)}`);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(raw);
  } catch {
    fail(`header (offset 8, ${headerLength} bytes) is not valid UTF-8`);
  }
  const dataStart = 8 + headerLength;
  const dataSize = fileSize - dataStart;
  const tensors: TensorInfo[] = [];
  let metadataJson: string | undefined;
  parseHeaderJson(
    text,
    {
      tensor(name, dtype, shape, begin, end) {
        const where = `header (offset 8): tensor ${name.length > 200 ? `${JSON.stringify(name.slice(0, 200))}…` : JSON.stringify(name)}`;
        const dt = safetensorsDtype(dtype);
        if (!dt) fail(`${where} has dtype ${JSON.stringify(dtype)}, which the safetensors spec does not define`);
        if (begin > end) fail(`${where} has data_offsets that are not [begin, end] with 0 <= begin <= end`);
        if (end > dataSize) {
          fail(`${where} has data_offsets [${begin}, ${end}] outside the data (${dataSize} bytes from offset ${dataStart})`);
        }
        const count = shape.reduce((a, b) => a * b, 1);
        const needs = byteLengthOf(dt, count);
        if (needs === undefined) fail(`${where}: shape [${shape.join(', ')}] of ${dtype} does not fill whole bytes`);
        if (needs !== end - begin) {
          fail(`${where}: shape [${shape.join(', ')}] of ${dtype} needs ${needs} bytes, data_offsets give ${end - begin}`);
        }
        tensors.push({
          name,
          dtype: dt,
          spelled: dt.safetensors,
          shape,
          count,
          start: dataStart + begin,
          byteLength: end - begin,
          littleEndian: true,
        });
      },
      metadata(json) {
        metadataJson = json;
      },
    },
    (message, index) =>
      fail(
        `header (offset 8) is not valid JSON of a safetensors header: ${message} (offset ${8 + utf8Length(text.slice(0, index))})`,
      ),
  );
  // The reference's order: by (begin, end), so a zero-length tensor sits before a tensor that
  // begins where it does; then every tensor must begin where the one before it ended.
  tensors.sort((a, b) => a.start - b.start || a.byteLength - b.byteLength);
  let covered = dataStart;
  for (const t of tensors) {
    if (t.start < covered) fail(`tensor ${JSON.stringify(t.name)} overlaps the data before it (offset ${t.start})`);
    if (t.start > covered) fail(`bytes ${covered}..${t.start} of the data belong to no tensor (the spec forbids holes)`);
    covered = t.start + t.byteLength;
  }
  if (covered !== fileSize) fail(`bytes ${covered}..${fileSize} at the end of the file belong to no tensor`);
  return { headerLength, dataStart, tensors, ...(metadataJson === undefined ? {} : { metadataJson }) };
}

/**
 * The bytes of a safetensors header for `tensors` (in this order, data laid out back to back) and
 * `metadataJson`, padded with spaces so the data starts 8-byte aligned, as the reference writer does.
 */
export function safetensorsHeaderBytes(
  tensors: { name: string; dtype: string; shape: number[]; byteLength: number }[],
  metadataJson?: string,
): Uint8Array {
  // Written member by member: an object would lose a tensor named `__proto__`.
  const members: string[] = metadataJson === undefined ? [] : [`"__metadata__":${metadataJson}`];
  let offset = 0;
  for (const t of tensors) {
    const entry = { dtype: t.dtype, shape: t.shape, data_offsets: [offset, offset + t.byteLength] };
    members.push(`${JSON.stringify(t.name)}:${JSON.stringify(entry)}`);
    offset += t.byteLength;
  }
  const json = new TextEncoder().encode(`{${members.join(',')}}`);
  const padded = Math.ceil((8 + json.length) / 8) * 8 - 8;
  const out = new Uint8Array(8 + padded);
  new DataView(out.buffer).setBigUint64(0, BigInt(padded), true);
  out.fill(0x20, 8);
  out.set(json, 8);
  return out;
}
