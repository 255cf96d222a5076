#!/usr/bin/env node
// The desktop app's engine host: a plain Node process started by Electron's main process, so
// native addons built for this Node (better-sqlite3) never load inside Electron. TypeScript runs
// through tsx's loader, as for the `lab` command and the trainers.
import { register } from 'tsx/esm/api';

register();
await import('./engine-host-process.ts');
