import { defineConfig } from 'tsup';

export default defineConfig({
  entry: { main: 'src/runtime/node/main.ts' },
  format: ['esm'],
  platform: 'node',
  target: 'node20',
  outDir: 'dist',
  clean: true,
  sourcemap: true,
  splitting: false,
  // Runtime dependencies stay in node_modules (better-sqlite3 is native).
  skipNodeModulesBundle: true,
});
