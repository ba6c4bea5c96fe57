/**
 * The `@example` blocks of the TSDoc are tested: every line of the form
 * `expression; // value` is evaluated against the library and must print as the comment says
 * (a trailing parenthetical note is ignored). Docs that lie fail here.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import * as files from '../../src/files/index.js';
import * as library from '../../src/index.js';
import { matches, show } from '../helpers/doc-values.js';

const SRC = new URL('../../src/', import.meta.url).pathname;

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

/**
 * The checkable lines of a block of example code: `expr; // value` (and `const x = expr; // value`),
 * each with every statement before it as set-up. With `strict`, every commented expression line
 * must state a value; otherwise lines whose comment is prose are set-up too.
 */
function parseBlock(file: string, lines: string[], strict: boolean): Example[] {
  const out: Example[] = [];
  const setup: string[] = [];
  for (const [i, line] of lines.entries()) {
    if (line.trim() === '' || /^\s*import /.test(line)) continue;
    // `expr;` with its value on the next line, alone: `// value`
    const below = /^\s*\/\/\s*(.+)$/.exec(line);
    const above = /^\s*([^/].*?);\s*$/.exec(lines[i - 1] ?? '');
    if (below) {
      if (above && !/^\s*(const|let|for|if|})/.test(above[1]!) && isLiteral(below[1]!)) {
        out.push({ file, setup: setup.slice(0, -1), expr: above[1]!, expected: below[1]! });
      }
      continue;
    }
    const m = /^(\s*const (\w+) = )?(.*?);\s*\/\/\s*(.+)$/.exec(line);
    const checked = m && !m[3]!.includes('//') && (m[1] ? isLiteral(m[4]!) : strict || isLiteral(m[4]!));
    if (checked) out.push({ file, setup: [...setup], expr: m[3]!, expected: m[4]! });
    if (!checked || m[1]) setup.push(line);
  }
  return out;
}

/** The checkable lines of every @example block in src/. */
function examples(): Example[] {
  const out: Example[] = [];
  for (const file of sourceFiles(SRC)) {
    const text = readFileSync(file, 'utf8');
    for (const block of text.matchAll(/@example\s*\n((?:\s*\*.*\n)*?)\s*\*\/|@example\s*\n((?:\s*\*.*\n)*?)\s*\*\s*@/g)) {
      const lines = (block[1] ?? block[2] ?? '')
        .split('\n')
        .map((l) => l.replace(/^\s*\* ?/, ''))
        .filter((l) => !l.startsWith('```'));
      out.push(...parseBlock(file.slice(SRC.length), lines, true));
    }
  }
  return out;
}

/** A comment that states a value (not prose): a number, string, bigint, boolean, array or typed array. */
function isLiteral(comment: string): boolean {
  const text = comment.replace(/\s+\(.*\)\s*$/, '').trim();
  return /^(-?[\d.]+(e[-+]?\d+)?n?|-?Infinity|NaN|true|false|'[^']*'|\[.*\]|[A-Z][A-Za-z0-9]*Array \[.*\])$/.test(text);
}

/** The checkable lines of the README's ts blocks (prose comments are set-up). */
function readmeExamples(): Example[] {
  const text = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
  return [...text.matchAll(/```ts\n([\s\S]*?)```/g)].flatMap((b) => parseBlock('README.md', b[1]!.split('\n'), false));
}

/** Every name an example may use: the package's and floatlab/files'. */
const floatlab = { ...library, ...files };
const all = [...examples(), ...readmeExamples()];

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
