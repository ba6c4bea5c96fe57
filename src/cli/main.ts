/**
 * The floatlab command. For now: the finfo line of every format (or of the formats named).
 */
import { FORMAT_NAMES, finfo } from '../index.js';

const names = process.argv.slice(2).filter((a) => a !== 'finfo');
try {
  for (const name of names.length ? names : FORMAT_NAMES) console.log(String(finfo(name)));
} catch (err) {
  console.error(`floatlab: ${(err as Error).message}`);
  process.exitCode = 2;
}
