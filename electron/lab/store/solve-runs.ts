import { z } from 'zod';
import {
  solveResultSchema,
  solveRunSchema,
  type SolveResult,
  type SolveRun,
  type SolveRunStatus,
  type TaskRange,
} from '#shared/solving/solve-run.ts';
import type { SolveAgent } from '#shared/solving/solve-agents.ts';
import { nowIso, type LabDatabase } from './database.ts';
import { processAlive } from './process-alive.ts';

export interface NewSolveRun {
  problemSetId: number | null;
  problemSet: string;
  tasks: TaskRange | null;
  agents: readonly SolveAgent[];
  problems: readonly string[];
  budget: number;
  seed: number;
  /** The trained DQN experiment the dqn agent starts from. */
  startFrom?: { experimentId: number; experimentName: string } | null;
}

interface SolveRunRow {
  id: number;
  problem_set_id: number | null;
  problem_set: string;
  task_first: number | null;
  task_last: number | null;
  agents: string;
  problems: string;
  budget: number;
  seed: number;
  status: string;
  error: string | null;
  solver_pid: number | null;
  start_experiment_id: number | null;
  start_experiment_name: string | null;
  created_at: string;
  finished_at: string | null;
}

const nameList = z.array(z.string());

/** Rows are parsed again at this boundary: agents and problems are JSON columns. */
function toSolveRun(row: SolveRunRow): SolveRun {
  return solveRunSchema.parse({
    ...row,
    tasks: row.task_first === null || row.task_last === null ? null : { first: row.task_first, last: row.task_last },
    agents: JSON.parse(row.agents),
    problems: nameList.parse(JSON.parse(row.problems)),
    start_from: row.start_experiment_name === null ? null : { experiment_id: row.start_experiment_id, experiment_name: row.start_experiment_name },
  });
}

/** A new run, already running: its solver is started right after. */
export function createSolveRun(db: LabDatabase, run: NewSolveRun): number {
  const { lastInsertRowid } = db
    .prepare(
      `INSERT INTO solve_runs (problem_set_id, problem_set, task_first, task_last, agents, problems, budget, seed, start_experiment_id, start_experiment_name, status, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'running', ?)`,
    )
    .run(
      run.problemSetId,
      run.problemSet,
      run.tasks?.first ?? null,
      run.tasks?.last ?? null,
      JSON.stringify(run.agents),
      JSON.stringify(run.problems),
      run.budget,
      run.seed,
      run.startFrom?.experimentId ?? null,
      run.startFrom?.experimentName ?? null,
      nowIso(),
    );
  return Number(lastInsertRowid);
}

export function getSolveRun(db: LabDatabase, id: number): SolveRun | undefined {
  const row = db.prepare('SELECT * FROM solve_runs WHERE id = ?').get(id) as SolveRunRow | undefined;
  return row && toSolveRun(row);
}

/** Newest first. */
export function listSolveRuns(db: LabDatabase): SolveRun[] {
  return (db.prepare('SELECT * FROM solve_runs ORDER BY id DESC').all() as SolveRunRow[]).map(toSolveRun);
}

export function setSolverPid(db: LabDatabase, id: number, pid: number | null): void {
  db.prepare('UPDATE solve_runs SET solver_pid = ? WHERE id = ?').run(pid, id);
}

/** Ends a run that is still running; false (and nothing written) when it had already ended. */
export function finishSolveRun(db: LabDatabase, id: number, status: Exclude<SolveRunStatus, 'running'>, error: string | null = null): boolean {
  return (
    db
      .prepare("UPDATE solve_runs SET status = ?, error = ?, finished_at = ?, solver_pid = NULL WHERE id = ? AND status = 'running'")
      .run(status, error, nowIso(), id).changes === 1
  );
}

/** Deletes an ended run and its results; false when there is no such run or it is still running. */
export function deleteSolveRun(db: LabDatabase, id: number): boolean {
  return db.prepare("DELETE FROM solve_runs WHERE id = ? AND status != 'running'").run(id).changes === 1;
}

/** Stores one agent's result on one problem, at once: a run killed later keeps it. */
export function recordSolveResult(db: LabDatabase, solveId: number, result: SolveResult): void {
  db.prepare(
    `INSERT INTO solve_results (solve_id, agent, problem_index, problem, solved, samples_executed, episodes, seconds, program)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(solveId, result.agent, result.problem_index, result.problem, result.solved ? 1 : 0, result.samples_executed, result.episodes, result.seconds, result.program);
}

/** In the order they were found (agent after agent, problems in set order). */
export function listSolveResults(db: LabDatabase, solveId: number): SolveResult[] {
  const rows = db.prepare('SELECT * FROM solve_results WHERE solve_id = ? ORDER BY rowid').all(solveId) as (Omit<SolveResult, 'solved'> & { solved: number })[];
  return rows.map((row) => solveResultSchema.parse({ ...row, solved: row.solved === 1 }));
}

/**
 * Marks runs whose solver died without a word (kill -9, a crash, power loss, the lab closed under
 * it) as interrupted. Called when the lab opens its store; a run another lab is still solving keeps
 * its live process and its status.
 */
export function markInterruptedSolveRuns(db: LabDatabase, isAlive: (pid: number) => boolean = processAlive): number[] {
  const rows = db.prepare("SELECT id, solver_pid FROM solve_runs WHERE status = 'running'").all() as { id: number; solver_pid: number | null }[];
  const dead = rows.filter((r) => r.solver_pid === null || !isAlive(r.solver_pid)).map((r) => r.id);
  for (const id of dead) finishSolveRun(db, id, 'interrupted', 'the solver stopped without finishing (killed, crashed, or the lab closed)');
  return dead;
}
