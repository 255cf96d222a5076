import type { CheckpointArray } from '#lab/training/checkpoint-files.ts';
import type { AgentKind } from '#shared/agents/agent-kinds.ts';
import type { TrainingConfig } from '#shared/config/training-config.ts';
import type { Problem } from '#shared/problems/problem.ts';
import type { z } from 'zod';
import type { EpsilonOverride } from './exploration.ts';

/** One environment step as the runner hands it to a learning agent. The arrays are copied by the agent. */
export interface Transition {
  readonly state: Float32Array;
  readonly mask: Uint8Array;
  readonly action: number;
  readonly reward: number;
  readonly nextState: Float32Array;
  /** Valid actions in `nextState` (all zero is fine when `done`). */
  readonly nextMask: Uint8Array;
  /** The episode ended in a terminal state: no bootstrap. */
  readonly done: boolean;
  /** On the last step: the episode reached its goal (every test passed). */
  readonly success?: boolean;
  /** The step's correctness reward part (non-zero only when a program ends): what policy-gradient agents rank programs by. */
  readonly correctness?: number;
  /** The episode was cut off (e.g. a step limit): bootstrap from `nextState`, but end the window. */
  readonly truncated?: boolean;
  /** On the last step: the program's tokens, auto-written ones included (decisions alone do not print it). */
  readonly program?: readonly number[];
}

/**
 * What an agent reports about one decision, stored with sampled episodes for replay and read by
 * per-step diagnostics. Value-based agents fill `topQ`; agents that sample from a distribution fill
 * `probabilities`; an agent may fill both.
 */
export interface StepReport {
  /** The five best valid actions by Q, best first. Empty when the agent has no values. */
  readonly topQ: [action: number, q: number][];
  /** The five most probable valid actions under the distribution the action was drawn from, best first. */
  readonly probabilities?: [action: number, p: number][];
  /** Agents that sample: the entropy (nats) of the distribution the action was drawn from, for diagnostics. */
  readonly entropy?: number;
  /** Agents that sample: the probability the drawn action had. */
  readonly probability?: number;
}

export interface ActResult extends StepReport {
  readonly action: number;
  /** True when the action was exploratory (drawn instead of the greedy choice). */
  readonly explored: boolean;
}

export interface UpdateResult {
  readonly loss: number;
  /** Mean value estimate of the batch's chosen actions before the update (NaN for agents without one). */
  readonly meanQ: number;
  /** Value agents: each batch sample's TD error (prediction - target), read by the TD-error diagnostics. */
  readonly tdErrors?: Float32Array;
}

export interface SaveOptions {
  /** Include the experience the agent learns from (default true). */
  readonly experience?: boolean;
}

/** A saved agent: JSON-able meta and named typed arrays, as a checkpoint manifest holds them. */
export interface SavedAgent {
  readonly meta: unknown;
  readonly arrays: Record<string, CheckpointArray>;
}

/** Where an agent acts: read once at creation. */
export interface AgentContext {
  readonly config: TrainingConfig;
  readonly problems: readonly Problem[];
  readonly stateSize: number;
  readonly actionCount: number;
  readonly seed: number;
}

/**
 * What the run engine drives. `actBatch` acts for several environments at once (one forward pass
 * for a network); agents without a batched path act one row at a time through the same method.
 */
export interface Agent {
  readonly kind: AgentKind;
  /** Called at each episode start of environment `lane` with the problem it works on. */
  beginEpisode(problemIndex: number, lane: number): void;
  /**
   * One decision per row: `states` holds `rows.length` state vectors, `masks` as many masks;
   * `positions[i]` is the number of tokens row i's program already has. `epsilon` 0 is greedy.
   */
  actBatch(states: Float32Array, masks: Uint8Array, rows: readonly ActRow[], epsilon: number): ActResult[];
  /** Records one step of a learning episode (no-op for agents that do not learn). */
  observe(t: Transition): void;
  /** One update from what was observed; undefined when there is nothing to learn yet (or ever). */
  train(): UpdateResult | undefined;
  setLearningRate(value: number): void;
  /**
   * Everything needed to continue exactly. `experience: false` leaves out what only continuing
   * needs (a replay buffer: hundreds of MB): enough to act and to evaluate, as the best checkpoint is kept.
   */
  save(options?: SaveOptions): SavedAgent;
  dispose(): void;
  /** Agents that keep the best programs they found (priority-queue training): a problem's, best first. */
  bestPrograms?(problemIndex: number): readonly { readonly tokens: readonly number[]; readonly score: number }[];
}

/** A row of a batched decision: the environment (lane) and its program's length so far. */
export interface ActRow {
  readonly lane: number;
  readonly position: number;
}

/**
 * An agent kind, as the registry lists it: everything training, solve and evaluate need to know
 * about it. Adding a kind is adding one of these (docs/agents.md).
 */
export interface AgentDefinition<K extends AgentKind = AgentKind> {
  readonly kind: K;
  /** Its keys in the config's `agent` section (defaults and doc text). */
  readonly configSection: z.ZodObject;
  /** It has a network: the compute backend must be chosen before it is created. */
  readonly usesNetwork: boolean;
  /** It learns from observed steps (training episodes store transitions and run updates). */
  readonly learns: boolean;
  /** What its steps report: Q-values (`topQ`) or action probabilities. */
  readonly reports: 'q-values' | 'probabilities';
  create(context: AgentContext): Agent;
  /** The agent exactly as `save()` left it, from a parsed checkpoint manifest and its arrays. */
  restore(context: AgentContext, saved: SavedAgent): Agent;
  /**
   * Exploration rate for an episode (1-based): the kind's schedule read from the config, restarted
   * from a person's override when there is one.
   */
  epsilon(episode: number, config: TrainingConfig, override?: EpsilonOverride | null): number;
}
