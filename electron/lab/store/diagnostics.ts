import { diagnosticSampleSchema, type DiagnosticKind, type DiagnosticSample } from '#shared/diagnostics/diagnostic-samples.ts';
import type { LabDatabase } from './database.ts';

/** A run's diagnostics samples in episode order, their JSON parsed again at this boundary. */
export function readDiagnostics(db: LabDatabase, experimentId: number, kinds?: readonly DiagnosticKind[]): DiagnosticSample[] {
  const filter = kinds?.length ? `AND kind IN (${kinds.map(() => '?').join(', ')})` : '';
  const rows = db
    .prepare(`SELECT kind, episode, step, problem, data FROM diagnostics WHERE experiment_id = ? ${filter} ORDER BY episode, id`)
    .all(experimentId, ...(kinds ?? [])) as { kind: string; episode: number; step: number; problem: string | null; data: string }[];
  return rows.map((row) => {
    const parsed = diagnosticSampleSchema.safeParse({ ...row, data: JSON.parse(row.data) });
    if (!parsed.success) throw new Error(`stored ${row.kind} diagnostics of episode ${row.episode} are invalid: ${parsed.error.issues[0]?.message}`);
    return parsed.data;
  });
}
