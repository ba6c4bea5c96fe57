// Run as `node --import tsx test/helpers/read-header.ts FILE`: reads the safetensors header of FILE
// and prints how many tensors it declares (or the error), so a test can measure the parse alone.
import { open } from 'node:fs/promises';
import { fileHandleSource } from '../../src/files/node.js';
import { readSafetensorsHeader } from '../../src/files/safetensors.js';

const fh = await open(process.argv[2]!, 'r');
try {
  const h = await readSafetensorsHeader(fileHandleSource(fh, (await fh.stat()).size));
  process.stdout.write(`${h.tensors.length} tensors\n`);
} catch (err) {
  process.stdout.write(`${(err as Error).message}\n`);
} finally {
  await fh.close();
}
