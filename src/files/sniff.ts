/**
 * What a file is, from its first bytes: so a file that is not what a reader expects gets a message
 * naming what it is (a zip archive, text, a pickle, …) instead of a header error about its bytes.
 */

/** The kinds of file {@link sniffBytes} tells apart. */
export type FileKind = 'safetensors' | 'npy' | 'zip' | 'json' | 'text' | 'gzip' | 'pickle' | 'gguf' | 'hdf5' | 'unknown';

/** What the first bytes of a file say it is, and a phrase for messages. */
export interface Sniffed {
  kind: FileKind;
  /** What it is, as a phrase: `a zip archive (an .npz, or a PyTorch .pt/.bin checkpoint)`. */
  what: string;
}

/** Magic numbers, one record per kind (checked in this order). */
const MAGICS: readonly { kind: FileKind; bytes: readonly number[]; what: string }[] = [
  { kind: 'npy', bytes: [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59], what: 'a numpy .npy file' },
  { kind: 'zip', bytes: [0x50, 0x4b, 0x03, 0x04], what: 'a zip archive (an .npz, or a PyTorch .pt/.bin checkpoint)' },
  { kind: 'zip', bytes: [0x50, 0x4b, 0x05, 0x06], what: 'an empty zip archive' },
  { kind: 'gzip', bytes: [0x1f, 0x8b], what: 'a gzip-compressed file' },
  { kind: 'gguf', bytes: [0x47, 0x47, 0x55, 0x46], what: 'a GGUF file (llama.cpp)' },
  { kind: 'hdf5', bytes: [0x89, 0x48, 0x44, 0x46], what: 'an HDF5 file (a Keras .h5 checkpoint?)' },
];

/** A pickle starts with the PROTO opcode (0x80) and a protocol number 2 … 5 (a legacy PyTorch .bin/.pt). */
function isPickle(b: Uint8Array): boolean {
  return b[0] === 0x80 && b[1] !== undefined && b[1] >= 2 && b[1] <= 5;
}

/** Whether `b` reads as text: valid UTF-8 without control bytes other than tab, CR, LF and form feed. */
function isText(b: Uint8Array): boolean {
  // The head may cut a UTF-8 sequence at its end: its last 3 bytes are not decoded.
  const whole = b.length < 64;
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(whole ? b : b.subarray(0, b.length - 3));
  } catch {
    return false;
  }
  return text.length > 0 && !/[\u0000-\u0008\u000b\u000e-\u001f\u007f]/.test(text);
}

/**
 * What the first bytes `head` (64 or more are best) of a file of `size` bytes say it is. A
 * safetensors file starts with a little-endian header length that fits in the file.
 *
 * @example
 * ```ts
 * sniffBytes(new Uint8Array([0x50, 0x4b, 3, 4])).kind; // 'zip'
 * sniffBytes(new TextEncoder().encode('# My model\n')).kind; // 'text'
 * ```
 */
export function sniffBytes(head: Uint8Array, size = head.length): Sniffed {
  for (const m of MAGICS) if (m.bytes.every((byte, i) => head[i] === byte)) return { kind: m.kind, what: m.what };
  if (head.length >= 8) {
    const n = new DataView(head.buffer, head.byteOffset, 8).getBigUint64(0, true);
    if (n <= BigInt(size - 8) && n > 0n) return { kind: 'safetensors', what: 'a safetensors file' };
  }
  if (isPickle(head)) return { kind: 'pickle', what: 'a Python pickle (a PyTorch .bin/.pt checkpoint in the legacy format)' };
  if (isText(head)) {
    const first = new TextDecoder().decode(head).trimStart();
    if (first.startsWith('{') || first.startsWith('[')) return { kind: 'json', what: 'a JSON file' };
    const line = first.split(/\r?\n/)[0]!.slice(0, 40);
    return { kind: 'text', what: `a text file (it begins ${JSON.stringify(line)})` };
  }
  return { kind: 'unknown', what: 'not a file format floatlab knows' };
}
