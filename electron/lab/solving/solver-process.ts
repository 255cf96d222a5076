/**
 * The solver process's entry point (child_process.fork from the lab server and the app's engine
 * host). It owns one solve run: reads it from the store, solves, writes each result the moment it
 * is known and reports it. Whatever happens, the run ends in a definite status; a kill -9 leaves it
 * "running" with a dead pid, which the next lab to open the store marks interrupted.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadModel } from '#lab/evaluation/load-policy.ts';
import { createExecutor } from '#lab/executor/executor.ts';
import { PRESETS_DIR } from '#lab/paths.ts';
import { openDatabase, type LabDatabase } from '#lab/store/database.ts';
import { listProblems } from '#lab/store/problem-sets.ts';
import { finishSolveRun, getSolveRun, recordSolveResult } from '#lab/store/solve-runs.ts';
import { parseConfigYaml } from '#shared/config/parse-config-yaml.ts';
import type { TrainingConfig } from '#shared/config/training-config.ts';
import type { Problem } from '#shared/problems/problem.ts';
import type { SolveRun } from '#shared/solving/solve-run.ts';
import { runSolve } from './run-solve.ts';
import { solverCommandSchema, type SolverMessage, type SolverStart } from './solver-messages.ts';
import { problemsInTaskRange } from './task-range.ts';

function send(message: SolverMessage): void {
  if (process.connected) process.send?.(message);
}

/** The config `lab solve` uses without --config: the default preset. */
function defaultPresetConfig(): TrainingConfig {
  const parsed = parseConfigYaml(readFileSync(join(PRESETS_DIR, 'default.yaml'), 'utf8'));
  if (!parsed.config) throw new Error(`${join(PRESETS_DIR, 'default.yaml')}: the config is invalid`);
  return parsed.config;
}

/** The run's problems as they were when it started (the API checked them a moment ago). */
function runProblems(db: LabDatabase, run: SolveRun): Problem[] {
  if (run.problem_set_id === null) throw new Error(`the problem set "${run.problem_set}" was deleted`);
  const all = listProblems(db, run.problem_set_id);
  const problems = run.tasks ? problemsInTaskRange(all, run.tasks) : all;
  const names = problems.map((p) => p.name ?? p.function_name);
  if (names.join('\n') !== run.problems.join('\n')) throw new Error(`the problem set "${run.problem_set}" changed after the run started`);
  return problems;
}

/** The trained DQN the run's dqn agent starts from (as `lab solve --experiment ID` loads it). */
async function trainedStart(db: LabDatabase, dbPath: string, run: SolveRun) {
  const { experiment_id, experiment_name } = run.start_from!;
  if (experiment_id === null) throw new Error(`the experiment "${experiment_name}" the run starts from was deleted`);
  return loadModel(db, dbPath, { experimentId: experiment_id });
}

async function main(): Promise<void> {
  const start = JSON.parse(process.argv[2] ?? '{}') as SolverStart;
  let stop = null as { interrupted: boolean } | null;
  process.on('message', (raw) => {
    const parsed = solverCommandSchema.safeParse(raw);
    if (parsed.success) stop ??= { interrupted: parsed.data.interrupted };
  });
  // Nobody is watching once the parent is gone: end the run rather than solve unwatched.
  process.on('disconnect', () => (stop ??= { interrupted: true }));

  const db = openDatabase(start.dbPath);
  const executor = createExecutor();
  const end = (status: 'done' | 'failed' | 'stopped' | 'interrupted', error: string | null) => {
    finishSolveRun(db, start.solveId, status, error);
    send({ type: 'finished', solve_id: start.solveId, status, error });
  };
  try {
    const run = getSolveRun(db, start.solveId);
    if (!run) throw new Error(`no solve run ${start.solveId}`);
    const model = run.start_from ? await trainedStart(db, start.dbPath, run) : undefined;
    const outcome = await runSolve({
      problems: runProblems(db, run),
      agents: run.agents,
      budget: run.budget,
      seed: run.seed,
      config: model?.config ?? defaultPresetConfig(),
      ...(model ? { startFrom: model.saved } : {}),
      executor,
      onResult: (found, index) => {
        const result = { ...found, problem_index: index };
        recordSolveResult(db, run.id, result);
        send({ type: 'result', solve_id: run.id, result });
      },
      stopRequested: () => stop !== null,
    });
    if (!outcome.stopped) end('done', null);
    else if (stop?.interrupted) end('interrupted', 'the lab closed before the run finished');
    else end('stopped', null);
  } catch (error) {
    end('failed', error instanceof Error ? error.message : String(error));
  } finally {
    await executor.close();
    db.close();
  }
}

await main();
// Let the last messages drain, then leave even if a library keeps a handle open.
setTimeout(() => process.exit(0), 200).unref();
