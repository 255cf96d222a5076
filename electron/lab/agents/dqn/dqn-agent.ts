import { Rng, type RngState } from '#lab/random/rng.ts';
import { dqnConfigSection, type DqnSettings } from '#shared/agents/dqn-config.ts';
import type { ActResult, Transition, UpdateResult } from '../agent.ts';
import { topValid } from '../top-actions.ts';
import { Adam } from '#lab/models/adam.ts';
import { CODE_DIMS, META_DIMS } from '#lab/env/state-encoding.ts';
import { disposeInput } from '#lab/models/network-input.ts';
import { QNetwork, initialWeights, paramInfo, type QNetworkSpec, type TdLoss } from '#lab/models/q-network.ts';
import { ReplayBuffer, SumTree, samplePrioritized, type BufferArray, type StoredTransition } from './replay-buffer.ts';

/**
 * The agent's settings: DQN's keys of the config's `agent` section (shared/agents/dqn-config.ts, the
 * single source of their defaults and doc text) plus what the environment and the run decide.
 */
export type DqnConfig = DqnSettings & {
  /** Length of the state vector (the seed's layout: 256 + 256 + 8 = 520). */
  readonly state_size: number;
  /** Number of actions (grammar tokens); masks have this length. */
  readonly action_count: number;
  /** Seeds the weights, exploration, replay sampling and dropout. */
  readonly seed: number;
};

/** The config section's defaults with the given overrides (tests, benchmarks, old checkpoints). */
export function dqnConfig(overrides: Partial<DqnConfig> & Pick<DqnConfig, 'state_size' | 'action_count'>): DqnConfig {
  return { ...dqnConfigSection.parse({}), seed: 0, ...overrides };
}

/** Everything needed to resume exactly: JSON-able scalars plus named typed arrays. */
export interface DqnCheckpoint {
  readonly json: DqnCheckpointJson;
  readonly arrays: Record<string, Float32Array | Float64Array | Uint8Array | Uint16Array | Uint32Array | Int32Array>;
}

export interface DqnCheckpointJson {
  readonly version: 1;
  readonly config: DqnConfig;
  readonly updates: number;
  readonly episodes: number;
  readonly rng: RngState;
  readonly adamStep: number;
  /** Adam's current step size (differs from config.learning_rate under a schedule). */
  readonly learningRate: number;
  readonly replay: { readonly size: number; readonly cursor: number; readonly maxPriority: number };
  /** The success buffer's fill (absent when it is off). */
  readonly success?: { readonly size: number; readonly cursor: number };
  /** The open n-step window's scalars; its arrays are `pending/<i>/...`. */
  readonly pending: readonly { readonly action: number; readonly reward: number; readonly done: boolean }[];
}

/**
 * DQN over a masked action space, in the spirit of CleanRL's dqn.py: config, networks, replay,
 * update, read top to bottom. Switches: Double DQN, dueling heads, proportional prioritized replay,
 * n-step returns. Every max and argmax over next-state actions is taken over that state's VALID
 * actions, using the mask stored with the transition: at the target's max, at the Double-DQN argmax,
 * at the end of an n-step window, and after the dueling heads are combined (the masking bugs of
 * tianshou#309, ray#47537 and ray PR #30184).
 */
export class DqnAgent {
  readonly spec: QNetworkSpec;
  readonly online: QNetwork;
  readonly target: QNetwork;
  readonly replay: ReplayBuffer;
  /** Steps of successful episodes (config.success_buffer > 0). */
  readonly successes: ReplayBuffer | undefined;
  private readonly adam: Adam;
  private readonly priorities: SumTree | undefined;
  private maxPriority = 1;
  private rng: Rng;
  /**
   * The open n-step window: this episode's last transitions not yet stored; the whole episode so
   * far when its end must be known before storing (Monte Carlo returns, the success buffer).
   */
  private pending: Transition[] = [];
  updates = 0;
  episodes = 0;

  constructor(readonly config: DqnConfig) {
    this.rng = new Rng(config.seed);
    this.spec = {
      stateSize: config.state_size,
      hidden: Array.from({ length: config.hidden_layers }, () => config.hidden_dim),
      actionCount: config.action_count,
      dueling: config.dueling,
      dropout: config.dropout,
      // The environment's states end with the code and metadata blocks; what precedes them is the
      // problem's part, the same for every state of a problem.
      sharedPrefix: Math.max(0, config.state_size - CODE_DIMS - META_DIMS),
    };
    this.online = new QNetwork(this.spec, initialWeights(this.spec, this.rng));
    this.target = new QNetwork(this.spec, this.online.getWeights());
    this.adam = new Adam(paramInfo(this.spec).map((p) => p.shape), config.learning_rate);
    this.replay = new ReplayBuffer(config.buffer_capacity, config.state_size, config.action_count);
    this.priorities = config.prioritized_replay ? new SumTree(config.buffer_capacity) : undefined;
    this.successes = config.success_buffer > 0 ? new ReplayBuffer(config.success_buffer, config.state_size, config.action_count) : undefined;
  }

  /** Whether transitions wait for their episode's end before they are stored. */
  private get holdsEpisodes(): boolean {
    return this.config.mc_lower_bound || this.config.success_buffer > 0;
  }

  // ---- acting ----------------------------------------------------------------------------------

  /**
   * Epsilon-greedy over the valid actions. Exploration draws a valid action with probability
   * proportional to `explorationWeights[a]` (uniform when absent): uniform exploration over tokens
   * makes nearly every program as long as the limit allows (docs/prototype-findings.md), so the trainer may weight
   * leaf tokens up.
   */
  act(state: Float32Array, mask: Uint8Array, epsilon: number, explorationWeights?: ArrayLike<number>, temperature = 0): ActResult {
    return this.actBatch(state, mask, 1, epsilon, () => explorationWeights, temperature)[0]!;
  }

  /**
   * `act` for `count` states at once with one forward pass: row i's state and mask start at
   * i * state_size and i * action_count; `weightsFor(i)` gives row i's exploration weights. The
   * random draws are made row by row in order, as `count` calls of `act` would make them.
   */
  actBatch(
    states: Float32Array,
    masks: Uint8Array,
    count: number,
    epsilon: number,
    weightsFor: (row: number) => ArrayLike<number> | undefined = () => undefined,
    temperature = 0,
  ): ActResult[] {
    const A = this.config.action_count;
    const all = this.online.qValues(states, masks, count);
    const out: ActResult[] = [];
    for (let i = 0; i < count; i++) {
      const q = all.subarray(i * A, (i + 1) * A);
      const mask = masks.subarray(i * A, (i + 1) * A);
      const topQ = topValid(q, mask, 5);
      if (topQ.length === 0) throw new Error('act: no valid action in the mask');
      // No draw when greedy, so evaluation episodes leave the training run's random stream alone.
      if (epsilon > 0 && this.rng.next() < epsilon) {
        const prior = weightsFor(i);
        const weights = temperature > 0 ? boltzmann(q, mask, topQ[0]![1], temperature, prior) : prior;
        out.push({ action: this.rng.pickWeighted(mask, weights), explored: true, topQ });
      } else out.push({ action: topQ[0]![0], explored: false, topQ });
    }
    return out;
  }

  greedy(state: Float32Array, mask: Uint8Array): number {
    const best = topValid(this.online.qValues(state, mask, 1), mask, 1)[0];
    if (!best) throw new Error('greedy: no valid action in the mask');
    return best[0];
  }


  // ---- storing ---------------------------------------------------------------------------------

  /** Records one step; n-step windows are stored as they fill and flushed at the episode's end. */
  observe(t: Transition): void {
    this.pending.push({ ...t, state: t.state.slice(), mask: t.mask.slice(), nextState: t.nextState.slice(), nextMask: t.nextMask.slice() });
    const ended = t.done || t.truncated === true;
    if (ended && this.holdsEpisodes) {
      this.storeEpisode(this.pending, t.success === true);
      this.pending = [];
      this.episodes += 1;
      if (this.episodes % this.config.target_update === 0) this.syncTarget();
    } else if (ended) {
      while (this.pending.length > 0) (this.store(this.pending), this.pending.shift());
      this.episodes += 1;
      if (this.episodes % this.config.target_update === 0) this.syncTarget();
    } else if (!this.holdsEpisodes && this.pending.length === this.config.n_step) {
      this.store(this.pending);
      this.pending.shift();
    }
  }

  /**
   * Stores a finished episode's n-step windows, each with the discounted return collected from its
   * first state to the end (-Infinity after a truncation, whose future is unknown), into the replay
   * buffer and, when the episode succeeded, into the success buffer too.
   */
  private storeEpisode(steps: readonly Transition[], success: boolean): void {
    const { gamma, n_step } = this.config;
    const last = steps[steps.length - 1];
    let G = last && last.done ? 0 : -Infinity;
    const returns = new Array<number>(steps.length);
    for (let k = steps.length - 1; k >= 0; k--) returns[k] = G = steps[k]!.reward + gamma * G;
    for (let k = 0; k < steps.length; k++) {
      const window = steps.slice(k, k + n_step);
      this.store(window, returns[k]!);
      if (success) this.successes?.add(this.stored(window, returns[k]!));
    }
  }

  /** window[0] with the return of the whole window, bootstrapping from its last next state. */
  private stored(window: readonly Transition[], mcReturn = -Infinity): StoredTransition {
    const { gamma } = this.config;
    let reward = 0;
    window.forEach((t, k) => (reward += gamma ** k * t.reward));
    const last = window[window.length - 1]!;
    const first = window[0]!;
    return {
      state: first.state,
      mask: first.mask,
      action: first.action,
      reward,
      nextState: last.nextState,
      // The mask of the state the window ends in: the one the bootstrapped max must respect.
      nextMask: last.nextMask,
      discount: last.done ? 0 : gamma ** window.length,
      mcReturn,
    };
  }

  /** Stores window[0] with the return of the whole window, bootstrapping from its last next state. */
  private store(window: readonly Transition[], mcReturn = -Infinity): void {
    const slot = this.replay.add(this.stored(window, mcReturn));
    this.priorities?.set(slot, this.maxPriority ** this.config.per_alpha);
  }

  /** Changes Adam's step size from the next update on (a schedule); saved with the checkpoint. */
  setLearningRate(value: number): void {
    this.adam.learningRate = value;
  }

  syncTarget(): void {
    this.target.copyFrom(this.online);
  }

  // ---- learning --------------------------------------------------------------------------------

  /**
   * TD targets r + discount * Q_target(s', a*) with a* the best VALID action in s' (chosen by the
   * online network under Double DQN), dueling heads combined first, so the argmax never lands on an
   * invalid action.
   */
  tdTargets(rewards: Float32Array, discounts: Float32Array, nextStates: Float32Array, nextMasks: Uint8Array, returns?: Float32Array): Float32Array {
    const n = rewards.length;
    const targets = Float32Array.from(rewards);
    // Only transitions that bootstrap need the networks: a window that reached its episode's end
    // (a third or more of a batch of short episodes) has its reward as its target.
    const live: number[] = [];
    for (let b = 0; b < n; b++) if (discounts[b] !== 0) live.push(b);
    if (live.length > 0) {
      const m = live.length;
      const states = m === n ? nextStates : pickRows(nextStates, live, this.config.state_size);
      const masks = m === n ? nextMasks : pickRows(nextMasks, live, this.config.action_count);
      const next = this.online.input(states, m);
      const chosen = (this.config.double_dqn ? this.online : this.target).greedy(next, masks, m);
      const values = this.config.double_dqn ? this.target.valuesAt(next, masks, m, chosen.actions) : chosen.values;
      disposeInput(next);
      live.forEach((b, k) => {
        if (chosen.actions[k]! < 0) throw new Error(`transition ${b}: its next state has no valid action but the episode did not end`);
        targets[b]! += discounts[b]! * values[k]!;
      });
    }
    if (this.config.mc_lower_bound && returns) for (let b = 0; b < n; b++) if (returns[b]! > targets[b]!) targets[b] = returns[b]!;
    return targets;
  }

  /** One gradient step on a sampled batch; undefined until `learning_starts` transitions are stored. */
  trainStep(): UpdateResult | undefined {
    const { batch_size: B, prioritized_replay } = this.config;
    if (this.replay.size < Math.max(B, this.config.learning_starts)) return undefined;
    // A share of the batch replays successful episodes, so a program found once is learned from
    // many times, not ~once per 50,000 / 64 updates as a uniform draw from the whole buffer would.
    const fromSuccess = this.successes && this.successes.size > 0 ? Math.min(B - 1, Math.round(B * this.config.success_fraction)) : 0;
    const { indices, weights } = this.sample(B - fromSuccess);
    let batch = this.replay.gather(indices);
    let allWeights = weights;
    if (fromSuccess > 0) {
      const picks = new Int32Array(fromSuccess);
      for (let b = 0; b < fromSuccess; b++) picks[b] = this.rng.int(this.successes!.size);
      batch = concatBatches(batch, this.successes!.gather(picks));
      allWeights = new Float32Array(B).fill(1);
      allWeights.set(weights);
    }
    const targets = this.tdTargets(batch.rewards, batch.discounts, batch.nextStates, batch.nextMasks, batch.returns);
    const dropout = this.config.dropout > 0 ? this.spec.hidden.map((width) => this.dropoutMask(width * B)) : undefined;
    const { q } = this.online.train(
      { size: B, states: batch.states, actions: batch.actions, targets, weights: allWeights, masks: batch.masks, ...(dropout ? { dropout } : {}) },
      this.adam,
      this.config.loss,
    );
    let loss = 0;
    let meanQ = 0;
    const tdErrors = new Float32Array(B);
    for (let b = 0; b < B; b++) {
      const delta = q[b]! - targets[b]!;
      tdErrors[b] = delta;
      const abs = Math.abs(delta);
      loss += allWeights[b]! * (this.config.loss === 'mse' ? delta * delta : abs <= 1 ? 0.5 * delta * delta : abs - 0.5);
      meanQ += q[b]!;
      if (prioritized_replay && b < indices.length) {
        const priority = abs + this.config.per_epsilon;
        this.maxPriority = Math.max(this.maxPriority, priority);
        this.priorities!.set(indices[b]!, priority ** this.config.per_alpha);
      }
    }
    this.updates += 1;
    return { loss: loss / B, meanQ: meanQ / B, tdErrors };
  }

  private sample(count: number): { indices: Int32Array; weights: Float32Array } {
    const size = this.replay.size;
    if (this.priorities) {
      const { per_beta, per_beta_updates } = this.config;
      const beta = per_beta + (1 - per_beta) * Math.min(1, this.updates / per_beta_updates);
      return samplePrioritized(this.priorities, size, count, beta, this.rng);
    }
    const indices = new Int32Array(count);
    for (let b = 0; b < count; b++) indices[b] = this.rng.int(size);
    return { indices, weights: new Float32Array(count).fill(1) };
  }

  /** Inverted dropout: kept units scaled by 1/(1-p), so acting needs no rescaling. */
  private dropoutMask(length: number): Float32Array {
    const p = this.config.dropout;
    const mask = new Float32Array(length);
    for (let k = 0; k < length; k++) mask[k] = this.rng.next() < p ? 0 : 1 / (1 - p);
    return mask;
  }

  // ---- checkpoints -----------------------------------------------------------------------------

  /**
   * `experience: false`: without the replay and success buffers and the open n-step window (they
   * restore empty). The buffers' arrays are views of the live ones: write or copy them before the
   * agent stores more.
   */
  save(options: { experience?: boolean } = {}): DqnCheckpoint {
    const experience = options.experience ?? true;
    const names = paramInfo(this.spec).map((p) => p.name);
    const arrays: DqnCheckpoint['arrays'] = {};
    const adam = this.adam.getState();
    const put = (prefix: string, list: readonly Float32Array[]) => list.forEach((w, i) => (arrays[`${prefix}/${names[i]}`] = w));
    put('online', this.online.getWeights());
    put('target', this.target.getWeights());
    put('adam/m', adam.m);
    put('adam/v', adam.v);
    const pending = experience ? this.pending : [];
    const kept = (buffer: { size: number; cursor: number }) => (experience ? { size: buffer.size, cursor: buffer.cursor } : { size: 0, cursor: 0 });
    if (experience) {
      for (const [key, data] of Object.entries(this.replay.contents())) arrays[`replay/${key}`] = data;
      if (this.priorities) arrays['replay/priorities'] = this.priorities.priorities(this.replay.capacity);
      if (this.successes) for (const [key, data] of Object.entries(this.successes.contents())) arrays[`success/${key}`] = data;
    }
    pending.forEach((t, i) => {
      arrays[`pending/${i}/state`] = t.state;
      arrays[`pending/${i}/mask`] = t.mask;
      arrays[`pending/${i}/nextState`] = t.nextState;
      arrays[`pending/${i}/nextMask`] = t.nextMask;
    });
    const json: DqnCheckpointJson = {
      version: 1,
      config: this.config,
      updates: this.updates,
      episodes: this.episodes,
      rng: this.rng.getState(),
      adamStep: adam.step,
      learningRate: this.adam.learningRate,
      replay: { ...kept(this.replay), maxPriority: this.maxPriority },
      ...(this.successes ? { success: kept(this.successes) } : {}),
      pending: pending.map((t) => ({ action: t.action, reward: t.reward, done: t.done })),
    };
    return { json, arrays };
  }

  /** A new agent that continues exactly where the saved one stopped (on the same backend). */
  static restore(checkpoint: DqnCheckpoint): DqnAgent {
    const { json, arrays } = checkpoint;
    if (json.version !== 1) throw new Error(`unknown DQN checkpoint version ${String(json.version)}`);
    // Checkpoints written before a key existed hold no value for it: the default. One key was renamed.
    const { success_capacity, ...saved } = json.config as DqnConfig & { success_capacity?: number };
    const agent = new DqnAgent({ ...dqnConfig({ state_size: saved.state_size, action_count: saved.action_count }), ...(success_capacity === undefined ? {} : { success_buffer: success_capacity }), ...saved });
    const need = <T extends Float32Array | Float64Array | Uint8Array | Int32Array>(key: string): T => {
      const data = arrays[key];
      if (!data) throw new Error(`DQN checkpoint lacks '${key}'`);
      return data as T;
    };
    const names = paramInfo(agent.spec).map((p) => p.name);
    const list = (prefix: string) => names.map((n) => need<Float32Array>(`${prefix}/${n}`));
    agent.online.setWeights(list('online'));
    agent.target.setWeights(list('target'));
    agent.adam.setState({ step: json.adamStep, m: list('adam/m'), v: list('adam/v') });
    agent.setLearningRate(json.learningRate);
    // Every array under the buffer's prefix: the buffer knows its own fields (and older layouts).
    const contents = (prefix: string) =>
      Object.fromEntries(Object.entries(arrays).filter(([key]) => key.startsWith(`${prefix}/`) && key !== 'replay/priorities').map(([key, data]) => [key.slice(prefix.length + 1), data as BufferArray]));
    // A checkpoint saved without experience (the best one) restores with empty buffers.
    const hasBuffer = (prefix: string) => Object.keys(contents(prefix)).length > 0;
    if (hasBuffer('replay')) agent.replay.restore(contents('replay'), json.replay.size, json.replay.cursor);
    if (agent.successes && json.success && hasBuffer('success')) agent.successes.restore(contents('success'), json.success.size, json.success.cursor);
    if (agent.priorities && hasBuffer('replay')) need<Float64Array>('replay/priorities').forEach((p, i) => agent.priorities!.set(i, p));
    agent.maxPriority = json.replay.maxPriority;
    agent.pending = json.pending.map((t, i) => ({
      ...t,
      state: need<Float32Array>(`pending/${i}/state`),
      mask: need<Uint8Array>(`pending/${i}/mask`),
      nextState: need<Float32Array>(`pending/${i}/nextState`),
      nextMask: need<Uint8Array>(`pending/${i}/nextMask`),
    }));
    agent.rng = Rng.fromState(json.rng);
    agent.updates = json.updates;
    agent.episodes = json.episodes;
    return agent;
  }

  dispose(): void {
    this.online.dispose();
    this.target.dispose();
    this.adam.dispose();
  }
}

/**
 * Exploration weights prior(a) * exp((Q(a) - max Q) / temperature) over the valid actions: the
 * prior (token roles) keeps exploratory programs short, the Q-values steer it toward continuations
 * that earned something, without following the argmax depth first.
 */
export function boltzmann(q: Float32Array, mask: Uint8Array, maxQ: number, temperature: number, prior?: ArrayLike<number>): Float32Array {
  const w = new Float32Array(mask.length);
  for (let a = 0; a < mask.length; a++) if (mask[a]) w[a] = (prior ? Math.max(0, prior[a]!) : 1) * Math.exp((q[a]! - maxQ) / temperature);
  return w;
}

type Batch = ReturnType<ReplayBuffer['gather']>;

/** The given rows of a row-major array of rows of `width`, in order. */
function pickRows<T extends Float32Array | Uint8Array>(data: T, rows: readonly number[], width: number): T {
  const out = new (data.constructor as new (length: number) => T)(rows.length * width);
  rows.forEach((r, k) => out.set(data.subarray(r * width, (r + 1) * width), k * width));
  return out;
}

/** Two gathered batches, one after the other. */
function concatBatches(a: Batch, b: Batch): Batch {
  const join = <T extends Float32Array | Uint8Array | Int32Array>(x: T, y: T): T => {
    const out = new (x.constructor as new (n: number) => T)(x.length + y.length);
    out.set(x);
    out.set(y, x.length);
    return out;
  };
  return {
    states: join(a.states, b.states),
    nextStates: join(a.nextStates, b.nextStates),
    masks: join(a.masks, b.masks),
    nextMasks: join(a.nextMasks, b.nextMasks),
    actions: join(a.actions, b.actions),
    rewards: join(a.rewards, b.rewards),
    discounts: join(a.discounts, b.discounts),
    returns: join(a.returns, b.returns),
  };
}
