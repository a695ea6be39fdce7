/**
 * Jest runs TypeScript through @swc/jest: it only strips types (`npm run typecheck` type-checks), so it
 * does not depend on the TypeScript version we pin, and it is several times faster than ts-jest on two
 * cores. The Temporal worker's bundler uses the same @swc/core.
 *
 * Two projects: `unit` (pure code, no servers, starts instantly) and `system` (Temporal servers,
 * databases, HTTP), whose global setup resolves the Temporal binaries and bundles the workflow code
 * once per run. A third, `browser`, drives the admin app and customer pages in headless Chromium
 * against the whole system; its setup also builds the web bundle.
 *
 * @type {import('jest').Config}
 */
const transform = {
  '^.+\\.(t|j)sx?$': [
    '@swc/jest',
    { jsc: { target: 'es2022', parser: { syntax: 'typescript' } }, module: { type: 'commonjs' } },
  ],
};

module.exports = {
  testTimeout: 60_000,
  maxWorkers: 2,
  reporters: ['default', '<rootDir>/test/support/summary-reporter.js'],
  projects: [
    {
      displayName: 'unit',
      testEnvironment: 'node',
      testMatch: ['<rootDir>/test/unit/**/*.test.ts'],
      transform,
    },
    {
      displayName: 'system',
      testEnvironment: 'node',
      testMatch: ['<rootDir>/test/**/*.test.ts'],
      testPathIgnorePatterns: ['<rootDir>/test/unit/', '<rootDir>/test/browser/'],
      transform,
      setupFiles: ['<rootDir>/test/support/quiet-temporal.ts'],
      globalSetup: '<rootDir>/test/support/global-setup.ts',
      globalTeardown: '<rootDir>/test/support/global-teardown.ts',
    },
    {
      displayName: 'browser',
      testEnvironment: 'node',
      testMatch: ['<rootDir>/test/browser/**/*.test.ts'],
      transform,
      setupFiles: ['<rootDir>/test/support/quiet-temporal.ts'],
      globalSetup: '<rootDir>/test/support/browser-global-setup.ts',
      globalTeardown: '<rootDir>/test/support/global-teardown.ts',
    },
  ],
};
