import { defineConfig } from 'vitest/config';

// Browser tests: Node drives Debian's chromium (playwright-core) on pages that load the
// built SDK (dist/) and talk to a real wsd.
export default defineConfig({
  test: {
    include: ['test/browser/**/*.test.ts'],
    environment: 'node',
    testTimeout: 60000,
    hookTimeout: 60000,
    fileParallelism: false,
  },
});
