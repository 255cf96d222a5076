import type { Command } from '../command.ts';
import { experimentsCommand } from './experiments.ts';
import { trainCommand } from './train.ts';
import { evaluateCommand } from './evaluate.ts';
import { solveCommand } from './solve.ts';
import { importCommand } from './import.ts';
import { generateCommand } from './generate.ts';
import { pretrainCommand } from './pretrain.ts';
import { problemsCommand } from './problems.ts';
import { benchCommand } from './bench.ts';
import { runSamplesCommand } from './run-samples.ts';
import { validateCommand } from './validate.ts';
import { serveCommand } from './serve.ts';
import { startCommand } from './start.ts';
import { sweepCommand } from './sweep.ts';
import { workerCommand } from './worker.ts';

/** Every `lab` command, in the order `lab --help` lists them. */
export const COMMANDS: Command[] = [importCommand, generateCommand, problemsCommand, trainCommand, pretrainCommand, evaluateCommand, solveCommand, experimentsCommand, runSamplesCommand, validateCommand, benchCommand, serveCommand, startCommand, sweepCommand, workerCommand];
