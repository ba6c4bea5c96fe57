import { readFileSync } from 'node:fs';
import { defineConfig } from 'vitest/config';

const { version } = JSON.parse(readFileSync('package.json', 'utf8')) as { version: string };

// The tests Stryker runs against each mutant: every library test, without the ones that only
// exercise the built package, the CLI or the browser (they run the bundle, not the mutated source).
export default defineConfig({
  define: { __VERSION__: JSON.stringify(version) },
  test: {
    include: ['test/**/*.test.ts'],
    exclude: [
      'test/package.test.ts',
      'test/cli*.test.ts',
      'test/demo*.test.ts',
      'test/docs.test.ts',
      'test/load.test.ts',
      'test/browser/**',
    ],
    testTimeout: 120_000,
    // the heaviest loops visit a sample of their inputs (test/helpers/profile.ts)
    env: { FLOATLAB_TEST_PROFILE: 'mutation' },
    // the bad-input matrix's CLI cells run the command, which Stryker does not mutate
    testNamePattern: /^(?!.*bad-input matrix: the CLI)/,
  },
});
