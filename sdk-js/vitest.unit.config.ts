import { defineConfig } from 'vitest/config';

// Unit tests: no server, no browser. Fast.
export default defineConfig({
  test: {
    include: ['test/unit/**/*.test.ts'],
    environment: 'node',
    testTimeout: 10000,
  },
});
