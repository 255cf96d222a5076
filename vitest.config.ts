import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // Hang guards, not timings: on a 2-core CI machine the sweep and desktop suites (many processes)
    // share the cores with the rest, and a 5 s default fails healthy tests there.
    testTimeout: 30_000,
    hookTimeout: 120_000,
    // The desktop suites read the built app (out/): build it once, before any suite starts.
    globalSetup: ['tests/build-app.global-setup.ts'],
  },
});
