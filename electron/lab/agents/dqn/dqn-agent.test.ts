import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { selectBackend } from '#lab/models/backend.ts';
import { paramInfo } from '#lab/models/q-network.ts';
import { Rng } from '#lab/random/rng.ts';
import { decayingEpsilon } from '../exploration.ts';
import { boltzmann, DqnAgent, dqnConfig, type DqnCheckpoint, type DqnConfig } from './dqn-agent.ts';
import { SumTree, samplePrioritized } from './replay-buffer.ts';

beforeAll(async () => {
  await selectBackend('wasm');
});

/**
 * A 2-step toy MDP with masks. In s0 the valid actions are 0 (ends, reward 0.1: a lure), 1 (goes to
 * s1) and 2 (ends, 0); action 3 is invalid there. In s1 only 2 (ends, 0) and 3 (ends, 1) are valid.
 * Optimal: 1 then 3, worth 0.99 from s0.
 */
const S0 = Float32Array.of(1, 0, 0, 0);
const S1 = Float32Array.of(0, 1, 0, 0);
const END = new Float32Array(4);
const M0 = Uint8Array.of(1, 1, 1, 0);
const M1 = Uint8Array.of(0, 0, 1, 1);
const NONE = new Uint8Array(4);

function toyStep(inS1: boolean, action: number) {
  if (!inS1 && action === 1) return { nextState: S1, nextMask: M1, reward: 0, done: false };
  const reward = inS1 ? (action === 3 ? 1 : 0) : action === 0 ? 0.1 : 0;
  return { nextState: END, nextMask: NONE, reward, done: true };
}

/** Runs `steps` environment steps with one update each; returns the log and where the env stands. */
function run(agent: DqnAgent, steps: number, inS1 = false, epsilon = 0.5) {
  const log: (number | boolean | string)[] = [];
  for (let i = 0; i < steps; i++) {
    const [state, mask] = inS1 ? [S1, M1] : [S0, M0];
    const { action, explored } = agent.act(state, mask, epsilon);
    const step = toyStep(inS1, action);
    agent.observe({ state, mask, action, ...step });
    const r = agent.trainStep();
    log.push(action, explored, r ? `${r.loss}/${r.meanQ}` : '-');
    inS1 = !step.done;
  }
  return { log, inS1 };
}

const toyConfig = (overrides: Partial<DqnConfig> = {}) =>
  dqnConfig({ state_size: 4, action_count: 4, hidden_dim: 16, learning_rate: 0.01, batch_size: 16, learning_starts: 16, buffer_capacity: 500, target_update: 5, seed: 11, ...overrides });

/** Sets the output layer to constants: weights 0, so Q(s, a) = bias[a] (+ value bias if dueling). */
function constantHeads(agent: DqnAgent, which: 'online' | 'target', advantage: number[], value = 0) {
  const names = paramInfo(agent.spec).map((p) => p.name);
  const weights = agent[which].getWeights();
  weights[names.indexOf('advantage.weight')]!.fill(0);
  weights[names.indexOf('advantage.bias')]!.set(advantage);
  if (agent.spec.dueling) {
    weights[names.indexOf('value.weight')]!.fill(0);
    weights[names.indexOf('value.bias')]![0] = value;
  }
  agent[which].setWeights(weights);
}

describe('masked targets', () => {
  const next = Float32Array.of(0, 0, 1, 0, 0, 0, 1, 0);
  const nextMasks = Uint8Array.of(0, 1, 1, 0, 0, 1, 1, 0); // action 0 is invalid and has the highest Q
  const rewards = Float32Array.of(0.5, 0.5);
  const discounts = Float32Array.of(1, 0);

  it('never takes the max over an invalid action', () => {
    const agent = new DqnAgent(dqnConfig({ state_size: 4, action_count: 4, hidden_dim: 4, double_dqn: false }));
    constantHeads(agent, 'target', [100, 2, 7, 50]);
    expect(Array.from(agent.tdTargets(rewards, discounts, next, nextMasks))).toEqual([7.5, 0.5]);
    agent.dispose();
  });

  it('takes the Double-DQN argmax over valid actions only, and the value from the target network', () => {
    const agent = new DqnAgent(dqnConfig({ state_size: 4, action_count: 4, hidden_dim: 4, double_dqn: true }));
    constantHeads(agent, 'online', [100, 5, 1, 90]);
    constantHeads(agent, 'target', [50, 2, 7, 60]);
    expect(Array.from(agent.tdTargets(rewards, discounts, next, nextMasks))).toEqual([2.5, 0.5]);
    agent.dispose();
  });

  it('bootstraps only the transitions that did not end, each as it would be alone, and leaves an ended one its reward', () => {
    const agent = new DqnAgent(dqnConfig({ state_size: 4, action_count: 4, hidden_dim: 8, double_dqn: true, seed: 3 }));
    const rng = new Rng(9);
    const n = 6;
    const states = Float32Array.from({ length: n * 4 }, () => rng.uniform(-1, 1));
    // Ended transitions (discount 0) have next states with no valid action: the networks never see them.
    const ended = [1, 4];
    const masks = Uint8Array.from({ length: n * 4 }, (_, i) => (ended.includes(Math.floor(i / 4)) ? 0 : 1));
    const rewardsOf = Float32Array.from({ length: n }, (_, b) => b + 0.25);
    const discountsOf = Float32Array.from({ length: n }, (_, b) => (ended.includes(b) ? 0 : 0.9));
    const greedy = vi.spyOn(agent.online, 'greedy');
    const all = agent.tdTargets(rewardsOf, discountsOf, states, masks);
    expect(greedy.mock.calls[0]![2]).toBe(n - ended.length);
    greedy.mockRestore();
    for (let b = 0; b < n; b++) {
      const alone = agent.tdTargets(rewardsOf.subarray(b, b + 1), discountsOf.subarray(b, b + 1), states.subarray(b * 4, (b + 1) * 4), masks.subarray(b * 4, (b + 1) * 4));
      expect(all[b]).toBe(alone[0]);
      if (ended.includes(b)) expect(all[b]).toBe(rewardsOf[b]);
      else expect(all[b]).not.toBe(rewardsOf[b]);
    }
    agent.dispose();
  });

  it('subtracts the dueling mean over valid actions only, then masks', () => {
    const agent = new DqnAgent(dqnConfig({ state_size: 4, action_count: 4, hidden_dim: 4, dueling: true, double_dqn: false }));
    constantHeads(agent, 'target', [100, 1, 3, -40], 10);
    constantHeads(agent, 'online', [100, 1, 3, -40], 10);
    // Valid advantages 1 and 3 have mean 2: Q = 10 + [-1, 1]. Over all four actions the mean is 16.
    expect(Array.from(agent.target.qValues(next.subarray(0, 4), nextMasks.subarray(0, 4), 1))).toEqual([-Infinity, 9, 11, -Infinity]);
    expect(Array.from(agent.tdTargets(rewards, discounts, next, nextMasks))).toEqual([11.5, 0.5]);
    expect(agent.greedy(next.subarray(0, 4), nextMasks.subarray(0, 4))).toBe(2);
    agent.dispose();
  });
});

describe('n-step windows', () => {
  const state = (k: number) => Float32Array.of(k, 0, 0, 0);
  const mask = (k: number) => Uint8Array.of(1, k % 2, 1, 1);
  const episode = (agent: DqnAgent, rewards: number[]) =>
    rewards.forEach((reward, k) =>
      agent.observe({ state: state(k), mask: mask(k), action: k, reward, nextState: state(k + 1), nextMask: mask(k + 1), done: k === rewards.length - 1 }),
    );

  it('are cut at the end of an episode and never cross it', () => {
    const agent = new DqnAgent(dqnConfig({ state_size: 4, action_count: 4, hidden_dim: 4, n_step: 3, gamma: 0.5 }));
    episode(agent, [1, 2]);
    episode(agent, [4, 8, 16, 32]);
    const r = agent.replay;
    expect(r.size).toBe(6);
    expect(Array.from(r.rewards.subarray(0, 6))).toEqual([1 + 0.5 * 2, 2, 4 + 0.5 * 8 + 0.25 * 16, 8 + 0.5 * 16 + 0.25 * 32, 16 + 0.5 * 32, 32]);
    expect(Array.from(r.discounts.subarray(0, 6))).toEqual([0, 0, 0.125, 0, 0, 0]);
    expect(Array.from(r.actions.subarray(0, 6))).toEqual([0, 1, 0, 1, 2, 3]);
    // The stored next state and its mask are those of the window's last step.
    expect(Array.from(r.nextStates.subarray(2 * 4, 2 * 4 + 1))).toEqual([3]);
    expect(Array.from(r.nextMasks.subarray(2 * 4, 3 * 4))).toEqual(Array.from(mask(3)));
    expect(Array.from(r.nextMasks.subarray(3 * 4, 4 * 4))).toEqual(Array.from(mask(4)));
    agent.dispose();
  });
});

describe('prioritized replay', () => {
  it('samples in proportion to priority, with importance weights normalised by the largest', () => {
    const tree = new SumTree(6);
    [1, 2, 3, 4].forEach((p, i) => tree.set(i, p));
    const rng = new Rng(1);
    const counts = [0, 0, 0, 0];
    for (let k = 0; k < 200; k++) samplePrioritized(tree, 4, 50, 1, rng).indices.forEach((i) => (counts[i]! += 1));
    expect(counts.map((c) => Math.round((c / 10_000) * 100) / 100)).toEqual([0.1, 0.2, 0.3, 0.4]);
    // With beta = 1 the weight is 1/(N P(i)), divided by the batch's largest: min priority / p_i.
    const { indices, weights } = samplePrioritized(tree, 4, 4, 1, rng);
    const priorities = Array.from(indices, (i) => i + 1);
    const smallest = Math.min(...priorities);
    expect(Array.from(weights).map((w) => Math.round(w * 1e6) / 1e6)).toEqual(priorities.map((p) => Math.round((smallest / p) * 1e6) / 1e6));
  });
});

describe('exploration', () => {
  it('draws only valid actions, in proportion to the caller-supplied weights', () => {
    const agent = new DqnAgent(toyConfig());
    const counts = [0, 0, 0, 0];
    const mask = Uint8Array.of(1, 1, 0, 1);
    for (let k = 0; k < 4000; k++) {
      const r = agent.act(S0, mask, 1, [1, 0, 100, 3]);
      expect(r.explored).toBe(true);
      counts[r.action]! += 1;
    }
    expect(counts[1]! + counts[2]!).toBe(0);
    expect(Math.abs(counts[3]! / 4000 - 0.75)).toBeLessThan(0.03);
    const greedy = agent.act(S0, mask, 0);
    expect(greedy.explored).toBe(false);
    expect(greedy.topQ.map(([a]) => a).sort()).toEqual([0, 1, 3]);
    expect(greedy.action).toBe(greedy.topQ[0]![0]);
    agent.dispose();
  });

  it('follows the seed schedule, and restarts it from an override', () => {
    const agent = { epsilon_start: 1, epsilon_end: 0.01, epsilon_decay: 0.5 };
    expect([1, 2, 1000].map((e) => decayingEpsilon(e, agent))).toEqual([1, 0.5, 0.01]);
    expect([10, 11].map((e) => decayingEpsilon(e, agent, { value: 0.8, episode: 10 }))).toEqual([0.8, 0.4]);
  });
});

describe('DqnAgent', () => {
  it.each([
    ['Double DQN', {}],
    ['plain DQN, squared error', { double_dqn: false, loss: 'mse' as const }],
    ['dueling', { dueling: true }],
    ['prioritized replay', { prioritized_replay: true }],
    ['2-step returns', { n_step: 2 }],
  ])('learns the toy MDP (%s)', (_, overrides) => {
    const agent = new DqnAgent(toyConfig(overrides));
    run(agent, 600);
    expect([agent.greedy(S0, M0), agent.greedy(S1, M1)]).toEqual([1, 3]);
    expect(agent.updates).toBeGreaterThan(550);
    agent.dispose();
  });

  it('leaks no tensors in a training step or in acting', () => {
    const agent = new DqnAgent(toyConfig({ dueling: true, prioritized_replay: true, dropout: 0.1 }));
    run(agent, 40);
    const before = tf.memory().numTensors;
    run(agent, 5);
    agent.save();
    expect(tf.memory().numTensors).toBe(before);
    agent.dispose();
  });

  it('repeats a run for the same seed', () => {
    const a = new DqnAgent(toyConfig({ prioritized_replay: true, dropout: 0.1 }));
    const b = new DqnAgent(toyConfig({ prioritized_replay: true, dropout: 0.1 }));
    expect(run(b, 80).log).toEqual(run(a, 80).log);
    const c = new DqnAgent(toyConfig({ prioritized_replay: true, dropout: 0.1, seed: 12 }));
    expect(run(c, 80).log).not.toEqual(run(a, 80).log);
    [a, b, c].forEach((x) => x.dispose());
  });

  it('resumes from a checkpoint exactly as if it had not stopped', () => {
    const config = toyConfig({ prioritized_replay: true, dueling: true, n_step: 3, dropout: 0.1, target_update: 3 });
    const agent = new DqnAgent(config);
    let { inS1 } = run(agent, 45);
    if (!inS1) inS1 = run(agent, 1).inS1; // stop mid-episode, with an open n-step window
    expect(inS1).toBe(true);
    agent.setLearningRate(0.005);
    const saved = agent.save();
    // Through JSON and fresh typed arrays, as the trainer's file would be.
    const copy: DqnCheckpoint = {
      json: JSON.parse(JSON.stringify(saved.json)) as DqnCheckpoint['json'],
      arrays: Object.fromEntries(Object.entries(saved.arrays).map(([k, v]) => [k, v.slice()])),
    };
    const straight = run(agent, 60, inS1).log;
    const resumed = DqnAgent.restore(copy);
    expect(run(resumed, 60, inS1).log).toEqual(straight);
    expect(resumed.online.getWeights()).toEqual(agent.online.getWeights());
    expect(resumed.save().json).toEqual(agent.save().json);
    agent.dispose();
    resumed.dispose();
  });

  it('saves without its experience for acting: same weights and decisions, empty buffers, no buffer arrays', () => {
    const agent = new DqnAgent(toyConfig({ prioritized_replay: true, n_step: 3, success_buffer: 8 }));
    run(agent, 45);
    const saved = agent.save({ experience: false });
    expect(Object.keys(saved.arrays).filter((k) => /^(replay|success|pending)\//.test(k))).toEqual([]);
    const full = Object.values(agent.save().arrays).reduce((n, a) => n + a.byteLength, 0);
    const lean = Object.values(saved.arrays).reduce((n, a) => n + a.byteLength, 0);
    expect(lean).toBeLessThan(full);
    const restored = DqnAgent.restore(saved);
    expect([restored.replay.size, restored.successes!.size]).toEqual([0, 0]);
    expect(restored.online.getWeights()).toEqual(agent.online.getWeights());
    const mask = Uint8Array.of(1, 1, 1, 1);
    for (const state of [Float32Array.of(1, 0, 0, 0), Float32Array.of(0, 1, 0.5, 0)]) expect(restored.act(state, mask, 0)).toEqual(agent.act(state, mask, 0));
    [agent, restored].forEach((a) => a.dispose());
  });
});

describe('lower-bound targets and the success buffer', () => {
  const state = (k: number) => Float32Array.of(k, 0, 0, 0);
  const mask = Uint8Array.of(1, 1, 1, 1);
  const episode = (agent: DqnAgent, rewards: number[], success: boolean) =>
    rewards.forEach((reward, k) =>
      agent.observe({ state: state(k), mask, action: k, reward, nextState: state(k + 1), nextMask: mask, done: k === rewards.length - 1, success: success && k === rewards.length - 1 }),
    );

  it('stores each window with the discounted return collected from its state to the end', () => {
    const agent = new DqnAgent(dqnConfig({ state_size: 4, action_count: 4, hidden_dim: 4, n_step: 2, gamma: 0.5, mc_lower_bound: true }));
    episode(agent, [1, 2, 4], false);
    expect(agent.replay.size).toBe(3);
    expect(Array.from(agent.replay.rewards.subarray(0, 3))).toEqual([1 + 0.5 * 2, 2 + 0.5 * 4, 4]);
    expect(Array.from(agent.replay.returns.subarray(0, 3))).toEqual([1 + 0.5 * 2 + 0.25 * 4, 2 + 0.5 * 4, 4]);
    agent.dispose();
  });

  it('takes the larger of the bootstrapped target and the collected return', () => {
    const next = Float32Array.of(0, 0, 1, 0, 0, 0, 1, 0);
    const masks = Uint8Array.of(1, 1, 1, 1, 1, 1, 1, 1);
    const on = new DqnAgent(dqnConfig({ state_size: 4, action_count: 4, hidden_dim: 4, double_dqn: false, mc_lower_bound: true }));
    constantHeads(on, 'target', [1, 2, 3, 4]);
    const targets = on.tdTargets(Float32Array.of(0, 0), Float32Array.of(1, 1), next, masks, Float32Array.of(10, -Infinity));
    expect(Array.from(targets)).toEqual([10, 4]);
    const off = new DqnAgent(dqnConfig({ state_size: 4, action_count: 4, hidden_dim: 4, double_dqn: false }));
    constantHeads(off, 'target', [1, 2, 3, 4]);
    expect(Array.from(off.tdTargets(Float32Array.of(0, 0), Float32Array.of(1, 1), next, masks, Float32Array.of(10, -Infinity)))).toEqual([4, 4]);
    [on, off].forEach((a) => a.dispose());
  });

  it('keeps the steps of successful episodes only, and resumes with them exactly', () => {
    const agent = new DqnAgent(toyConfig({ success_buffer: 8, success_fraction: 0.25, mc_lower_bound: true }));
    episode(agent, [0, 0, 1], true);
    episode(agent, [0, 0.5], false);
    expect([agent.replay.size, agent.successes!.size]).toEqual([5, 3]);
    expect(Array.from(agent.successes!.actions.subarray(0, 3))).toEqual([0, 1, 2]);
    run(agent, 30);
    const saved = agent.save();
    const copy: DqnCheckpoint = {
      json: JSON.parse(JSON.stringify(saved.json)) as DqnCheckpoint['json'],
      arrays: Object.fromEntries(Object.entries(saved.arrays).map(([k, v]) => [k, v.slice()])),
    };
    const straight = run(agent, 40).log;
    const resumed = DqnAgent.restore(copy);
    expect(resumed.successes!.size).toBe(3);
    expect(run(resumed, 40).log).toEqual(straight);
    [agent, resumed].forEach((a) => a.dispose());
  });

  it('explores by role weights times exp(Q / temperature)', () => {
    const q = Float32Array.of(1, 2, 100, 2);
    const w = boltzmann(q, Uint8Array.of(1, 1, 0, 1), 2, 1, [2, 1, 1, 1]);
    expect(Array.from(w).map((x) => Math.round(x * 1e6) / 1e6)).toEqual([Math.round(2 * Math.exp(-1) * 1e6) / 1e6, 1, 0, 1]);
  });
});
