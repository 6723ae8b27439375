// Test tiers (PRODUCT.md): unit specs beside the code; database specs against a real PGlite with pgvector,
// run twice (in-process, and over the PostgreSQL wire protocol); end-to-end specs that boot the app; browser
// specs in Debian's Chromium; the server tier (repository specs and the deployment's end-to-end suites on a real
// PostgreSQL server with pgvector). `npm test` runs them all; `npm run check` runs the unit tier.
const transform = {
  '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json', diagnostics: false }],
};
const fs = require('node:fs');
const path = require('node:path');

const base = {
  transform,
  testEnvironment: 'node',
  moduleFileExtensions: ['ts', 'js', 'json'],
  rootDir: __dirname,
};

/** The PostgreSQL versions under /usr/lib/postgresql that have a server and a pgvector extension, newest first. */
function serverVersionsWithPgvector() {
  const lib = '/usr/lib/postgresql';
  if (!fs.existsSync(lib)) return [];
  return fs
    .readdirSync(lib)
    .filter((v) => /^\d+$/.test(v))
    .sort((a, b) => Number(b) - Number(a))
    .filter(
      (v) =>
        fs.existsSync(path.join(lib, v, 'bin', 'initdb')) &&
        fs.existsSync(path.join('/usr/share/postgresql', v, 'extension', 'vector.control')),
    );
}

/** { ok: true } or { ok: false, reason } saying what is missing and how to get it. */
function serverTier() {
  if (!fs.existsSync('/usr/lib/postgresql'))
    return { ok: false, reason: 'PostgreSQL is not installed (`apt-get install postgresql`)' };
  if (serverVersionsWithPgvector().length === 0)
    return {
      ok: false,
      reason:
        'pgvector is not built into the installed PostgreSQL (`apt-get install postgresql-server-dev-15`, then ' +
        '`make && make install` in the unpacked ../shared/vendor/pgvector-*.tar.gz, as .ci/run does)',
    };
  return { ok: true };
}

/**
 * The server tier: the repository and migration specs and the end-to-end suites a deployment depends on, run on a
 * real PostgreSQL server with pgvector (a throwaway one per spec file, its pool larger than one). Where the machine
 * has no such server the tier is left out with a message; .ci/run (KAKEHASHI_REQUIRE_POSTGRES=1) makes that an
 * error.
 */
const SERVER_TIER_E2E = [
  'companies-api',
  'real-companies-import',
  'matching-eval',
  'line-delivery',
  'web-chat-socket',
  'introductions-flow',
  'relay-deal-room',
  'ops-privacy',
  'ops-scale-out',
  'ops-scale-out-postgres',
];
const server = serverTier();
if (!server.ok) {
  if (process.env.KAKEHASHI_REQUIRE_POSTGRES === '1')
    throw new Error(`KAKEHASHI_REQUIRE_POSTGRES=1 but the server tier cannot run: ${server.reason}.`);
  console.warn(`SKIPPED (server tier): ${server.reason}. KAKEHASHI_REQUIRE_POSTGRES=1 makes this an error.`);
}
const serverProject = {
  ...base,
  displayName: 'server',
  testMatch: [
    '<rootDir>/src/**/*.db.spec.ts',
    ...SERVER_TIER_E2E.map((name) => `<rootDir>/test/e2e/${name}.e2e.spec.ts`),
    // What only a server has (pg_dump/pg_restore, two instances on one server).
    '<rootDir>/test/server/**/*.server.spec.ts',
  ],
  setupFiles: ['<rootDir>/test/support/server-mode.setup.ts'],
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
    ...(server.ok ? [serverProject] : []),
  ],
  testTimeout: 60000,
  // On a 2-core machine Jest runs the suite in one process, and the booted apps of ~100 spec files add up past
  // Node's 4 GB heap (CI died at 27 min). With a limit Jest runs the specs in a worker and replaces it once it
  // holds more than this after a spec file.
  workerIdleMemoryLimit: '1GB',
};
