import { defineConfig } from 'vitest/config';

// Integration tests: the built SDK (dist/, so `npm run build` first) against a real wsd
// (WSD_BIN, else ../build/server/wsd), in Node.
export default defineConfig({
  test: {
    include: ['test/integration/**/*.test.ts'],
    environment: 'node',
    testTimeout: 30000,
    hookTimeout: 30000,
    maxWorkers: 2,
    minWorkers: 1,
  },
});
