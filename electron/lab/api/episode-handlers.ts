import { ApiError } from '#shared/api/api-error.ts';
import type { episodeMethods } from '#shared/api/episodes-api.ts';
import type { Experiment } from '#shared/experiments/experiment.ts';
import type { Problem } from '#shared/problems/problem.ts';
import { browseEpisodes, programVersions } from '#lab/store/episode-browser.ts';
import { problemSnapshot } from '#lab/store/experiment-problems.ts';
import { episodeSteps, findEpisode, getEpisode, listEpisodes } from '#lab/store/episodes.ts';
import { listProblems } from '#lab/store/problem-sets.ts';
import { requireExperiment, type ApiContext } from './api-context.ts';
import { replayFrames } from './episode-replay.ts';
import type { HandlerMap } from './handler-map.ts';
import { runTests } from './test-verdicts.ts';

function requireEpisode(ctx: ApiContext, experimentId: number, episodeId: number) {
  const episode = getEpisode(ctx.db, experimentId, episodeId);
  if (!episode) throw new ApiError('not_found', `experiment ${experimentId} has no episode with id ${episodeId}`);
  return episode;
}

/**
 * The episode's problem by name: from the run's own copy of its problems, else from its set as it
 * is now (undefined when neither has it).
 */
export function problemOf(ctx: ApiContext, experiment: Experiment, name: string): Problem | undefined {
  try {
    const problems = problemSnapshot(ctx.db, experiment.id) ?? (experiment.problem_set_id === null ? [] : listProblems(ctx.db, experiment.problem_set_id));
    return problems.find((p) => (p.name ?? p.function_name) === name || p.function_name === name);
  } catch {
    return undefined;
  }
}

export const episodeHandlers: HandlerMap<keyof typeof episodeMethods> = {
  'episodes.list': ({ experiment_id, limit, offset, only_with_steps }, ctx) => {
    requireExperiment(ctx, experiment_id);
    return listEpisodes(ctx.db, experiment_id, limit, offset, only_with_steps);
  },
  'episodes.find': ({ experiment_id, pick, episode }, ctx) => {
    requireExperiment(ctx, experiment_id);
    if (pick === 'number' && episode === undefined) throw new ApiError('invalid_input', 'pick "number" needs an episode', [{ path: 'episode', message: 'required' }]);
    const found = findEpisode(ctx.db, experiment_id, pick, episode);
    if (!found) {
      const what = { best: 'no episodes yet', latest: 'no episodes yet', first_success: 'no successful episode yet', number: `no episode ${episode}` }[pick];
      throw new ApiError('not_found', `experiment ${experiment_id}: ${what}`);
    }
    return found;
  },
  'episodes.replay': ({ experiment_id, episode_id }, ctx) => {
    const experiment = requireExperiment(ctx, experiment_id);
    const episode = requireEpisode(ctx, experiment_id, episode_id);
    const problem = problemOf(ctx, experiment, episode.problem_name);
    return replayFrames(episode, episodeSteps(ctx.db, episode_id), problem, experiment.name, experiment.agent);
  },
  'episodes.browse': (filter, ctx) => {
    requireExperiment(ctx, filter.experiment_id);
    return browseEpisodes(ctx.db, filter);
  },
  'episodes.programs': ({ experiment_id, problem }, ctx) => {
    const experiment = requireExperiment(ctx, experiment_id);
    return { experiment_id, experiment_name: experiment.name, problem, versions: programVersions(ctx.db, experiment_id, problem) };
  },
  'episodes.verdicts': async ({ experiment_id, episode_id }, ctx) => {
    const experiment = requireExperiment(ctx, experiment_id);
    const episode = requireEpisode(ctx, experiment_id, episode_id);
    const problem = problemOf(ctx, experiment, episode.problem_name);
    if (!problem) {
      throw new ApiError('not_found', `problem "${episode.problem_name}" is no longer in set "${experiment.problem_set_name}": its tests cannot be run again`);
    }
    try {
      return await runTests(ctx.services.executor(), problem, episode.code, 'pooled');
    } catch (error) {
      throw new ApiError('internal', `the executor could not run the program: ${(error as Error).message}`);
    }
  },
};
