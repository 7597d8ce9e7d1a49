// @ts-check
import eslint from '@eslint/js';
import tseslint from 'typescript-eslint';

const libs = ['config', 'database', 'queue', 'calendar', 'policy-parser', 'domain'];

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', '**/*.js', '**/*.mjs'] },
  eslint.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': ['error', { considerDefaultExhaustiveForUnions: true }],
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/require-await': 'off',
      '@typescript-eslint/no-extraneous-class': 'off',
      'no-fallthrough': 'error',
      'no-lone-blocks': 'error',
      'no-empty': ['error', { allowEmptyCatch: false }],
    },
  },
  {
    // Dependencies run one way: apps -> domain -> infrastructure libs -> config (STYLE.md).
    files: ['libs/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['**/apps/**', '@duban/api*', '@duban/worker*', '@duban/cli*'], message: 'libs never import apps' },
            { group: libs.map((l) => `**/libs/${l}/src/**`).concat(['../../*/src/*']), message: 'import a lib through @duban/<lib> only' },
          ],
        },
      ],
    },
  },
  {
    files: ['libs/policy-parser/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['@nestjs/*', 'typeorm', 'pg', 'bullmq', 'ioredis', '@duban/*'], message: 'policy-parser is pure: no Nest, no database, no other libs' },
          ],
        },
      ],
    },
  },
  {
    files: ['libs/{config,database,queue,calendar}/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ['@duban/domain'], message: 'infrastructure libs do not import the domain' }] },
      ],
    },
  },
  {
    files: ['apps/api/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [{ group: ['**/apps/worker/**', '**/worker/src/**'], message: 'api and worker never import each other' }] }] },
  },
  {
    files: ['apps/worker/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [{ group: ['**/apps/api/**', '**/api/src/**'], message: 'api and worker never import each other' }] }] },
  },
  {
    // Tests read untyped JSON responses; `any` there is the honest type.
    files: ['**/*.spec.ts', '**/*.e2e-spec.ts', 'test/**/*.ts', 'bench/**/*.ts'],
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/unbound-method': 'off',
    },
  },
);
