import { readFileSync } from 'node:fs';
import { defineConfig } from 'vitest/config';

const { version } = JSON.parse(readFileSync('package.json', 'utf8')) as { version: string };

export default defineConfig({
  define: { __VERSION__: JSON.stringify(version) },
  test: {
    // The type-level tests (test/**/*.test-d.ts) are checked by `tsc --noEmit` (`npm run typecheck`,
    // part of `npm test`): tsconfig.json includes test/, and a failed expectTypeOf is a type error.
    include: ['test/**/*.test.ts'],
    setupFiles: ['test/helpers/event-loop.ts'],
    testTimeout: 60_000,
    // Both cores: every test body is short and yields (test/helpers/event-loop.ts), so two workers
    // share a busy machine safely and halve the quiet time (vitest's default is the cores less one).
    maxWorkers: 2,
  },
});
