/** docs/mx.md shows the block format table as the library derives it (the generated docs are checked by docs.test.ts). */
import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { mxFormatTable } from '../docs/make/mx-formats.js';

it('the block format table in docs/mx.md is what mxFormat derives', () => {
  const doc = readFileSync(new URL('../docs/mx.md', import.meta.url), 'utf8');
  expect(doc.includes(mxFormatTable().join('\n')), 'docs/mx.md: update the table from docs/make/mx-formats.ts').toBe(true);
});
