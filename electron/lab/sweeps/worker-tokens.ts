import { createHash, randomBytes } from 'node:crypto';
import { nowIso, type LabDatabase } from '#lab/store/database.ts';

export const hashToken = (token: string): string => createHash('sha256').update(token).digest('hex');

export interface WorkerTokenRow {
  id: number;
  name: string;
  created_at: string;
  revoked_at: string | null;
}

/**
 * A worker token lets a machine pick up a sweep's runs and write what they produce, nothing else.
 * Only its hash is stored: the token is shown once, when it is made.
 */
export function createWorkerToken(db: LabDatabase, name: string): { id: number; token: string } {
  const token = `lw_${randomBytes(24).toString('base64url')}`;
  const { lastInsertRowid } = db
    .prepare('INSERT INTO worker_tokens (name, token_hash, created_at) VALUES (?, ?, ?)')
    .run(name, hashToken(token), nowIso());
  return { id: Number(lastInsertRowid), token };
}

export function revokeWorkerToken(db: LabDatabase, id: number): boolean {
  return db.prepare('UPDATE worker_tokens SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL').run(nowIso(), id).changes === 1;
}

export function listWorkerTokens(db: LabDatabase): WorkerTokenRow[] {
  return db.prepare('SELECT id, name, created_at, revoked_at FROM worker_tokens ORDER BY id').all() as WorkerTokenRow[];
}

/** The id of a live (not revoked) worker token, or undefined. */
export function verifyWorkerToken(db: LabDatabase, token: string): number | undefined {
  const row = db.prepare('SELECT id FROM worker_tokens WHERE token_hash = ? AND revoked_at IS NULL').get(hashToken(token)) as { id: number } | undefined;
  return row?.id;
}
