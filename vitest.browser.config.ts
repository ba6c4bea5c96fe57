import { defineConfig } from 'vitest/config';

// `npm run test:browser`: the real-browser test, kept out of `npm test` (it needs Debian's Chromium).
export default defineConfig({
  test: { include: ['test/browser/**/*.spec.ts'], testTimeout: 60_000 },
});
