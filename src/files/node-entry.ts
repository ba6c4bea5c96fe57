/**
 * floatlab/files/node: the file API on Node's file system — everything of `floatlab/files`, plus
 * reading files by path and writing safetensors files.
 */
export * from './index.js';
export { fileHandleSource, type OpenFile, openFileSource, writeSafetensorsFile } from './node.js';
