// Type-aware lint. The restricted-import rules keep third-party SDKs inside their one adapter each, so the
// rest of the code speaks the product's own terms and an SDK upgrade touches one file.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

const sdkBoundaries = [
  {
    group: ['@electric-sql/*'],
    message: 'PGlite lives in src/database/embedded-postgres.ts (and test support): use the pg Pool instead.',
  },
  { group: ['@line/*'], message: 'The LINE SDK lives in src/line/line-api.client.ts only.' },
  {
    group: ['@langchain/*', 'langchain', 'langchain/*'],
    message: 'LangChain lives in src/llm/ adapters only.',
  },
  { group: ['socket.io'], message: 'socket.io lives in the web-chat gateway/adapter only.' },
];

export default tseslint.config(
  {
    ignores: [
      'dist/**',
      'node_modules/**',
      'data/**',
      'coverage/**',
      'public/build/**',
      'test/artifacts/**',
      '*.mjs',
      '*.js',
      'scripts/*.js',
      'scripts/*.mjs',
      '.scratch/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
      globals: { ...globals.node },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/require-await': 'off',
      '@typescript-eslint/no-extraneous-class': 'off',
      'no-restricted-imports': ['error', { patterns: sdkBoundaries }],
      'no-restricted-properties': [
        'error',
        { object: 'process', property: 'env', message: 'Read configuration through AppConfig (src/config).' },
      ],
    },
  },
  {
    // The adapters that are allowed to touch each SDK, and the config loader that reads the environment.
    files: ['src/database/embedded-postgres.ts', 'test/support/**/*.ts', 'scripts/**/*.ts'],
    rules: { 'no-restricted-imports': 'off' },
  },
  {
    files: [
      'src/line/line-api.client.ts',
      'src/llm/adapters/**/*.ts',
      'src/web-chat/socket-io.adapter.ts',
      'src/web-chat/*.gateway.ts',
      'src/matching/embeddings/**/*.ts',
    ],
    rules: { 'no-restricted-imports': 'off' },
  },
  {
    files: ['src/config/**/*.ts', 'scripts/**/*.ts', 'test/**/*.ts', '**/*.spec.ts'],
    rules: { 'no-restricted-properties': 'off' },
  },
  {
    // Front-end apps bundled by scripts/build-web.mjs run in the browser, type-checked with web/tsconfig.json.
    files: ['web/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
  },
  {
    // Specs use jest mocks whose types are loose by design.
    files: ['**/*.spec.ts', 'test/**/*.ts'],
    rules: {
      '@typescript-eslint/unbound-method': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/no-explicit-any': 'off',
    },
  },
);
