import { svelte } from '@sveltejs/vite-plugin-svelte';
import { defineConfig } from 'electron-vite';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';

const root = import.meta.dirname;
const trainerEntry = resolve(root, 'electron/lab/training/trainer-process.ts');
// The trainer entry imports the training loop; until that file lands the app builds without it
// (starting a run then fails with a clear error in the run's status).
const trainerBuildable = existsSync(resolve(root, 'electron/lab/training/training-loop.ts'));

// One config for the three Electron bundles. The engine under electron/lab is bundled into main;
// the trainer is a second main entry so it can start as a utilityProcess child (out/main/trainer-process.js).
export default defineConfig({
  main: {
    build: {
      outDir: 'out/main',
      rolldownOptions: {
        input: {
          index: resolve(root, 'electron/main/index.ts'),
          ...(trainerBuildable ? { 'trainer-process': trainerEntry } : {}),
        },
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
