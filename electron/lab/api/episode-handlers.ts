import { ApiError } from '#shared/api/api-error.ts';
import type { episodeMethods } from '#shared/api/episodes-api.ts';
import type { Problem } from '#shared/problems/problem.ts';
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

/** The episode's problem from its run's set, by name (undefined when the set or problem is gone). */
function problemOf(ctx: ApiContext, setId: number | null, name: string): Problem | undefined {
  if (setId === null) return undefined;
  try {
    return listProblems(ctx.db, setId).find((p) => (p.name ?? p.function_name) === name || p.function_name === name);
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
    const problem = problemOf(ctx, experiment.problem_set_id, episode.problem_name);
    return replayFrames(episode, episodeSteps(ctx.db, episode_id), problem, experiment.name, experiment.agent);
  },
  'episodes.verdicts': async ({ experiment_id, episode_id }, ctx) => {
    const experiment = requireExperiment(ctx, experiment_id);
    const episode = requireEpisode(ctx, experiment_id, episode_id);
    const problem = problemOf(ctx, experiment.problem_set_id, episode.problem_name);
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
