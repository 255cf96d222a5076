import type { Command } from '../command.ts';
import { importCommand } from './import.ts';
import { problemsCommand } from './problems.ts';
import { benchCommand } from './bench.ts';
import { runSamplesCommand } from './run-samples.ts';

/** Every `lab` command, in the order `lab --help` lists them. */
export const COMMANDS: Command[] = [importCommand, problemsCommand, runSamplesCommand, benchCommand];
