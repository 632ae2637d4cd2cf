import { defineConfig } from 'vitest/config';

// Integration tests talk to a real MariaDB/MySQL and to the Xero simulator over HTTP;
// each test file creates its own database (test/helpers/test-db.ts), so files may run in parallel.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    pool: 'forks',
    testTimeout: 60_000,
    hookTimeout: 120_000,
    maxWorkers: 2,
  },
});
