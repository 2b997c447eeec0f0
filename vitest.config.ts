import { defineConfig } from 'vitest/config'

// One run covers every package: unit tests beside the code, cross-plane tests in test/.
// The global setup checks for the machine's PostgreSQL and Redis (failing loudly, never
// skipping), creates this run's database and Redis prefix, and removes both afterwards.
export default defineConfig({
  test: {
    globalSetup: ['./test/support/global-setup.ts'],
    setupFiles: ['./test/support/fail-on-console-error.ts'],
    testTimeout: 30_000,
    hookTimeout: 120_000,
    projects: [
      { extends: true, test: { name: 'shared', include: ['shared/src/**/*.test.ts'] } },
      { extends: true, test: { name: 'data-plane', include: ['data-plane/src/**/*.test.ts'] } },
      { extends: true, test: { name: 'control-plane', include: ['control-plane/{app,server}/**/*.test.ts'] } },
      {
        extends: true,
        test: { name: 'test', include: ['test/integration/**/*.test.ts', 'test/e2e/**/*.test.ts', 'test/security/**/*.test.ts'], testTimeout: 120_000 },
      },
    ],
  },
})
