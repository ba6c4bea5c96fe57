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
  type PlannedTensor,
  convertTensors,
  keptReason,
  planConversion,
  plannedHeader,
  tensorRounding,
} from './convert.js';
export { type FileDtype, FILE_DTYPES, byteLengthOf, dtypeOfFormat, safetensorsDtype } from './dtypes.js';
export { type NpyHeader, MAX_NPY_HEADER_BYTES, npyTensor, readNpyHeader } from './npy.js';
export {
  type FileInput,
  type TensorFile,
  openTensorFile,
  readNpy,
  readNpz,
  readSafetensors,
} from './open.js';
export { type SafetensorsHeader, MAX_HEADER_BYTES, readSafetensorsHeader, safetensorsHeaderBytes } from './safetensors.js';
export { type FileKind, type Sniffed, sniffBytes } from './sniff.js';
export { type ByteSource, FileFormatError, blobSource, bytesSource } from './source.js';
export {
  type Chunk,
  type TensorInfo,
  CHUNK_ELEMENTS,
  ChunkBuffers,
  forEachChunk,
  readTensor,
  readTensorBytes,
  readTensorCodes,
  readTensorValues,
} from './tensors.js';
export {
  type FileScale,
  type ScaledWeight,
  FILE_SCALES,
  dequantizeScaled,
  isNvfp4Weight,
  isScaledWeight,
  nvfp4Weight,
  scaledWeight,
  scaleOf,
  scaleShape,
} from './scaled.js';
export { type TensorEntry, writeSafetensors } from './write.js';
