/**
 * Tensor storage: how the elements of a dtype are held in memory. A {@link Tensor} touches
 * its bytes only through the small {@link StorageCodec} interface (values → storage,
 * storage → values), so a format with a different layout — an MX block format with packed
 * codes and shared scales — can hold a Tensor by implementing that interface.
 * @internal
 */
import { decodeArray, encodeArray, roundArray } from '../codec/array.js';
import { type CodeArray, codeContainer, type Format, fitsIn, format } from '../formats.js';
import { isMxFormat } from '../mx/formats.js';
import type { RoundingOptions } from '../options.js';
import type { Dtype } from './dtype.js';
import { mxStorageCodec } from './mx-storage.js';
import type { StorageCodec, StorageData, ValueArray } from './storage-codec.js';

const FLOAT32 = format('float32');
const FLOAT64 = format('float64');

/** F's values are exactly the values of G (same record but the name). */
function sameValues(F: Format, G: Format): boolean {
  return F.expBits === G.expBits && F.manBits === G.manBits && F.bias === G.bias && F.kind === G.kind;
}

type AnyArray = CodeArray | Float32Array | Float64Array;
type ArrayCtor = new (n: number) => AnyArray;

function take(data: StorageData, indices: Int32Array): AnyArray {
  const out = new (data.constructor as ArrayCtor)(indices.length);
  if (out instanceof BigUint64Array) {
    for (let i = 0; i < indices.length; i++) out[i] = (data as BigUint64Array)[indices[i]!]!;
  } else {
    const src = data as Exclude<AnyArray, BigUint64Array>;
    const dst = out as Exclude<AnyArray, BigUint64Array>;
    for (let i = 0; i < indices.length; i++) dst[i] = src[indices[i]!]!;
  }
  return out;
}

/** Storage that is a Float32Array or Float64Array of the values (float32 and float64 themselves). */
function nativeCodec(F: Format, Native: Float32ArrayConstructor | Float64ArrayConstructor): StorageCodec {
  const toNative = (values: ValueArray, opts?: RoundingOptions): ValueArray => {
    if (values instanceof Native) return values;
    // A float64 source into float32: round once (with the caller's mode), then copy exactly.
    return new Native(roundArray(F, values, opts));
  };
  return {
    dtype: F,
    Values: Native,
    nbytes: (length) => length * Native.BYTES_PER_ELEMENT,
    encode: toNative,
    encodeInto: (values, data, opts) => (data as ValueArray).set(toNative(values, opts)),
    decode: (data) => data as ValueArray,
    take,
  };
}

/** Storage as codes in the codec's container (Uint8Array, Uint16Array, Uint32Array). */
function codedCodec(F: Format): StorageCodec {
  const Container = codeContainer(F);
  const Values = fitsIn(F, FLOAT32) ? Float32Array : Float64Array;
  return {
    dtype: F,
    Values,
    nbytes: (length) => length * Container.BYTES_PER_ELEMENT,
    encode: (values, opts) => encodeArray(F, values, opts),
    encodeInto: (values, data, opts) => {
      encodeArray(F, values, { ...opts, out: data as CodeArray });
    },
    decode: (data) =>
      decodeArray(F, data as CodeArray, Values === Float64Array ? { out: new Float64Array(data.length) } : undefined),
    take,
  };
}

const CODECS = new WeakMap<Dtype, StorageCodec>();

/** The storage codec of a dtype (made once per format). */
export function storageCodec(F: Dtype): StorageCodec {
  let codec = CODECS.get(F);
  if (!codec) {
    codec = isMxFormat(F)
      ? mxStorageCodec(F)
      : sameValues(F, FLOAT32)
        ? nativeCodec(F, Float32Array)
        : sameValues(F, FLOAT64)
          ? nativeCodec(F, Float64Array)
          : codedCodec(F);
    CODECS.set(F, codec);
  }
  return codec;
}

/**
 * The elements of one or more tensors (a tensor and its reshaped views share one). Keeps the
 * decoded values once read, so a tensor read by several ops decodes once; writes drop them.
 */
export class Storage {
  /** The stored data: codes, or the values themselves for float32/float64. */
  readonly data: StorageData;
  /** How the data is laid out. */
  readonly codec: StorageCodec;
  #values: ValueArray | undefined;

  constructor(codec: StorageCodec, data: StorageData, values?: ValueArray) {
    this.codec = codec;
    this.data = data;
    this.#values = values;
  }

  /** Rounds `values` into the codec's dtype and wraps them. */
  static encode(codec: StorageCodec, values: ValueArray, opts?: RoundingOptions): Storage {
    return new Storage(codec, codec.encode(values, opts));
  }

  /** Number of elements. */
  get length(): number {
    return this.data.length;
  }

  /** Bytes in memory. */
  get nbytes(): number {
    return this.codec.nbytes(this.data.length);
  }

  /** The values (decoded once and kept). Read-only for callers. */
  values(): ValueArray {
    return (this.#values ??= this.codec.decode(this.data));
  }

  /** Overwrites every element in place, rounding each value once into the dtype. */
  write(values: ValueArray, opts?: RoundingOptions): void {
    this.codec.encodeInto(values, this.data, opts);
    this.#values = undefined;
  }
}
