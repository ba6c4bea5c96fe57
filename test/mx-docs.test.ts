/** docs/mx.md and its picture say what the library does today. */
import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { MX_FORMAT_NAMES, mxFormat } from '../src/index.js';
import { mxBlockSvg } from '../docs/make/mx-block.js';

it('docs/mx-block.svg is current (regenerate: npx tsx docs/make/mx-block.ts)', () => {
  expect(readFileSync(new URL('../docs/mx-block.svg', import.meta.url), 'utf8')).toBe(mxBlockSvg());
});

it('the block format table in docs/mx.md is what mxFormat derives', () => {
  const doc = readFileSync(new URL('../docs/mx.md', import.meta.url), 'utf8');
  const rows = doc.split('\n').filter((l) => /^\| mx\w+ \|/.test(l));
  const want = MX_FORMAT_NAMES.map((n) => {
    const M = mxFormat(n);
    const E = M.element;
    return `| ${n} | ${E.name} | ${E.bits} | ${E.emax} | ${E.max} | ${E.lowest} | ${E.smallest} | ${M.bitsPerElement} | ${M.bytesPerBlock} |`;
  });
  expect(rows).toEqual(want);
});
