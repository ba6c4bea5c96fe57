// @ts-check
/**
 * `npm run test:mutation`: Stryker mutates the library (src/, the CLI and the demo excepted) and
 * runs the tests that cover each mutant. Too slow for CI; the score is recorded in docs/testing.md.
 * @type {import('@stryker-mutator/api/core').PartialStrykerOptions}
 */
export default {
  testRunner: 'vitest',
  vitest: { configFile: 'vitest.mutation.config.ts' },
  mutate: ['src/**/*.ts', '!src/cli/**', '!src/demo/**', '!src/**/*.d.ts', '!src/index.ts'],
  coverageAnalysis: 'perTest',
  // Test files build their tables while they are collected, so code those tables reach is "static"
  // to Stryker; it must run such mutants against every test, or they survive tests that kill them.
  ignoreStatic: false,
  reporters: ['clear-text', 'progress', 'html', 'json'],
  htmlReporter: { fileName: 'reports/mutation/mutation.html' },
  jsonReporter: { fileName: 'reports/mutation/mutation.json' },
  thresholds: { high: 90, low: 85, break: null },
  concurrency: 2,
  timeoutMS: 5000,
  dryRunTimeoutMinutes: 40,
  incremental: true,
  incrementalFile: 'reports/stryker-incremental.json',
  tempDirName: '.stryker-tmp',
};
