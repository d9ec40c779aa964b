// Lint: type-aware rules plus the import boundaries of ARCHITECTURE.md, enforced, not just written.
import tseslint from 'typescript-eslint';
import importX from 'eslint-plugin-import-x';
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';

const NODE_BUILTINS = ['node:*', 'fs', 'path', 'os', 'child_process', 'net', 'http', 'https', 'crypto', 'stream', 'worker_threads', 'url', 'util', 'events'];
const IO_PACKAGES = ['postgres', '@electric-sql/pglite', 'drizzle-orm', 'drizzle-orm/*', 'pino', 'graphql-yoga', '@temporalio/client', '@temporalio/worker', '@temporalio/activity', 'csv-parse', 'csv-parse/*'];

const restrict = (patterns, message) => ['error', { patterns: [{ group: patterns, message }] }];

export default tseslint.config(
  { ignores: ['node_modules/**', '.loom/**', 'dist/**', 'web/dist/**', 'db/migrations/**', 'coverage/**', 'test-artifacts/**'] },
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: { parserOptions: { projectService: { allowDefaultProject: ['*.js', 'cli/bin.js'] }, tsconfigRootDir: import.meta.dirname } },
    plugins: { 'import-x': importX },
    rules: {
      'import-x/no-cycle': ['error', { maxDepth: 10, ignoreExternal: true }],
      'no-console': 'error',
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/require-await': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/restrict-template-expressions': 'off',
      '@typescript-eslint/no-base-to-string': 'off',
      '@typescript-eslint/only-throw-error': 'off',
      '@typescript-eslint/prefer-promise-reject-errors': 'off',
      '@typescript-eslint/no-redundant-type-constituents': 'off',
      '@typescript-eslint/unbound-method': 'off',
    },
    settings: { 'import-x/resolver-next': [createTypeScriptImportResolver({ alwaysTryTypes: true })] },
  },
  {
    // The workflow sandbox is deterministic: no Node built-ins, nothing with I/O, activities by type only.
    files: ['workflows/**/*.ts'],
    ignores: ['workflows/**/*.test.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': ['error', {
        patterns: [
          { group: [...NODE_BUILTINS, ...IO_PACKAGES, '../db/*', '../graphql/*', '../services/*', '../runtime/*', '../notebook/*', '../kinds/*'], message: 'Workflow code is deterministic: import only core/, @temporalio/workflow and activity types.' },
          { group: ['../activities/*'], allowTypeImports: true, message: 'Workflows use activities through proxyActivities: import their types only.' },
        ],
      }],
    },
  },
  {
    // Pure modules: no I/O of any kind (node:crypto is allowed for hashing only).
    files: ['core/**/*.ts', 'notebook/**/*.ts', 'kinds/**/*.ts', 'outputs/**/*.ts', 'simulator/**/*.ts', 'stats/**/*.ts', 'features/**/*.ts', 'metrics/**/*.ts', 'experiments/**/*.ts', 'export/**/*.ts', 'schedules/**/*.ts'],
    ignores: ['**/*.test.ts'],
    rules: {
      'no-restricted-imports': restrict([...NODE_BUILTINS.filter((m) => m !== 'node:*' && m !== 'crypto'), 'node:fs', 'node:fs/*', 'node:net', 'node:http', 'node:https', 'node:child_process', 'node:os', 'node:stream', 'node:path', ...IO_PACKAGES, '../db/*', '../../db/*', '../activities/*', '../services/*', '../graphql/*', '../runtime/*', '../cli/*'], 'Pure module: no I/O. Move I/O to activities/, services/ or runtime/.'),
    },
  },
  {
    files: ['db/**/*.ts'],
    rules: {
      'no-restricted-imports': restrict(['../activities/*', '../services/*', '../graphql/*', '../runtime/*', '../notebook/*', '../cli/*', '../workflows/*', '../../activities/*', '../../services/*', '../../graphql/*'], 'db/ imports nothing of ours except core/ types.'),
    },
  },
  {
    files: ['activities/**/*.ts', 'services/**/*.ts', 'runtime/**/*.ts', 'gpu-worker/**/*.ts'],
    ignores: ['**/*.test.ts'],
    rules: {
      'no-restricted-imports': restrict(['../graphql/*', '../cli/*', '../../graphql/*', '../../cli/*', '../workflows/*', '../../workflows/*'], 'Only entry points (cli/) assemble the API and workers; workflows are loaded by bundle path.'),
    },
  },
  {
    files: ['tests/**/*.ts', '**/*.test.ts', 'bench/**/*.ts', 'cli/**/*.ts', 'cli/bin.js'],
    rules: { 'no-console': 'off', '@typescript-eslint/no-floating-promises': 'off' },
  },
);
