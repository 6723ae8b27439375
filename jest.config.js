// Test tiers (PRODUCT.md): unit specs beside the code; database specs against a real PGlite with pgvector,
// run twice (in-process, and over the PostgreSQL wire protocol); end-to-end specs that boot the app; browser
// specs in Debian's Chromium. `npm test` runs them all; `npm run check` runs the unit tier.
const transform = {
  '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json', diagnostics: false }],
};
const base = {
  transform,
  testEnvironment: 'node',
  moduleFileExtensions: ['ts', 'js', 'json'],
  rootDir: __dirname,
};

module.exports = {
  projects: [
    {
      ...base,
      displayName: 'unit',
      testMatch: ['<rootDir>/src/**/*.spec.ts'],
      testPathIgnorePatterns: ['\\.db\\.spec\\.ts$'],
    },
    { ...base, displayName: 'db', testMatch: ['<rootDir>/src/**/*.db.spec.ts'] },
    {
      ...base,
      displayName: 'db-wire',
      testMatch: ['<rootDir>/src/**/*.db.spec.ts'],
      setupFiles: ['<rootDir>/test/support/wire-mode.setup.ts'],
    },
    { ...base, displayName: 'e2e', testMatch: ['<rootDir>/test/e2e/**/*.e2e.spec.ts'] },
    { ...base, displayName: 'browser', testMatch: ['<rootDir>/test/browser/**/*.browser.spec.ts'] },
    // Fault and abuse suite (`npm run test:resilience`): outages, storms, oversize input, prompt injection.
    {
      ...base,
      displayName: 'resilience',
      testMatch: ['<rootDir>/test/resilience/**/*.resilience.spec.ts'],
    },
  ],
  testTimeout: 60000,
  // On a 2-core machine Jest runs the suite in one process, and the booted apps of ~100 spec files add up past
  // Node's 4 GB heap (CI died at 27 min). With a limit Jest runs the specs in a worker and replaces it once it
  // holds more than this after a spec file.
  workerIdleMemoryLimit: '1GB',
};
