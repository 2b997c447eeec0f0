import js from '@eslint/js'
import tseslint from 'typescript-eslint'

export default tseslint.config(
  {
    ignores: [
      '**/node_modules/**',
      'control-plane/build/**',
      'data-plane/dist/**',
      'control-plane/app/generated/**',
      'control-plane/.cache/**',
      '.switchyard/**',
      'test/artifacts/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: {
        process: 'readonly',
        console: 'readonly',
        Buffer: 'readonly',
        URL: 'readonly',
        setTimeout: 'readonly',
        clearTimeout: 'readonly',
        setInterval: 'readonly',
        clearInterval: 'readonly',
        queueMicrotask: 'readonly',
      },
    },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
    },
  },
  {
    // The data plane has no database (DESIGN.md): Prisma and control-plane code stay out of it, and of shared/.
    files: ['data-plane/**/*.ts', 'shared/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['@prisma/*', 'prisma', 'pg'], message: 'the data plane and shared/ never touch the database' },
            { group: ['@switchyard/control-plane', '@switchyard/control-plane/*', '**/control-plane/**'], message: 'only shared/ crosses between the planes' },
          ],
        },
      ],
    },
  },
  {
    // Relays are the data path: they depend on neutral modules (http/, upstream/, providers/), never
    // on Fastify plugins (the plugin's patterns above are repeated: a later block replaces the rule).
    files: ['data-plane/src/relay/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['@prisma/*', 'prisma', 'pg'], message: 'the data plane and shared/ never touch the database' },
            { group: ['@switchyard/control-plane', '@switchyard/control-plane/*', '**/control-plane/**'], message: 'only shared/ crosses between the planes' },
            { group: ['../plugins/*', '**/plugins/*'], message: 'relays import shared helpers from http/ (or another neutral module), never from plugins/' },
          ],
        },
      ],
    },
  },
  {
    // Only env modules read process.env (CONVENTIONS: no hidden global state).
    files: ['data-plane/src/**/*.ts', 'control-plane/app/**/*.{ts,tsx}'],
    ignores: ['**/env.ts', '**/env.server.ts', '**/*.test.ts'],
    rules: {
      'no-restricted-properties': ['error', { object: 'process', property: 'env', message: 'read configuration through env.ts' }],
    },
  },
)
