// Runs in the browser: floatlab/files (the built ESM entry) reads files the page fetches — a shard of
// the sharded fixture as a Blob and as bytes, numpy's .npz — and writes a safetensors file back.

import { openTensorFile, readSafetensors, writeSafetensors } from '/dist/files.js';
import { encodeArray } from '/dist/index.js';

async function run() {
  const results = [];
  const check = (name, ok, detail = '') => results.push({ name, ok: Boolean(ok), detail: String(detail) });
  const fetched = async (name) => (await fetch(`/test/fixtures/sharded/${name}`)).blob();
  const expected = await (await fetch('/test/fixtures/sharded/expected.json')).json();

  const blob = await fetched('model-00003-of-00003.safetensors');
  const fromBlob = await readSafetensors(blob);
  const fromBytes = await readSafetensors(new Uint8Array(await blob.arrayBuffer()));
  check('header from a Blob', fromBlob.tensors.length === 6 && fromBlob.metadata.format === 'pt', fromBlob.tensors.length);
  const a = await fromBlob.values('lm_head.weight');
  const b = await fromBytes.values('lm_head.weight');
  check('values from a Blob and from bytes agree', a.length === 800 && a.every((v, i) => Object.is(v, b[i])));
  // torch's bfloat16 bits of the tensor (little-endian hex), against floatlab's cast of the values read
  const bf = expected.tensors['lm_head.weight'].bfloat16;
  const torchCodes = Uint16Array.from({ length: a.length }, (_, i) =>
    Number.parseInt(bf.slice(4 * i + 2, 4 * i + 4) + bf.slice(4 * i, 4 * i + 2), 16),
  );
  const ours = encodeArray('bfloat16', a);
  const differ = a.findIndex((v, i) => !Number.isNaN(v) && ours[i] !== torchCodes[i]);
  check("bfloat16 cast of the values read matches torch's bits", differ === -1 && a.length === torchCodes.length, differ);
  const f4 = await fromBlob.codes('quant.w.elements');
  check('packed F4 codes unpack', f4.length === 64 && f4.every((c) => c < 16));

  const npz = await openTensorFile(await fetched('arrays-compressed.npz'));
  const arrays = await (await fetch('/test/fixtures/sharded/arrays.json')).json();
  const hex = (u8) => Array.from(u8, (x) => x.toString(16).padStart(2, '0')).join('');
  check('.npz (deflated) arrays bit for bit', hex(await npz.bytes('a')) === arrays.a && hex(await npz.bytes('b')) === arrays.b);

  const written = writeSafetensors(
    [{ name: 'w', dtype: 'F32', shape: [2], data: new Uint8Array(new Float32Array([1, -2]).buffer) }],
    { k: 'v' },
  );
  const back = await readSafetensors(new Blob([written]));
  const w = await back.values('w');
  check('write then read back', w[0] === 1 && w[1] === -2 && back.metadata.k === 'v');

  let message = '';
  try {
    await openTensorFile(new Blob(['# README\n']));
  } catch (e) {
    message = `${e.name}: ${e.message}`;
  }
  check('a text file is named as such', /FileFormatError: this is a text file/.test(message), message);
  return results;
}

window.__floatlab = run().catch((e) => [{ name: 'run', ok: false, detail: e.stack }]);
