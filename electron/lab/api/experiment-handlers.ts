import { ApiError } from '#shared/api/api-error.ts';
import type { experimentMethods } from '#shared/api/experiments-api.ts';
import { parseConfigObject } from '#shared/config/parse-config-yaml.ts';
import type { TrainingConfig } from '#shared/config/training-config.ts';
import {
  createExperiment,
  deleteExperiment,
  listExperiments,
  updateExperimentInfo,
} from '#lab/store/experiments.ts';
import { findProblemSet } from '#lab/store/problem-sets.ts';
import { requireExperiment, savedExperiment, type ApiContext } from './api-context.ts';
import type { HandlerMap } from './handler-map.ts';
import { runControlHandlers, startTrainer, trainerExited } from './run-control-handlers.ts';

/** The config as the schema reads it; its errors refuse the request with their key paths. */
function validConfig(raw: Record<string, unknown>): TrainingConfig {
  const parsed = parseConfigObject(raw);
  if (!parsed.config) {
    const errors = parsed.findings.filter((f) => f.severity === 'error');
    throw new ApiError(
      'invalid_input',
      `the config has ${errors.length} error${errors.length === 1 ? '' : 's'}: ${errors.map((f) => `${f.path}: ${f.message}`).join('; ')}`,
      errors.map((f) => ({ path: `config.${f.path}`, message: f.message })),
    );
  }
  return parsed.config;
}

function update(ctx: ApiContext, id: number, info: { name?: string; tags?: string[]; notes?: string }) {
  requireExperiment(ctx, id);
  updateExperimentInfo(ctx.db, id, info);
  return savedExperiment(ctx, id);
}

type ExperimentMethod = keyof typeof experimentMethods;
type EditMethod = Exclude<ExperimentMethod, keyof typeof runControlHandlers>;

export const experimentHandlers: HandlerMap<EditMethod> = {
  'experiments.list': (_input, ctx) => listExperiments(ctx.db),
  'experiments.get': ({ id }, ctx) => requireExperiment(ctx, id),
  'experiments.create': (input, ctx) => {
    const set = findProblemSet(ctx.db, input.problem_set_id);
    if (!set) throw new ApiError('not_found', `no problem set ${input.problem_set_id}`, [{ path: 'problem_set_id', message: 'no such problem set' }]);
    const config = validConfig(input.config);
    if (input.agent) config.agent.type = input.agent;
    if (input.seed !== undefined && input.seed !== null) config.training.seed = input.seed;
    const id = createExperiment(ctx.db, {
      name: input.name,
      agent: config.agent.type,
      problemSetId: set.id,
      problemSetName: set.name,
      config,
      seed: config.training.seed ?? null,
      episodesTotal: config.training.num_episodes,
      tags: input.tags ?? [],
      notes: input.notes ?? '',
      parentId: input.parent_id ?? null,
    });
    const created = savedExperiment(ctx, id);
    return input.start === false ? created : startTrainer(ctx, id, false);
  },
  'experiments.rename': ({ id, name }, ctx) => update(ctx, id, { name }),
  'experiments.tag': ({ id, tags }, ctx) => update(ctx, id, { tags: [...new Set(tags)] }),
  'experiments.note': ({ id, notes }, ctx) => update(ctx, id, { notes }),
  'experiments.delete': async ({ id }, ctx) => {
    requireExperiment(ctx, id);
    if (ctx.trainers.isRunning(id)) {
      ctx.trainers.command(id, { type: 'stop' });
      await trainerExited(ctx, id);
    }
    const deleted = deleteExperiment(ctx.db, id);
    if (deleted) ctx.emit({ name: 'ExperimentDeleted', payload: { experiment_id: id } });
    return { deleted };
  },
  'experiments.clone': ({ id, name }, ctx) => {
    const source = requireExperiment(ctx, id);
    const cloneId = createExperiment(ctx.db, {
      name: name ?? `${source.name} (copy)`,
      agent: source.agent,
      problemSetId: source.problem_set_id,
      problemSetName: source.problem_set_name,
      config: source.config,
      seed: source.seed,
      episodesTotal: source.episodes_total,
      tags: source.tags,
      notes: '',
      parentId: source.id,
    });
    return savedExperiment(ctx, cloneId);
  },
};
