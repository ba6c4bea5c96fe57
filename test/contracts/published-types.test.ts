/**
 * The published declarations carry only the public API: no declaration that src/ marks
 * `@internal` (a function, a type, a class member such as `Tensor.storage`) appears in the
 * built `.d.ts` files. Reads the package's own build in dist (`npm test` builds first).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const ROOT = new URL('../..', import.meta.url).pathname;

function walk(dir: string, keep: (name: string) => boolean): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? walk(join(dir, e.name), keep) : keep(e.name) ? [join(dir, e.name)] : [],
  );
}

const parse = (file: string) => ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);

const nameOf = (node: ts.Node): string | undefined => {
  const name = (node as { name?: ts.Node }).name;
  return name && (ts.isIdentifier(name) || ts.isPrivateIdentifier(name) || ts.isStringLiteral(name)) ? name.text : undefined;
};

const isInternal = (node: ts.Node) => ts.getJSDocTags(node).some((t) => t.tagName.text === 'internal');

/** Top-level declarations by name and class members as `Class.member`, with whether each is marked @internal. */
function declarations(file: ts.SourceFile): { name: string; internal: boolean }[] {
  const found: { name: string; internal: boolean }[] = [];
  for (const statement of file.statements) {
    const names = ts.isVariableStatement(statement)
      ? statement.declarationList.declarations.map(nameOf)
      : [ts.isModuleDeclaration(statement) ? undefined : nameOf(statement)];
    for (const name of names) if (name) found.push({ name, internal: isInternal(statement) });
    if (ts.isClassDeclaration(statement) && statement.name) {
      for (const member of statement.members) {
        const name = ts.isConstructorDeclaration(member) ? 'constructor' : nameOf(member);
        if (name) found.push({ name: `${statement.name.text}.${name}`, internal: isInternal(member) });
      }
    }
  }
  return found;
}

const internal = walk(join(ROOT, 'src'), (n) => n.endsWith('.ts') && !n.endsWith('.d.ts')).flatMap((file) =>
  declarations(parse(file))
    .filter((d) => d.internal)
    .map((d) => ({ ...d, file: relative(ROOT, file) })),
);

const published = walk(join(ROOT, 'dist'), (n) => /\.d\.c?ts$/.test(n));

describe('the published declarations', () => {
  it('src marks internal declarations, and the build has declaration files to check', () => {
    // Without either, the test below would pass by checking nothing.
    expect(internal.map((d) => d.name)).toEqual(expect.arrayContaining(['Tensor.storage', 'Tensor.fromValues']));
    expect(published.map((f) => relative(ROOT, f))).toEqual(expect.arrayContaining(['dist/index.d.ts', 'dist/index.d.cts']));
  });

  // The entries (index, files, files-node) share declaration chunks (dist/tensor-*.d.ts), so
  // the public API is declared across the files of dist, each name once.
  it('still declare the public API (Tensor, Optimizer with its extension points and subclasses, encode, the file API)', () => {
    const names = new Set(published.flatMap((file) => declarations(parse(file)).map((d) => d.name)));
    for (const name of [
      'Tensor',
      'Tensor.from',
      'Optimizer',
      'Optimizer.step',
      'Optimizer.constructor',
      'Optimizer.update',
      'UpdateContext',
      'SGD',
      'Adam',
      'encode',
      'readSafetensors',
      'openTensorFile',
      'writeSafetensors',
      'openFileSource',
    ]) {
      expect(names.has(name), name).toBe(true);
    }
  });

  describe.each(published.map((f) => [relative(ROOT, f), f]))('%s', (_, file) => {
    const names = new Set(declarations(parse(file)).map((d) => d.name));

    it('declares no name that src marks @internal', () => {
      expect(internal.filter((d) => names.has(d.name)).map((d) => `${d.name} (${d.file})`)).toEqual([]);
    });
  });
});
