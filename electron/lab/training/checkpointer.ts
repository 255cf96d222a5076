import { rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { nowIso, type LabDatabase } from '#lab/store/database.ts';
import { listCheckpointDirs, readCheckpoint, writeCheckpoint, type CheckpointPayload } from './checkpoint-files.ts';

/** Where an experiment's checkpoints live: beside its database, so --db runs keep their own. */
export function checkpointRoot(dbPath: string, experimentId: number): string {
  const base = dbPath === ':memory:' ? process.cwd() : dirname(dbPath);
  return join(base, 'checkpoints', `experiment-${experimentId}`);
}

const periodicName = (episode: number) => `episode-${String(episode).padStart(9, '0')}`;
const PERIODIC = /^episode-(\d{9})$/;

/**
 * Dopamine's checkpointer, with what it lacks: each checkpoint is written atomically with a
 * completion marker; the last `keep` periodic ones and the best one survive; every checkpoint is
 * listed in the database, so the UI can offer "resume from" and "evaluate" without reading folders.
 */
export class Checkpointer {
  readonly root: string;

  constructor(
    private readonly db: LabDatabase,
    private readonly experimentId: number,
    dbPath: string,
    private readonly keep: number,
  ) {
    this.root = checkpointRoot(dbPath, experimentId);
  }

  save(episode: number, payload: CheckpointPayload, kind: 'periodic' | 'final' = 'periodic'): string {
    const dir = join(this.root, periodicName(episode));
    writeCheckpoint(dir, payload);
    this.db
      .prepare('INSERT INTO checkpoints (experiment_id, episode, kind, path, metric, created_at) VALUES (?, ?, ?, ?, NULL, ?)')
      .run(this.experimentId, episode, kind, dir, nowIso());
    this.prune();
    return dir;
  }

  saveBest(episode: number, metric: number, payload: CheckpointPayload): string {
    const dir = join(this.root, 'best');
    writeCheckpoint(dir, payload);
    this.db.transaction(() => {
      this.db.prepare("DELETE FROM checkpoints WHERE experiment_id = ? AND kind = 'best'").run(this.experimentId);
      this.db
        .prepare("INSERT INTO checkpoints (experiment_id, episode, kind, path, metric, created_at) VALUES (?, ?, 'best', ?, ?, ?)")
        .run(this.experimentId, episode, dir, metric, nowIso());
    })();
    return dir;
  }

  /** The newest complete periodic checkpoint, or undefined when none was written yet. */
  latest(): { episode: number; dir: string; payload: CheckpointPayload } | undefined {
    const names = listCheckpointDirs(this.root).filter((n) => PERIODIC.test(n));
    const name = names.at(-1);
    if (!name) return undefined;
    const dir = join(this.root, name);
    return { episode: Number(PERIODIC.exec(name)![1]), dir, payload: readCheckpoint(dir) };
  }

  /** Checkpoints written after `episode` belong to a future the resumed run will write again. */
  discardAfter(episode: number): void {
    for (const name of listCheckpointDirs(this.root)) {
      const match = PERIODIC.exec(name);
      if (match && Number(match[1]) > episode) rmSync(join(this.root, name), { recursive: true, force: true });
    }
    this.db.prepare("DELETE FROM checkpoints WHERE experiment_id = ? AND kind != 'best' AND episode > ?").run(this.experimentId, episode);
  }

  private prune(): void {
    const periodic = listCheckpointDirs(this.root).filter((n) => PERIODIC.test(n));
    for (const name of periodic.slice(0, Math.max(0, periodic.length - this.keep))) {
      const dir = join(this.root, name);
      rmSync(dir, { recursive: true, force: true });
      this.db.prepare('DELETE FROM checkpoints WHERE experiment_id = ? AND path = ?').run(this.experimentId, dir);
    }
  }
}
