import * as tf from '@tensorflow/tfjs';
import { DqnAgent, dqnConfig, type DqnConfig } from '#lab/agents/dqn/dqn-agent.ts';
import type { Bench } from '#lab/bench/registry.ts';
import { Rng } from '#lab/random/rng.ts';
import { selectBackend, type BackendChoice } from './backend.ts';
import type { TrainBatch } from './q-network.ts';
import { ReferenceQNetwork } from './reference-q-network.ts';

/** A network to time: state -> hidden x2 -> actions, batch 64. */
export interface BenchNetwork {
  readonly label: string;
  readonly stateSize: number;
  readonly hidden: number;
  readonly actions: number;
  readonly doubleDqn: boolean;
  readonly dueling: boolean;
  /** Also time the naive autograd update (slow on the seed's network: ~0.5 s a step). */
  readonly naive: boolean;
}

export interface DqnBenchOptions {
  readonly backend?: BackendChoice;
  readonly batch?: number;
  readonly networks?: readonly BenchNetwork[];
  /** Timed updates per network (after 3 untimed ones); the best is reported. */
  readonly repeats?: number;
  readonly naiveRepeats?: number;
  readonly matMulRepeats?: number;
}

export interface UpdateTiming {
  readonly label: string;
  readonly ms: number;
  /** Matrix-product FLOPs the fused update executes. */
  readonly gflop: number;
  readonly gflops: number;
  /** gflops / the plain matMul's GFLOP/s: the share of the backend's fast path reached. */
  readonly vsMatMul: number;
  /** FLOPs a full-output update (every action's Q and gradient) would execute, over our time. */
  readonly denseEquivalentGflops: number;
  readonly naiveMs?: number;
  /** naiveMs / ms. */
  readonly speedupVsNaive?: number;
}

export interface DqnBenchResult {
  readonly backend: string;
  readonly batch: number;
  readonly matMul: { readonly shape: string; readonly ms: number; readonly gflops: number };
  readonly updates: readonly UpdateTiming[];
}

export const DEFAULT_NETWORKS: readonly BenchNetwork[] = [
  { label: "seed's 520-512-512-5000", stateSize: 520, hidden: 512, actions: 5000, doubleDqn: false, dueling: false, naive: true },
  { label: 'ours 520-256-256-100', stateSize: 520, hidden: 256, actions: 100, doubleDqn: false, dueling: false, naive: true },
  { label: 'ours 520-256-256-100, double + dueling', stateSize: 520, hidden: 256, actions: 100, doubleDqn: true, dueling: true, naive: false },
];

/**
 * Best-of-N wall time. The machines are shared (other test suites run beside the bench), and the
 * minimum is the run least disturbed by them; the median would mostly measure the neighbours.
 */
function bestMs(f: () => void, repeats: number, warmup = 3): number {
  for (let i = 0; i < warmup; i++) f();
  let best = Infinity;
  for (let i = 0; i < repeats; i++) {
    const t = performance.now();
    f();
    best = Math.min(best, performance.now() - t);
  }
  return best;
}

/** Products the fused update runs (q-network.ts and DqnAgent.tdTargets), 2 FLOPs per multiply-add. */
function fusedFlops(n: BenchNetwork, B: number): { executed: number; dense: number } {
  const { stateSize: S, hidden: H, actions: A } = n;
  const trunk = 2 * B * (S * H + H * H);
  const head = 2 * B * H * (A + (n.dueling ? 1 : 0));
  const nextForwards = (n.doubleDqn ? 2 : 1) * (trunk + head);
  // Backward: dW of both hidden layers and d(input) of the second; the head as below.
  const hiddenBackward = 2 * B * (S * H + 2 * H * H);
  const fusedHead = n.dueling ? 3 * head : 2 * 2 * B * H; // dueling: forward, dW, d(input); else gathered rows
  return { executed: nextForwards + trunk + hiddenBackward + fusedHead, dense: nextForwards + trunk + hiddenBackward + 3 * head };
}

function agentFor(n: BenchNetwork, B: number, rng: Rng): DqnAgent {
  const config: DqnConfig = dqnConfig({
    state_size: n.stateSize,
    action_count: n.actions,
    hidden_dim: n.hidden,
    batch_size: B,
    learning_starts: B,
    buffer_capacity: 4 * B,
    double_dqn: n.doubleDqn,
    dueling: n.dueling,
    seed: 1,
  });
  const agent = new DqnAgent(config);
  // No transition ends its episode: the TD targets skip those, and the FLOPs counted here assume every
  // row of the batch bootstraps.
  for (let k = 0; k < 4 * B; k++) agent.observe(randomTransition(n, rng, false));
  return agent;
}

function randomMask(actions: number, rng: Rng): Uint8Array {
  const mask = new Uint8Array(actions).map(() => (rng.next() < 0.5 ? 1 : 0));
  mask[rng.int(actions)] = 1;
  return mask;
}

function randomTransition(n: BenchNetwork, rng: Rng, done: boolean) {
  const state = () => new Float32Array(n.stateSize).map(() => rng.uniform(-1, 1));
  const mask = randomMask(n.actions, rng);
  let action = rng.int(n.actions);
  while (!mask[action]) action = rng.int(n.actions);
  return { state: state(), mask, action, reward: rng.next(), nextState: state(), nextMask: randomMask(n.actions, rng), done };
}

/** The naive update: tf.layers-style kernels, autograd (tf.variableGrads) and tf.train.adam. */
function naiveUpdater(n: BenchNetwork, agent: DqnAgent, B: number) {
  const online = new ReferenceQNetwork(agent.spec, agent.online.getWeights());
  const target = new ReferenceQNetwork(agent.spec, agent.target.getWeights());
  const optimizer = tf.train.adam(agent.config.learning_rate, 0.9, 0.999, 1e-8);
  const batch = agent.replay.gather(Int32Array.from({ length: B }, (_, i) => i));
  const update = () => {
    const targetTensor = tf.tidy(() => {
      const nextValid = tf.tensor2d(Float32Array.from(batch.nextMasks), [B, n.actions]);
      const q = target.predict(tf.tensor2d(batch.nextStates, [B, n.stateSize]), nextValid);
      const best = tf.max(tf.where(tf.greater(nextValid, 0), q, tf.fill(q.shape, -Infinity)), 1);
      const discounts = tf.tensor1d(batch.discounts);
      return tf.add(tf.tensor1d(batch.rewards), tf.mul(discounts, tf.where(tf.greater(discounts, 0), best, tf.zerosLike(best))));
    });
    const targets = targetTensor.dataSync() as Float32Array;
    targetTensor.dispose();
    const trainBatch: TrainBatch = { size: B, states: batch.states, actions: batch.actions, targets, weights: new Float32Array(B).fill(1), masks: batch.masks };
    const { grads, value } = tf.variableGrads(() => online.loss(trainBatch, 'huber'), online.vars);
    optimizer.applyGradients(Object.entries(grads).map(([name, tensor]) => ({ name, tensor })));
    value.dataSync();
    tf.dispose([value, ...Object.values(grads)]);
  };
  const dispose = () => (online.dispose(), target.dispose(), optimizer.dispose());
  return { update, dispose };
}

export async function runDqnBench(options: DqnBenchOptions = {}): Promise<DqnBenchResult> {
  const report = await selectBackend(options.backend ?? 'auto');
  const B = options.batch ?? 64;
  const rng = new Rng(7);
  const a = tf.randomNormal([64, 512]);
  const b = tf.randomNormal([512, 512]);
  // The baseline product is timed again beside every network and the best kept, so a busy moment
  // on a shared machine cannot make either side of the ratio look better than it is.
  let matMulMs = Infinity;
  // Not inside tf.tidy: tidy walks its return value looking for tensors, and walking a 32,768-element
  // Float32Array took ~6 ms here, five times the product itself.
  const productOnce = () => {
    const c = tf.matMul(a, b);
    c.dataSync();
    c.dispose();
  };
  const matMul = () => (matMulMs = Math.min(matMulMs, bestMs(productOnce, options.matMulRepeats ?? 100, 10)));
  const updates: UpdateTiming[] = [];
  for (const n of options.networks ?? DEFAULT_NETWORKS) {
    const agent = agentFor(n, B, rng);
    matMul();
    const ms = bestMs(() => void agent.trainStep(), options.repeats ?? 20);
    matMul();
    const { executed, dense } = fusedFlops(n, B);
    const gflops = executed / ms / 1e6;
    const matMulGflops = (2 * 64 * 512 * 512) / matMulMs / 1e6;
    let naive: Pick<UpdateTiming, 'naiveMs' | 'speedupVsNaive'> = {};
    if (n.naive) {
      const updater = naiveUpdater(n, agent, B);
      const naiveMs = bestMs(updater.update, options.naiveRepeats ?? 5, 1);
      updater.dispose();
      naive = { naiveMs, speedupVsNaive: naiveMs / ms };
    }
    agent.dispose();
    updates.push({ label: n.label, ms, gflop: executed / 1e9, gflops, vsMatMul: gflops / matMulGflops, denseEquivalentGflops: dense / ms / 1e6, ...naive });
  }
  matMul();
  tf.dispose([a, b]);
  // Ratios use the best matMul of the whole run.
  const matMulGflops = (2 * 64 * 512 * 512) / matMulMs / 1e6;
  const rescaled = updates.map((u) => ({ ...u, vsMatMul: u.gflops / matMulGflops }));
  return { backend: report.backend, batch: B, matMul: { shape: '64x512 @ 512x512', ms: matMulMs, gflops: matMulGflops }, updates: rescaled };
}

const round = (x: number, digits = 1) => Number(x.toFixed(digits));

export const dqnBench: Bench = {
  name: 'dqn',
  summary: "one DQN update (batch 64) of the seed's 520-512-512-5000 network and ours, against a plain matMul and naive autograd",
  async run() {
    const r = await runDqnBench();
    const rows: [string, number | string, string][] = [
      ['backend', r.backend, `batch ${r.batch}`],
      [`matMul ${r.matMul.shape}`, round(r.matMul.ms, 3), `ms (${round(r.matMul.gflops)} GFLOP/s, untransposed)`],
    ];
    for (const u of r.updates) {
      rows.push([`${u.label} update`, round(u.ms, 2), `ms (${round(u.gflop, 3)} GFLOP executed, ${round(u.gflops)} GFLOP/s)`]);
      rows.push([`${u.label} / matMul`, round(u.vsMatMul, 2), `x of matMul GFLOP/s (dense-equivalent ${round(u.denseEquivalentGflops)} GFLOP/s)`]);
      if (u.naiveMs !== undefined) rows.push([`${u.label} naive autograd`, round(u.naiveMs, 1), `ms (fused is ${round(u.speedupVsNaive ?? 0)}x faster)`]);
    }
    return { name: 'dqn', rows, json: r };
  },
};
