// ESLint flat config: typescript-eslint + eslint-plugin-vue, plus the layering rule from STYLE.md:
// `electron` only inside src-main/electron/ (and the preload), Node built-ins never in the renderer,
// and src-shared stays pure (no Node, no Electron, no Vue); the renderer's screens and components never
// call the contract themselves (stores/ and composables/ do).
import pluginVue from 'eslint-plugin-vue';
import globals from 'globals';
import tseslint from 'typescript-eslint';
import { builtinModules } from 'node:module';

const nodeBuiltins = [...builtinModules, ...builtinModules.map((m) => `node:${m}`)];
const noElectron = {
  name: 'electron',
  message: 'Only src-main/electron/ and src-preload/ may import electron (see STYLE.md).',
};
const rendererData = {
  group: ['better-sqlite3', '**/src-main/**', '**/src-server/**', '**/src-shared/node/**'],
  message: 'The renderer reaches data only through the contract (api/client).',
};
const noNode = nodeBuiltins.map((name) => ({ name, message: 'Node built-ins are not available in the renderer.' }));

export default tseslint.config(
  {
    ignores: [
      'out/**',
      'dist/**',
      'release/**',
      'node_modules/**',
      'test-results/**',
      'playwright-report/**',
      '.bench-cache/**',
      'coverage/**',
    ],
  },
  ...tseslint.configs.recommended,
  ...pluginVue.configs['flat/recommended'],
  {
    files: ['**/*.vue'],
    languageOptions: { parserOptions: { parser: tseslint.parser, extraFileExtensions: ['.vue'] } },
  },
  {
    languageOptions: { globals: { ...globals.node }, ecmaVersion: 2023, sourceType: 'module' },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'error',
      'vue/multi-word-component-names': 'off',
      'vue/max-attributes-per-line': 'off',
      'vue/singleline-html-element-content-newline': 'off',
      'vue/html-self-closing': 'off',
      'vue/html-indent': 'off',
      'vue/html-closing-bracket-newline': 'off',
      'vue/multiline-html-element-content-newline': 'off',
      'vue/attributes-order': 'off',
    },
  },
  {
    files: ['src-main/**/*.ts', 'src-server/**/*.ts', 'src-shared/node/**/*.ts', 'bench/**/*.ts'],
    ignores: ['src-main/electron/**'],
    rules: { 'no-restricted-imports': ['error', { paths: [noElectron] }] },
  },
  {
    // Tests may name Electron's types (erased at run time) but never load it.
    files: ['tests/unit/**/*.ts', 'tests/integration/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': ['error', { paths: [{ ...noElectron, allowTypeImports: true }] }],
    },
  },
  {
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs', globals: { ...globals.node } },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    files: ['src-shared/**/*.ts'],
    ignores: ['src-shared/node/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [noElectron, ...noNode],
          patterns: [
            {
              group: ['vue', 'pinia', 'naive-ui', 'better-sqlite3', '../src-main/*', '../../src-main/*'],
              message: 'src-shared is pure TypeScript, usable by main, renderer and server.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['src-renderer/**/*.{ts,vue}'],
    languageOptions: { globals: { ...globals.browser } },
    rules: { 'no-restricted-imports': ['error', { paths: [noElectron, ...noNode], patterns: [rendererData] }] },
  },
  {
    // Screens and components keep to presentation: their data comes through stores and composables.
    files: ['src-renderer/components/**/*.{ts,vue}', 'src-renderer/views/**/*.{ts,vue}'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [noElectron, ...noNode],
          patterns: [
            rendererData,
            {
              group: ['**/api/client'],
              importNames: ['call'],
              message: 'A screen reads and changes data through a store (stores/) or a composable (composables/).',
            },
          ],
        },
      ],
    },
  },
);
