import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', 'data/', 'bench/results/', 'bench/.cache/'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' }],
      'no-restricted-imports': 'off',
    },
  },
  {
    // The domain engine knows no transport, no SQL and no dialect.
    files: ['src/core/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: ['**/store/**', '**/server/**', '**/dialects/**', '**/cli/**', 'fastify', 'kysely', 'pg', 'better-sqlite3'] },
      ],
    },
  },
  {
    // A dialect reaches the data only through the core.
    files: ['src/dialects/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: ['**/store/**', 'kysely', 'pg', 'better-sqlite3'] }],
    },
  },
);
