// ESLint flat config: type-aware typescript-eslint rules plus the layer boundaries of
// ARCHITECTURE.md, enforced with no-restricted-imports (dependency arrows point one way only).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

const layers = [
  'core',
  'protocol',
  'process',
  'channel',
  'control-plane',
  'pipeline',
  'store',
  'http',
  'runtime',
];

// What each layer may import from (besides itself).
const allowed = {
  core: [],
  protocol: ['core'],
  process: ['core', 'protocol'],
  channel: ['core', 'protocol', 'process'],
  'control-plane': ['core', 'protocol'],
  pipeline: ['core', 'protocol', 'process', 'channel', 'control-plane'],
  store: ['core', 'protocol', 'control-plane'],
  http: ['core', 'protocol', 'process', 'channel', 'control-plane', 'pipeline'],
  runtime: layers,
};

const nodeBuiltins = {
  group: ['node:*'],
  message:
    'node:* imports live only in src/runtime/node and Node-only store backends (the core runs on the edge).',
};

const boundaryConfigs = layers.map((layer) => {
  const forbidden = layers.filter((other) => other !== layer && !allowed[layer].includes(other));
  const patterns = forbidden.map((other) => ({
    group: [`**/${other}/**`, `**/${other}`],
    message: `The ${layer} layer must not import from ${other} (see ARCHITECTURE.md, Layers).`,
  }));
  if (layer !== 'runtime' && layer !== 'store') patterns.push(nodeBuiltins);
  return {
    files: [`src/${layer}/**/*.ts`],
    ignores: ['src/**/*.test.ts'],
    rules: { '@typescript-eslint/no-restricted-imports': ['error', { patterns }] },
  };
});

export default tseslint.config(
  {
    ignores: ['dist/**', 'node_modules/**', 'data/**', 'coverage/**', 'console/dist/**', 'bench/results/**'],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['**/*.js', '**/*.mjs'],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: {
      ...tseslint.configs.disableTypeChecked.languageOptions,
      globals: { ...globals.node },
    },
  },
  {
    files: ['test/**/*.ts', 'src/**/*.test.ts', 'bench/**/*.ts'],
    rules: {
      // Tests handle raw provider JSON; the code under test is what must be type-safe.
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
  ...boundaryConfigs,
);
