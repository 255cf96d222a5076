import { installBundledSets } from '#lab/problems/bundled-sets.ts';
import { openDatabase, type LabDatabase } from '#lab/store/database.ts';
import { TrainerManager, type TrainerSpawner } from '#lab/training/trainer-manager.ts';
import { createLabApi, type LabApi } from './create-lab-api.ts';

export interface LabEngineOptions {
  dbPath: string;
  /** How trainers start (tests pass a scripted one); child_process.fork of the real trainer otherwise. */
  spawner?: TrainerSpawner;
  /** `redis://[[USER]:PASSWORD@]HOST:PORT`: run sweeps through this queue (workers on other hosts). */
  queue?: string;
  /** How often the sweep reconciler runs (tests shorten it). */
  reconcileMs?: number;
}

/** One lab's engine: the store, its trainers and the API over both. */
export interface LabEngine {
  readonly db: LabDatabase;
  readonly dbPath: string;
  readonly trainers: TrainerManager;
  readonly api: LabApi;
  /** With a queue: a fresh worker token for `lab worker --token` (shown once). */
  readonly workerToken?: string;
  /** Stops every trainer (each checkpoints first) and solve run, then the executor's workers and the store. */
  close(): Promise<void>;
}

/**
 * Opens the engine the same way for every face that owns one: the lab server and the desktop
 * app's engine host. The bundled problem sets are installed before the first call.
 */
export async function openLabEngine(options: LabEngineOptions): Promise<LabEngine> {
  const db = openDatabase(options.dbPath);
  try {
    await installBundledSets(db);
  } catch (error) {
    db.close();
    throw error;
  }
  const trainers = new TrainerManager(options.dbPath, options.spawner);
  // BullMQ loads only when a queue is asked for: every other start of the lab stays as quick as it was.
  const sweeps = options.queue ? (await import('#lab/sweeps/start-sweep-queue.ts')).startSweepQueue(db, options.queue, { reconcileMs: options.reconcileMs }) : undefined;
  const api = createLabApi({ db, dbPath: options.dbPath, trainers, ...(sweeps ? { sweeps: sweeps.controller } : {}) });
  let closing: Promise<void> | undefined;
  return {
    db,
    dbPath: options.dbPath,
    trainers,
    api,
    ...(sweeps ? { workerToken: sweeps.workerToken } : {}),
    close() {
      closing ??= (async () => {
        await trainers.stopAll();
        await api.close();
        db.close();
      })();
      return closing;
    },
  };
}
