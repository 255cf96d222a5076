import { join } from 'node:path';
import type { LabDatabase } from '#lab/store/database.ts';
import { getExperiment } from '#lab/store/experiments.ts';
import { checkpointRoot } from '#lab/training/checkpointer.ts';
import { isCompleteCheckpoint, readCheckpoint } from '#lab/training/checkpoint-files.ts';
import type { SavedAgent } from '#lab/agents/agent.ts';
import { parseConfigObject } from '#shared/config/parse-config-yaml.ts';
import type { TrainingConfig } from '#shared/config/training-config.ts';

export interface LoadedModel {
  /** The trained agent as saved; createRun restores it (with the config's kind) through the registry. */
  saved: SavedAgent;
  config: TrainingConfig;
  /** The checkpoint folder the weights came from. */
  checkpoint: string;
  experimentId: number | null;
}

/**
 * A trained DQN from a checkpoint folder (what `--model` names) or an experiment's best (else latest)
 * checkpoint: the parsed manifest and arrays, and the config it was trained with.
 */
export async function loadModel(db: LabDatabase, dbPath: string, ref: { experimentId?: number; checkpoint?: string }): Promise<LoadedModel> {
  let dir = ref.checkpoint;
  let config: TrainingConfig | undefined;
  if (ref.experimentId !== undefined) {
    const experiment = getExperiment(db, ref.experimentId);
    if (!experiment) throw new Error(`no experiment ${ref.experimentId}`);
    if (experiment.agent !== 'dqn') throw new Error(`experiment ${ref.experimentId} ran the ${experiment.agent} baseline, which has no model`);
    config = parseConfigObject(experiment.config).config;
    const best = join(checkpointRoot(dbPath, experiment.id), 'best');
    const latest = db
      .prepare("SELECT path FROM checkpoints WHERE experiment_id = ? AND kind != 'best' ORDER BY episode DESC LIMIT 1")
      .get(experiment.id) as { path: string } | undefined;
    dir ??= isCompleteCheckpoint(best) ? best : latest?.path;
    if (!dir) throw new Error(`experiment ${ref.experimentId} has no checkpoint yet`);
  }
  if (!dir) throw new Error('name an experiment or a checkpoint folder');
  if (!isCompleteCheckpoint(dir)) throw new Error(`${dir} is not a complete checkpoint`);
  const payload = readCheckpoint(dir);
  const meta = payload.meta as { policy?: unknown };
  if (!meta.policy || !(meta.policy as { json?: unknown }).json) throw new Error(`${dir} holds no DQN network`);
  config ??= parseConfigObject({}).config!;
  return {
    saved: { meta: meta.policy, arrays: payload.arrays },
    config,
    checkpoint: dir,
    experimentId: ref.experimentId ?? null,
  };
}
