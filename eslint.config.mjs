// ESLint flat config: typescript-eslint's recommended rules, strict on `any` at boundaries, and the layer rule.
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'out/**', 'node_modules/**', 'test-results/**', '.vscode-test/**', 'bench/results/**', 'test/fixtures/**'] },
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/explicit-module-boundary-types': 'off',
    },
  },
  {
    // Only the VS Code glue may import `vscode`: everything below it is plain Node, tested without an editor and
    // shared with the CLI (docs/architecture.md). Type-only imports count too.
    files: ['src/**/*.ts', 'media/**/*.ts'],
    ignores: ['src/editor/**', 'src/panel/**', 'src/extension.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: [
            {
              name: 'vscode',
              message:
                'Only src/editor/, src/panel/ and src/extension.ts import vscode: put the plain logic below the glue (see docs/architecture.md).',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['**/*.mjs', '**/*.js'],
    languageOptions: {
      globals: { process: 'readonly', console: 'readonly', URL: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly', Buffer: 'readonly' },
    },
  },
);
