/**
 * The `@example` blocks of the TSDoc are tested: every line of the form
 * `expression; // value` is evaluated against the library and must print as the comment says
 * (a trailing parenthetical note is ignored). Docs that lie fail here.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import * as floatlab from '../src/index.js';
import { matches, show } from './helpers/doc-values.js';

const SRC = new URL('../src/', import.meta.url).pathname;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) =>
    d.isDirectory() ? sourceFiles(join(dir, d.name)) : d.name.endsWith('.ts') ? [join(dir, d.name)] : [],
  );
}

interface Example {
  file: string;
  setup: string[];
  expr: string;
  expected: string;
}

/** The checkable lines of every @example block, with the block's earlier statements as setup. */
function examples(): Example[] {
  const out: Example[] = [];
  for (const file of sourceFiles(SRC)) {
    const text = readFileSync(file, 'utf8');
    for (const block of text.matchAll(/@example\s*\n((?:\s*\*.*\n)*?)\s*\*\/|@example\s*\n((?:\s*\*.*\n)*?)\s*\*\s*@/g)) {
      const lines = (block[1] ?? block[2] ?? '')
        .split('\n')
        .map((l) => l.replace(/^\s*\* ?/, ''))
        .filter((l) => !l.startsWith('```'));
      const setup: string[] = [];
      for (const line of lines) {
        const m = /^(.*?);\s*\/\/\s*(.+)$/.exec(line);
        if (m && !m[1]!.trimStart().startsWith('const ') && !m[1]!.includes('//')) {
          out.push({ file: file.slice(SRC.length), setup: [...setup], expr: m[1]!, expected: m[2]! });
        } else if (/^\s*(const|let) /.test(line)) setup.push(line);
      }
    }
  }
  return out;
}

const all = examples();

describe('TSDoc @example values', () => {
  it('finds examples to check', () => {
    expect(all.length).toBeGreaterThan(40);
  });

  it.each(all.map((e) => [`${e.file}: ${e.expr}`, e] as const))('%s', (_label, e) => {
    const names = Object.keys(floatlab);
    const body = `${e.setup.join('\n')}\nreturn (${e.expr});`;
    const value = new Function(...names, body)(...names.map((n) => (floatlab as Record<string, unknown>)[n]));
    expect(matches(value, e.expected), `${e.expr} gave ${show(value)}, the doc says ${e.expected}`).toBe(true);
  });
});
