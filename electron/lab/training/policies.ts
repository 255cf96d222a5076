import { DqnAgent, dqnConfig, type ActResult, type DqnCheckpoint, type Transition } from '#lab/agents/dqn.ts';
import { Rng, type RngState } from '#lab/random/rng.ts';
import type { TrainingConfig } from '#shared/config/training-config.ts';
import { TOKENS } from '#shared/env/token-vocabulary.ts';
import type { CheckpointPayload } from './checkpoint-files.ts';
import { ProgramEnumerator } from './program-enumerator.ts';

/**
 * What the training loop drives: DQN, or a baseline that uses the same environment and the same
 * accounting of executed programs (random search, enumeration by length), so that runs compare.
 */
export interface Policy {
  readonly kind: 'dqn' | 'pqt' | 'rspg' | 'random' | 'enumerate';
  /** Called at each episode start with the problem chosen. */
  beginEpisode(problemIndex: number): void;
  act(state: Float32Array, mask: Uint8Array, epsilon: number, position: number): ActResult;
  greedy(state: Float32Array, mask: Uint8Array): ActResult;
  observe(t: Transition): void;
  train(): { loss: number; meanQ: number } | undefined;
  setLearningRate(value: number): void;
  save(): CheckpointPayload;
  dispose(): void;
}

const LEAF = TOKENS.map((t) => t.kind === 'param' || t.kind === 'local' || t.kind === 'const');
const PARAM = TOKENS.map((t) => t.kind === 'param');
/**
 * Tokens that bring a program closer to its end: `return` (the only statement that can finish a
 * function), NEWLINE, DEDENT, END, and the closing and separating punctuation `)` `]` `,` (a
 * separator ends one argument or item, instead of growing it with another operator).
 */
const CLOSER = TOKENS.map((t) => ['return', 'NEWLINE', 'DEDENT', 'END', ')', ']', ','].includes(t.name));
const RETURN = TOKENS.findIndex((t) => t.name === 'return');
const LOCAL = TOKENS.map((t) => t.kind === 'local');

/**
 * How exploration splits its picks by token role (config agent.explore_*). Each share applies when
 * its role and some other role are both valid; within a role the pick is uniform.
 */
export interface ExplorationShares {
  /** Share of picks that go to a leaf (parameter, local or constant). */
  readonly leaf: number;
  /** Of the leaf share, the part that goes to parameters when one is valid (0: uniform over leaves). */
  readonly param: number;
  /** Share of the non-leaf picks that go to a closer (see CLOSER). */
  readonly close: number;
  /** DQN only: > 0 multiplies the role weights by exp(Q / temperature) (see boltzmann in dqn.ts). */
  readonly temperature?: number;
}

/** The config's exploration shares. */
export function explorationShares(agent: { explore_leaf_share: number; explore_param_share?: number; explore_close_share?: number; explore_temperature?: number }): ExplorationShares {
  return { leaf: agent.explore_leaf_share, param: agent.explore_param_share ?? 0, close: agent.explore_close_share ?? 0, temperature: agent.explore_temperature ?? 0 };
}

/** Splits `mass` between two groups of `a` and `b` tokens: `share` to the first when both exist and share > 0, else by count. */
function split(mass: number, share: number, a: number, b: number): [number, number] {
  if (a === 0 || b === 0) return [a === 0 ? 0 : mass, b === 0 ? 0 : mass];
  if (share <= 0) return [(mass * a) / (a + b), (mass * b) / (a + b)];
  return [mass * share, mass * (1 - share)];
}

const asShares = (s: number | ExplorationShares): ExplorationShares => (typeof s === 'number' ? { leaf: s, param: 0, close: 0 } : s);

/**
 * Exploration weights by token role: leaves get `leaf` of the mass (parameters `param` of that),
 * closers `close` of the rest. With uniform picks nearly every program is as long as the limit
 * allows (after an operand about 20 operators compete with one NEWLINE), and with leaves alone a
 * random policy solved none of the 8 seed problems in 5,000 episodes; closers make a program's
 * length roughly geometric, so short programs (7 of the 8 seed solutions are at most 7 tokens)
 * come up often. Undefined means uniform.
 */
export function explorationWeights(mask: Uint8Array, shares: number | ExplorationShares): Float32Array | undefined {
  const { leaf, param, close } = asShares(shares);
  if (leaf <= 0 && close <= 0) return undefined;
  // Where a statement starts (`return` is valid), a local is an assignment target, not an operand:
  // counted as a leaf it would make half of all exploratory statements assignments.
  const atStatement = mask[RETURN] === 1;
  const role = (a: number) => (PARAM[a] ? 0 : LEAF[a] && !(atStatement && LOCAL[a]) ? 1 : CLOSER[a] ? 2 : 3);
  const counts = [0, 0, 0, 0];
  for (let a = 0; a < mask.length; a++) if (mask[a]) counts[role(a)]!++;
  const [params, otherLeaves, closers, others] = counts as [number, number, number, number];
  const [leafMass, restMass] = split(1, leaf, params + otherLeaves, closers + others);
  const [paramMass, otherLeafMass] = split(leafMass, param, params, otherLeaves);
  const [closeMass, otherMass] = split(restMass, close, closers, others);
  const perRole = [paramMass / Math.max(1, params), otherLeafMass / Math.max(1, otherLeaves), closeMass / Math.max(1, closers), otherMass / Math.max(1, others)];
  const weights = new Float32Array(mask.length);
  for (let a = 0; a < mask.length; a++) {
    if (!mask[a]) continue;
    weights[a] = perRole[role(a)]!;
  }
  return weights;
}

/**
 * Exploration weights that give leaves (parameters, locals, constants) `leafShare` of the mass when
 * one is valid. Uniform picks over tokens make nearly every program as long as the limit allows:
 * `a + b` came up once in 10,000 tries in the prototype, and a leaf half the time fixed it.
 */
export function leafWeights(mask: Uint8Array, leafShare: number): Float32Array | undefined {
  if (leafShare <= 0) return undefined;
  let leaves = 0;
  let others = 0;
  for (let a = 0; a < mask.length; a++) if (mask[a]) LEAF[a] ? leaves++ : others++;
  if (leaves === 0 || others === 0) return undefined;
  const weights = new Float32Array(mask.length);
  for (let a = 0; a < mask.length; a++) if (mask[a]) weights[a] = LEAF[a] ? leafShare / leaves : (1 - leafShare) / others;
  return weights;
}

function pickWeighted(rng: Rng, mask: Uint8Array, weights: Float32Array | undefined): number {
  let total = 0;
  for (let a = 0; a < mask.length; a++) if (mask[a]) total += weights ? weights[a]! : 1;
  let r = rng.next() * total;
  let last = -1;
  for (let a = 0; a < mask.length; a++) {
    if (!mask[a]) continue;
    last = a;
    r -= weights ? weights[a]! : 1;
    if (r < 0) return a;
  }
  return last;
}

export class DqnPolicy implements Policy {
  readonly kind = 'dqn';
  private readonly shares: ExplorationShares;
  /** `shares`: the config's exploration shares, or a leaf share alone (the others off). */
  constructor(
    readonly agent: DqnAgent,
    shares: number | ExplorationShares,
  ) {
    this.shares = asShares(shares);
  }

  static create(config: TrainingConfig, stateSize: number, actionCount: number, seed: number): DqnPolicy {
    const a = config.agent;
    const agent = new DqnAgent(
      dqnConfig({
        state_size: stateSize,
        action_count: actionCount,
        learning_rate: a.learning_rate,
        gamma: a.gamma,
        buffer_capacity: a.buffer_capacity,
        batch_size: a.batch_size,
        hidden_dim: a.hidden_dim,
        hidden_layers: a.hidden_layers,
        dropout: a.dropout,
        target_update: a.target_update,
        double_dqn: a.double_dqn,
        dueling: a.dueling,
        prioritized_replay: a.prioritized_replay,
        n_step: a.n_step,
        loss: a.loss,
        learning_starts: Math.max(a.learning_starts, a.batch_size),
        mc_lower_bound: a.mc_lower_bound,
        success_capacity: a.success_buffer,
        success_fraction: a.success_fraction,
        seed,
      }),
    );
    return new DqnPolicy(agent, explorationShares(a));
  }

  static restore(payload: CheckpointPayload, shares: number | ExplorationShares): DqnPolicy {
    const { json } = payload.meta as { json: DqnCheckpoint['json'] };
    return new DqnPolicy(DqnAgent.restore({ json, arrays: payload.arrays as DqnCheckpoint['arrays'] }), shares);
  }

  beginEpisode(): void {}
  act(state: Float32Array, mask: Uint8Array, epsilon: number): ActResult {
    return this.agent.act(state, mask, epsilon, explorationWeights(mask, this.shares), this.shares.temperature ?? 0);
  }
  greedy(state: Float32Array, mask: Uint8Array): ActResult {
    return this.agent.act(state, mask, 0);
  }
  observe(t: Transition): void {
    this.agent.observe(t);
  }
  train() {
    return this.agent.trainStep();
  }
  setLearningRate(value: number): void {
    this.agent.setLearningRate(value);
  }
  save(): CheckpointPayload {
    const checkpoint = this.agent.save();
    return { meta: { json: checkpoint.json }, arrays: checkpoint.arrays };
  }
  dispose(): void {
    this.agent.dispose();
  }
}

/** Random search over the masked actions (weighted by role like DQN's exploration when configured). */
export class RandomPolicy implements Policy {
  readonly kind = 'random';
  private readonly shares: ExplorationShares;
  constructor(
    private rng: Rng,
    shares: number | ExplorationShares,
  ) {
    this.shares = asShares(shares);
  }
  static restore(payload: CheckpointPayload, shares: number | ExplorationShares): RandomPolicy {
    return new RandomPolicy(Rng.fromState((payload.meta as { rng: RngState }).rng), shares);
  }
  beginEpisode(): void {}
  act(_state: Float32Array, mask: Uint8Array): ActResult {
    return { action: pickWeighted(this.rng, mask, explorationWeights(mask, this.shares)), explored: true, topQ: [] };
  }
  greedy(state: Float32Array, mask: Uint8Array): ActResult {
    return this.act(state, mask);
  }
  observe(): void {}
  train() {
    return undefined;
  }
  setLearningRate(): void {}
  save(): CheckpointPayload {
    return { meta: { rng: this.rng.getState() }, arrays: {} };
  }
  dispose(): void {}
}

/**
 * Enumeration of programs by length: each episode on a problem writes that problem's next program
 * in order of token count, so short programs are all tried before any longer one.
 */
export class EnumerationPolicy implements Policy {
  readonly kind = 'enumerate';
  private plan: readonly number[] = [];
  constructor(private readonly enumerators: ProgramEnumerator[]) {}
  beginEpisode(problemIndex: number): void {
    this.plan = this.enumerators[problemIndex]!.next() ?? [];
  }
  act(_state: Float32Array, mask: Uint8Array, _epsilon: number, position: number): ActResult {
    const planned = this.plan[position];
    // When every program of the length limit was tried, fall back to the first valid token.
    const action = planned !== undefined && mask[planned] ? planned : mask.indexOf(1);
    return { action, explored: false, topQ: [] };
  }
  greedy(state: Float32Array, mask: Uint8Array): ActResult {
    return this.act(state, mask, 0, 0);
  }
  observe(): void {}
  train() {
    return undefined;
  }
  setLearningRate(): void {}
  save(): CheckpointPayload {
    return { meta: { produced: this.enumerators.map((e) => e.produced) }, arrays: {} };
  }
  restoreProgress(produced: readonly number[]): void {
    this.enumerators.forEach((e, i) => e.skip(produced[i] ?? 0));
  }
  dispose(): void {}
}

/**
 * Writes a given program while another policy learns from it (search-guided exploration: a program
 * the search found is replayed as an exploratory episode; observe/train go to `learner`).
 */
export class PlannedPolicy implements Policy {
  readonly kind: Policy['kind'];
  constructor(
    private readonly learner: Policy,
    private readonly plan: readonly number[],
  ) {
    this.kind = learner.kind;
  }
  beginEpisode(): void {}
  act(_state: Float32Array, mask: Uint8Array, _epsilon: number, position: number): ActResult {
    const planned = this.plan[position];
    // A planned token is valid (the plan is a program of the same grammar); the fallback only guards.
    return { action: planned !== undefined && mask[planned] ? planned : mask.indexOf(1), explored: true, topQ: [] };
  }
  greedy(state: Float32Array, mask: Uint8Array): ActResult {
    return this.act(state, mask, 0, 0);
  }
  observe(t: Transition): void {
    this.learner.observe(t);
  }
  train() {
    return this.learner.train();
  }
  setLearningRate(): void {}
  save(): CheckpointPayload {
    return { meta: {}, arrays: {} };
  }
  dispose(): void {}
}
