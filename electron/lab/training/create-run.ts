import type { Agent, AgentContext, AgentDefinition, SavedAgent } from '#lab/agents/agent.ts';
import { agentDefinition } from '#lab/agents/registry.ts';
import { CodeEnv } from '#lab/env/code-env.ts';
import { ProgramMemory } from '#lab/env/program-memory.ts';
import type { Executor } from '#lab/executor/executor.ts';
import { backendChoiceFromDevice, selectBackend } from '#lab/models/backend.ts';
import { createReward } from '#lab/rewards/create-reward.ts';
import type { TrainingConfig } from '#shared/config/training-config.ts';
import type { Problem } from '#shared/problems/problem.ts';
import { runEpisodes, runEpisodesStepwise, startEpisodes, type EpisodeOptions, type EpisodeOutcome, type StartedEpisodes } from './episode-runner.ts';

export interface RunOptions {
  /** Seeds the agent and the environment. */
  readonly seed: number;
  /**
   * Never execute a program twice per problem (a trie masks exhausted subtrees); default: the
   * config's environment.avoid_repeats.
   */
  readonly avoidRepeats?: boolean;
  /** Continue this saved agent (of the config's kind) instead of creating a fresh one. */
  readonly saved?: SavedAgent;
  /** Environments for lockstep batches; default: the config's training.num_envs. */
  readonly envs?: number;
}

/**
 * One run of an agent on problems: the environment built from the config, its memory of executed
 * programs, the agent from the registry, and the episode runner that drives them. Training, solve
 * and evaluate all start here, so the three cannot drift apart.
 */
export interface Run {
  readonly config: TrainingConfig;
  readonly problems: readonly Problem[];
  /** The first environment (single episodes: greedy evaluation, search-guided programs). */
  readonly env: CodeEnv;
  /** training.num_envs environments sharing one memory of executed programs, for lockstep batches. */
  readonly envs: readonly CodeEnv[];
  readonly memory: ProgramMemory;
  readonly definition: AgentDefinition;
  readonly agent: Agent;
  /** The compute backend the agent's network runs on ('none' for agents without one). */
  readonly backend: string;
  /** One episode in the first environment (`agent`: another agent acting for the run's, e.g. a planned program). */
  episode(options: EpisodeOptions, agent?: Agent): Promise<EpisodeOutcome>;
  /**
   * Up to `envs.length` episodes in lockstep, one per environment, in order (`agent` as for
   * `episode`), each step's finished programs judged before the next step (see runEpisodesStepwise).
   */
  episodes(options: readonly EpisodeOptions[], agent?: Agent): Promise<EpisodeOutcome[]>;
  /**
   * Starts episodes (see startEpisodes) in a second set of environments sharing the memory, so a
   * batch of other programs (the search's) can run on the executor beside the agent's batch.
   */
  startAside(options: readonly EpisodeOptions[], agent: Agent): StartedEpisodes;
  /** Starts up to `envs.length` episodes in lockstep (see startEpisodes), settled later. */
  start(options: readonly EpisodeOptions[]): StartedEpisodes;
  /** Moves every environment's curriculum (problem pool and shaping) to training progress in [0, 1]. */
  setTrainingProgress(progress: number): void;
  dispose(): void;
}

export async function createRun(config: TrainingConfig, problems: readonly Problem[], executor: Executor | null, options: RunOptions): Promise<Run> {
  const definition = agentDefinition(config.agent.type);
  // Tensors need their backend chosen before the first one is made.
  const backend = definition.usesNetwork ? (await selectBackend(backendChoiceFromDevice(config.agent.device))).backend : 'none';
  const avoidRepeats = options.avoidRepeats ?? config.environment.avoid_repeats;
  const memory = new ProgramMemory(avoidRepeats);
  const makeEnv = (k: number) =>
    new CodeEnv({
      problems,
      executor,
      maxSteps: config.environment.max_steps,
      reward: createReward(config.reward),
      seed: options.seed + k,
      autoForced: config.environment.auto_forced,
      avoidRepeats,
      memory,
      timeoutMs: config.environment.test_timeout_ms,
      stateLayout: config.environment.state_layout,
    });
  const envs = Array.from({ length: options.envs ?? config.training.num_envs }, (_, k) => makeEnv(k));
  const aside: CodeEnv[] = [];
  const env = envs[0]!;
  const context: AgentContext = { config, problems, stateSize: env.stateSize, actionCount: env.actionCount, seed: options.seed };
  const agent = options.saved ? definition.restore(context, options.saved) : definition.create(context);
  return {
    config,
    problems,
    env,
    envs,
    memory,
    definition,
    agent,
    backend,
    episode: async (o, other) => (await runEpisodes([env], other ?? agent, [{ ...o, learn: o.learn && definition.learns }]))[0]!,
    episodes: (list, other) => runEpisodesStepwise(envs, other ?? agent, list.map((o) => ({ ...o, learn: o.learn && definition.learns }))),
    start: (list) => startEpisodes(envs, agent, list.map((o) => ({ ...o, learn: o.learn && definition.learns }))),
    startAside: (list, other) => {
      while (aside.length < list.length) aside.push(makeEnv(envs.length + aside.length));
      return startEpisodes(aside, other, list.map((o) => ({ ...o, learn: o.learn && definition.learns })));
    },
    setTrainingProgress: (progress) => envs.forEach((e) => e.setTrainingProgress(progress)),
    dispose: () => agent.dispose(),
  };
}
