import { svelte } from '@sveltejs/vite-plugin-svelte';
import { defineConfig } from 'electron-vite';
import { resolve } from 'node:path';

const root = import.meta.dirname;

// One config for the three Electron bundles. The engine is not among them: it runs from source in
// a plain Node child of main (electron/host), so no native addon is ever loaded by Electron
// (tests/desktop/electron-bundles.test.ts checks the built bundles).
export default defineConfig({
  main: {
    build: {
      outDir: 'out/main',
      rolldownOptions: {
        input: { index: resolve(root, 'electron/main/index.ts') },
      },
      externalizeDeps: true,
    },
  },
  preload: {
    build: {
      outDir: 'out/preload',
      rolldownOptions: {
        input: { index: resolve(root, 'electron/preload/index.ts') },
        // Sandboxed preloads must be CommonJS.
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: 'renderer',
    plugins: [svelte()],
    build: {
      outDir: resolve(root, 'out/renderer'),
      chunkSizeWarningLimit: 6000, // Monaco is one large lazily loaded chunk
      rolldownOptions: { input: resolve(root, 'renderer/index.html') },
    },
  },
});
