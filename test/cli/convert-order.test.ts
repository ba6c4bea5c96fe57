/**
 * `convert` renames OUT into place only after everything that can fail has run — the report
 * included: here the report fails (mocked), and OUT must not appear, nor a temporary file stay.
 */
import { copyFileSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it, vi } from 'vitest';
import { runCli } from '../../src/cli/program.js';

vi.mock('../../src/cli/range-table.js', () => ({
  finishRanges: () => {
    throw new RangeError('Maximum call stack size exceeded');
  },
}));

const tmp = mkdtempSync(join(tmpdir(), 'floatlab-order-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

it('a report that fails leaves no OUT and no temporary file (exit 2, one line)', async () => {
  const input = join(tmp, 'in.safetensors');
  copyFileSync(new URL('../fixtures/checkpoints/model.safetensors', import.meta.url).pathname, input);
  let err = '';
  const code = await runCli(['convert', input, join(tmp, 'out.safetensors'), '--to', 'bf16'], {
    out: () => {},
    err: (t) => (err += t),
    errIsTTY: false,
  });
  expect(code).toBe(2);
  expect(err).toBe('floatlab: convert: Maximum call stack size exceeded\n');
  expect(readdirSync(tmp)).toEqual(['in.safetensors']);
});
