import { defineConfig, mergeConfig } from 'vitest/config';
import { BaseSequencer, type TestSpecification } from 'vitest/node';
import base from './vitest.config.js';

// The tests Stryker runs against each mutant: every library test, without the ones that only
// exercise the built package, the CLI or the browser (they run the bundle, not the mutated source).
// Stryker stops at a mutant's first failing test, so the files that kill most mutants soonest (the
// oracle tables and the per-code loops) run first; the rest keep vitest's order.
const FIRST = ['vectors', 'between', 'exhaustive', 'scalar', 'errors', 'finfo'];
class OraclesFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const rank = (f: TestSpecification) => {
      const i = FIRST.findIndex((name) => f.moduleId.endsWith(`/test/${name}.test.ts`));
      return i < 0 ? FIRST.length : i;
    };
    // Array.prototype.sort is stable: files of equal rank keep vitest's order.
    return (await super.sort(files)).slice().sort((a, b) => rank(a) - rank(b));
  }
}

// The base config (vitest.config.ts) with these changes: mergeConfig keeps its define, include and
// setup file, and appends to its arrays.
export default mergeConfig(
  base,
  defineConfig({
    test: {
      exclude: [
        'test/package.test.ts',
        'test/cli*.test.ts',
        'test/demo*.test.ts',
        'test/docs.test.ts',
        'test/load.test.ts',
        'test/browser/**',
      ],
      testTimeout: 120_000,
      sequence: { sequencer: OraclesFirst },
      // the heaviest loops visit a sample of their inputs (test/helpers/profile.ts)
      env: { FLOATLAB_TEST_PROFILE: 'mutation' },
      // the bad-input matrix's CLI cells run the command, which Stryker does not mutate
      testNamePattern: /^(?!.*bad-input matrix: the CLI)/,
    },
  }),
);
