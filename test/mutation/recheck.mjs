#!/usr/bin/env node
/**
 * Re-tests the survivors of a Stryker run against the whole suite, one process per mutant.
 *
 * Stryker (with `ignoreStatic: true`) runs a "hybrid" mutant — code reached both while test files
 * are collected and inside tests — only against the tests that reach it, so a mutant in code whose
 * result a test file computes at collection time (a `describe` body) can survive although the suite
 * kills it. This script settles such survivors: it writes each mutant into a scratch copy of the
 * repository and runs `vitest -c vitest.mutation.config.ts --bail 1` there.
 *
 *   node test/mutation/recheck.mjs reports/mutation/mutation.json [--static] [--sample N] [--files a.ts,b.ts]
 *
 * Prints one line per mutant (KILLED or SURVIVED, where, the change, the first failing test) and a
 * summary. `--static` takes only the survivors Stryker marked static; `--sample N` a seeded sample;
 * `--files` the survivors (and mutants no test covered) in those source files, e.g. after adding tests.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { static: { type: 'boolean', default: false }, sample: { type: 'string' }, files: { type: 'string' } },
});
if (positionals.length !== 1) {
  console.error('usage: node test/mutation/recheck.mjs REPORT.json [--static] [--sample N] [--files a.ts,b.ts]');
  process.exit(2);
}
const root = resolve(import.meta.dirname, '../..');
const report = JSON.parse(readFileSync(positionals[0], 'utf8'));

const files = values.files?.split(',');
const wanted = (m) => m.status === 'Survived' || (files !== undefined && m.status === 'NoCoverage');
let survivors = Object.entries(report.files)
  .filter(([file]) => files === undefined || files.includes(file))
  .flatMap(([file, { mutants }]) =>
    mutants.filter((m) => wanted(m) && (!values.static || m.static)).map((m) => ({ file, ...m })),
  );
if (values.sample) {
  // a seeded shuffle (mulberry32), so a sample can be repeated
  let s = 20261125;
  const random = () => {
    s = (s + 0x6d2b79f5) | 0;
    let t = Math.imul(s ^ (s >>> 15), 1 | s);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
  survivors = survivors
    .map((m) => ({ m, k: random() }))
    .sort((a, b) => a.k - b.k)
    .slice(0, Number(values.sample))
    .map(({ m }) => m);
}

const scratch = mkdtempSync(join(tmpdir(), 'floatlab-recheck-'));
const tracked = spawnSync('git', ['ls-files', '-z'], { cwd: root, encoding: 'utf8' }).stdout.split('\0').filter(Boolean);
for (const f of tracked) cpSync(join(root, f), join(scratch, f));
symlinkSync(join(root, 'node_modules'), join(scratch, 'node_modules'));

function offset(lines, { line, column }) {
  let at = 0;
  for (let i = 0; i < line - 1; i++) at += lines[i].length + 1;
  return at + column - 1;
}

let killed = 0;
for (const m of survivors) {
  const path = join(scratch, m.file);
  const source = readFileSync(path, 'utf8');
  const lines = source.split('\n');
  const [a, b] = [offset(lines, m.location.start), offset(lines, m.location.end)];
  writeFileSync(path, source.slice(0, a) + m.replacement + source.slice(b));
  const run = spawnSync('npx', ['vitest', 'run', '-c', 'vitest.mutation.config.ts', '--bail', '1'], {
    cwd: scratch,
    encoding: 'utf8',
    timeout: 300_000,
  });
  writeFileSync(path, source);
  const dead = run.status !== 0;
  if (dead) killed++;
  const first = `${run.stdout}${run.stderr}`.split('\n').find((l) => l.includes('FAIL')) ?? (run.error ? 'timeout' : '');
  const change = `${JSON.stringify(source.slice(a, b).slice(0, 60))} -> ${JSON.stringify(m.replacement.slice(0, 60))}`;
  console.log(
    `${dead ? 'KILLED' : 'SURVIVED'} ${m.file}:${m.location.start.line} ${m.mutatorName} ${change} | ${first.trim().slice(0, 120)}`,
  );
}
console.log(`${killed} of ${survivors.length} re-tested mutants are killed by the whole suite`);
rmSync(scratch, { recursive: true, force: true });
