/**
 * floatlab/files: reading and writing tensor files — safetensors (every dtype of the spec), numpy
 * `.npy` and `.npz` — from bytes or a `Blob`/`File`, in the browser and in Node. Headers are
 * checked against their specs; tensors are read lazily. Node's file-system helpers are in
 * `floatlab/files/node`.
 */
export {
  type ByteSink,
  type ConvertedTensor,
  type ConvertOptions,
  convertTensors,
  keptReason,
  type PlannedTensor,
  planConversion,
  plannedHeader,
  tensorRounding,
} from './convert.js';
export { byteLengthOf, dtypeOfFormat, FILE_DTYPES, type FileDtype, safetensorsDtype } from './dtypes.js';
export { MAX_NPY_HEADER_BYTES, type NpyHeader, npyTensor, readNpyHeader } from './npy.js';
export {
  type FileInput,
  openTensorFile,
  readNpy,
  readNpz,
  readSafetensors,
  type TensorFile,
} from './open.js';
export { MAX_HEADER_BYTES, readSafetensorsHeader, type SafetensorsHeader, safetensorsHeaderBytes } from './safetensors.js';
export {
  dequantizeScaled,
  FILE_SCALES,
  type FileScale,
  isNvfp4Weight,
  isScaledWeight,
  nvfp4Weight,
  type ScaledWeight,
  scaledWeight,
  scaleOf,
  scaleShape,
} from './scaled.js';
export { type FileKind, type Sniffed, sniffBytes } from './sniff.js';
export { type ByteSource, blobSource, bytesSource, FileFormatError } from './source.js';
export {
  CHUNK_ELEMENTS,
  type Chunk,
  ChunkBuffers,
  forEachChunk,
  readTensor,
  readTensorBytes,
  readTensorCodes,
  readTensorValues,
  type TensorInfo,
} from './tensors.js';
export { type TensorEntry, writeSafetensors } from './write.js';
