#!/usr/bin/env node
// The `lab` command. TypeScript runs through tsx's loader, registered in this process, so the CLI,
// the lab server and the trainer processes all run the engine's sources as they are.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('./main.ts');
process.exitCode = await main(process.argv.slice(2));
