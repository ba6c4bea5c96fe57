/**
 * docs/mx.md shows the block format table as the library derives it (the generated docs are checked
 * by docs.test.ts), and the values its "MX tensors" example prints are what the library gives.
 */
import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { mxFormatTable } from '../../docs/make/mx-formats.js';
import * as floatlab from '../../src/index.js';
import { matches, show } from '../helpers/doc-values.js';

const doc = readFileSync(new URL('../../docs/mx.md', import.meta.url), 'utf8');

it('the block format table in docs/mx.md is what mxFormat derives', () => {
  expect(doc.includes(mxFormatTable().join('\n')), 'docs/mx.md: update the table from docs/make/mx-formats.ts').toBe(true);
});

it('the first example of "MX tensors" in docs/mx.md prints what the library gives', () => {
  const section = doc.slice(doc.indexOf('## MX tensors'));
  const block = /```ts\n([\s\S]*?)```/.exec(section)![1]!;
  const lines = block.split('\n').filter((l) => l.trim() !== '' && !l.startsWith('import '));
  const setup = lines.filter((l) => l.startsWith('const '));
  const checks = lines.filter((l) => !l.startsWith('const ')).map((l) => /^(.*?);\s*\/\/\s*(.+)$/.exec(l)!);
  expect(checks.length).toBeGreaterThan(4);
  const names = Object.keys(floatlab);
  const wrong: string[] = [];
  for (const [, expr, expected] of checks) {
    const value = new Function(...names, `${setup.join('\n')}\nreturn (${expr});`)(
      ...names.map((n) => (floatlab as Record<string, unknown>)[n]),
    );
    if (!matches(value, expected!)) wrong.push(`${expr} gave ${show(value)}, the doc says ${expected}`);
  }
  expect(wrong).toEqual([]);
});
