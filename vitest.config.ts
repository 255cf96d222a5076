import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // The desktop suites read the built app (out/): build it once, before any suite starts.
    globalSetup: ['tests/build-app.global-setup.ts'],
  },
});
