import { ensureAppBuilt } from '../electron/server/renderer-build.ts';

/** Builds out/ (electron-vite) when it is missing or stale, so a fresh clone's `npm test` works. */
export default function setup(): void {
  ensureAppBuilt((line) => process.stderr.write(`${line}\n`));
}
