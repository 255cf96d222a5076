import { z } from 'zod';
import { experimentSchema, experimentStatusSchema, metricPointSchema } from '../experiments/experiment.ts';
import { solveResultSchema, solveRunStatusSchema } from '../solving/solve-run.ts';
import { trainerProgressSchema } from '../training/trainer-events.ts';
import { interventionSchema } from './runs-api.ts';

const experimentId = z.number().int();

/** Pushed events, named NounPastVerb; each transport delivers them as `{name, payload}`. */
export const labEventSchemas = {
  ExperimentStarted: z.object({ experiment_id: experimentId, backend: z.string(), pid: z.number().int(), resumed_from: z.number().int().nullable() }),
  /** About once a second while a run trains. */
  ExperimentProgressed: trainerProgressSchema,
  MetricsAppended: z.object({ experiment_id: experimentId, points: z.array(metricPointSchema) }),
  ExperimentStatusChanged: z.object({ experiment_id: experimentId, status: experimentStatusSchema, error: z.string().nullable() }),
  LogLineWritten: z.object({ experiment_id: experimentId, level: z.enum(['info', 'warn', 'error']), message: z.string() }),
  InterventionRecorded: interventionSchema.omit({ id: true, created_at: true }),
  /** Created, renamed, tagged, noted or cloned: the row as it is now. */
  ExperimentSaved: experimentSchema,
  ExperimentDeleted: z.object({ experiment_id: experimentId }),
  SettingsChanged: z.object({ theme: z.enum(['light', 'dark', 'system']) }),
  /** A solve run started, stored a result (`result`), or ended (its final status, `result` null). */
  SolveProgressed: z.object({ solve_id: z.number().int(), status: solveRunStatusSchema, error: z.string().nullable(), result: solveResultSchema.nullable() }),
  SolveDeleted: z.object({ solve_id: z.number().int() }),
};

export type LabEventName = keyof typeof labEventSchemas;
export type LabEventPayload<N extends LabEventName> = z.infer<(typeof labEventSchemas)[N]>;
export type LabEvent = { [N in LabEventName]: { name: N; payload: LabEventPayload<N> } }[LabEventName];

export const LAB_EVENT_NAMES = Object.keys(labEventSchemas) as LabEventName[];

/** Parses an event frame received from a transport; undefined when it is not one. */
export function parseLabEvent(raw: unknown): LabEvent | undefined {
  if (raw === null || typeof raw !== 'object') return undefined;
  const { name, payload } = raw as { name?: unknown; payload?: unknown };
  if (typeof name !== 'string' || !(name in labEventSchemas)) return undefined;
  const parsed = labEventSchemas[name as LabEventName].safeParse(payload);
  return parsed.success ? ({ name, payload: parsed.data } as LabEvent) : undefined;
}
