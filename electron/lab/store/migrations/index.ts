import { problemSetsMigration } from './0001-problem-sets.ts';
import { experimentsMigration } from './0002-experiments.ts';
import { settingsMigration } from './0003-settings.ts';
import { trainerRunsMigration } from './0004-trainer-runs.ts';
import { experimentProblemsMigration } from './0005-experiment-problems.ts';
import { diagnosticsMigration } from './0006-diagnostics.ts';
import { sweepsMigration } from './0007-sweeps.ts';
import { solveRunsMigration } from './0008-solve-runs.ts';
import type { Migration } from './migration.ts';

/** Every migration, in version order; a new one is appended, never edited once released. */
export const MIGRATIONS: readonly Migration[] = [problemSetsMigration, experimentsMigration, settingsMigration, trainerRunsMigration, experimentProblemsMigration, diagnosticsMigration, sweepsMigration, solveRunsMigration];
