import { z } from 'zod';
import { createExecutor, type Executor } from '#lab/executor/executor.ts';
import type { LabDatabase } from '#lab/store/database.ts';
import { readSetting } from '#lab/store/settings.ts';

export const PYTHON_SETTING_KEY = 'python';
export const pythonSettingValue = z.object({ path: z.string().nullable() });

/**
 * What handlers share beyond the store: the Python interpreter the lab uses and an executor made
 * with it on first use. Trainers are child processes; they inherit LAB_PYTHON from this process,
 * so the saved interpreter reaches them, and their executors, through the environment.
 */
export class LabServices {
  /** LAB_PYTHON as the lab was started (the fallback when no interpreter is saved). */
  readonly envPython: string | null;
  private current: Executor | undefined;

  constructor(private readonly db: LabDatabase) {
    this.envPython = process.env.LAB_PYTHON || null;
    this.applyPython(this.savedPython());
  }

  savedPython(): string | null {
    return readSetting(this.db, PYTHON_SETTING_KEY, pythonSettingValue)?.path ?? null;
  }

  /** The interpreter asked for: the saved one, else LAB_PYTHON, else python3 on PATH. */
  requestedPython(): string {
    return this.savedPython() ?? this.envPython ?? 'python3';
  }

  /** Points LAB_PYTHON (read by trainers and every executor) at the saved interpreter. */
  applyPython(saved: string | null): void {
    const value = saved ?? this.envPython;
    if (value) process.env.LAB_PYTHON = value;
    else delete process.env.LAB_PYTHON;
    void this.resetExecutor();
  }

  /** An executor (made on first use) with the lab's interpreter; warnings go to the server's log. */
  executor(): Executor {
    this.current ??= createExecutor({ python: this.requestedPython(), pooledWorkers: 1, isolatedWorkers: 1, warn: (m) => process.stderr.write(`${m}\n`) });
    return this.current;
  }

  async resetExecutor(): Promise<void> {
    const old = this.current;
    this.current = undefined;
    await old?.close();
  }

  close(): Promise<void> {
    return this.resetExecutor();
  }
}
