import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { Rng } from '#lab/random/rng.ts';
import { selectBackend } from './backend.ts';
import { Adam } from './adam.ts';
import { QNetwork, denseGradient, fusedGradients, initialWeights, paramInfo, type QNetworkSpec, type TdLoss, type TrainBatch } from './q-network.ts';
import { ReferenceQNetwork } from './reference-q-network.ts';

beforeAll(async () => {
  await selectBackend('wasm');
});

/** A small batch with a repeated action, some invalid actions, and targets far enough for Huber's linear part. */
function smallBatch(spec: QNetworkSpec, rng: Rng, size = 5): TrainBatch {
  const A = spec.actionCount;
  const masks = new Uint8Array(size * A).map(() => (rng.next() < 0.6 ? 1 : 0));
  const actions = new Int32Array(size);
  for (let b = 0; b < size; b++) {
    actions[b] = b === 1 ? actions[0]! : rng.int(A);
    masks[b * A + actions[b]!] = 1;
  }
  const dropout = spec.dropout > 0 ? spec.hidden.map((w) => new Float32Array(w * size).map(() => (rng.next() < spec.dropout ? 0 : 1 / (1 - spec.dropout)))) : undefined;
  return {
    size,
    states: new Float32Array(size * spec.stateSize).map(() => rng.uniform(-1, 1)),
    actions,
    targets: new Float32Array(size).map(() => rng.uniform(-3, 3)),
    weights: new Float32Array(size).map(() => rng.uniform(0.2, 1)),
    masks,
    ...(dropout ? { dropout } : {}),
  };
}

/** `size` states whose first `prefix` values are one of `distinct` prefixes (problem blocks shared by many states). */
function sharedPrefixBatch(spec: QNetworkSpec, rng: Rng, size: number, distinct: number): TrainBatch {
  const batch = smallBatch(spec, rng, size);
  const prefix = spec.sharedPrefix!;
  const prefixes = Array.from({ length: distinct }, () => Float32Array.from({ length: prefix }, () => rng.uniform(-1, 1)));
  for (let b = 0; b < size; b++) batch.states.set(prefixes[b % distinct]!, b * spec.stateSize);
  return batch;
}

/** Our network and Adam beside the reference network and tf.train.adam, from the same weights (Huber loss, lr 0.01). */
function trainingPair(spec: QNetworkSpec, rng: Rng) {
  const weights = initialWeights(spec, rng);
  const net = new QNetwork(spec, weights);
  const adam = new Adam(paramInfo(spec).map((p) => p.shape), 0.01);
  const reference = new ReferenceQNetwork(spec, weights);
  const optimizer = tf.train.adam(0.01, 0.9, 0.999, 1e-8);
  return {
    adam,
    /** One step of each on the same batch. */
    step(batch: TrainBatch): void {
      net.train(batch, adam, 'huber');
      const { grads, value } = tf.variableGrads(() => reference.loss(batch, 'huber'), reference.vars);
      optimizer.applyGradients(Object.entries(grads).map(([name, tensor]) => ({ name, tensor })));
      tf.dispose([value, ...Object.values(grads)]);
    },
    /** The largest difference between the two networks' weights. */
    worstGap(): number {
      const theirs = reference.getWeights();
      let worst = 0;
      net.getWeights().forEach((w, i) => w.forEach((x, k) => (worst = Math.max(worst, Math.abs(x - theirs[i]![k]!)))));
      return worst;
    },
    dispose(): void {
      net.dispose();
      adam.dispose();
      reference.dispose();
      optimizer.dispose();
    },
  };
}

const cases: [string, Partial<QNetworkSpec>, TdLoss][] = [
  ['plain, Huber', {}, 'huber'],
  ['plain, MSE', {}, 'mse'],
  ['dueling, Huber', { dueling: true }, 'huber'],
  ['dueling with dropout, MSE', { dueling: true, dropout: 0.3 }, 'mse'],
  ['plain with dropout, three hidden layers', { dropout: 0.25, hidden: [8, 6, 5] }, 'huber'],
];

describe('the fused update', () => {
  it.each(cases)('computes the same gradients as tf autograd (%s)', (_, overrides, lossKind) => {
    const spec: QNetworkSpec = { stateSize: 6, hidden: [5, 4], actionCount: 7, dueling: false, dropout: 0, ...overrides };
    const rng = new Rng(3);
    const weights = initialWeights(spec, rng);
    const batch = smallBatch(spec, rng);
    const net = new QNetwork(spec, weights);
    const ours = tf.tidy(() => fusedGradients(spec, net.params, batch, lossKind).grads.map((g) => denseGradient(g)));
    const reference = new ReferenceQNetwork(spec, weights);
    const theirs = reference.gradients(batch, lossKind);
    expect(ours.map((g) => g.length)).toEqual(paramInfo(spec).map((p) => p.shape[0] * p.shape[1]));
    let worst = 0;
    ours.forEach((g, i) => g.forEach((x, k) => (worst = Math.max(worst, Math.abs(x - theirs[i]![k]!)))));
    expect(worst).toBeLessThan(1e-5);
    // The gradient is not trivially zero (a broken backward could match a broken reference only there).
    expect(ours.every((g) => g.some((x) => x !== 0))).toBe(true);
    net.dispose();
    reference.dispose();
  });

  it.each([
    ['plain', false],
    ['dueling', true],
  ])('computes the same gradients as tf autograd when the states share prefixes (%s)', (_, dueling) => {
    const spec: QNetworkSpec = { stateSize: 9, hidden: [5, 4], actionCount: 7, dueling, dropout: 0, sharedPrefix: 6 };
    const rng = new Rng(11);
    const weights = initialWeights(spec, rng);
    // 40 states, 3 distinct prefixes: the first layer splits (network-input.ts).
    const batch = sharedPrefixBatch(spec, rng, 40, 3);
    const net = new QNetwork(spec, weights);
    const ours = tf.tidy(() => fusedGradients(spec, net.params, batch, 'huber').grads.map((g) => denseGradient(g)));
    const reference = new ReferenceQNetwork(spec, weights);
    const theirs = reference.gradients(batch, 'huber');
    let worst = 0;
    ours.forEach((g, i) => g.forEach((x, k) => (worst = Math.max(worst, Math.abs(x - theirs[i]![k]!)))));
    expect(worst).toBeLessThan(1e-5);
    // The prefix's columns of the first layer's gradient are not zero: the split's own path ran.
    expect(ours[0]!.filter((_, k) => k % 9 < 6).some((x) => Math.abs(x) > 1e-4)).toBe(true);
    net.dispose();
    reference.dispose();
  });

  it.each([
    ['dense', 'wasm', true],
    ['row-sparse', 'wasm', false],
    ['dense', 'cpu', true],
    ['row-sparse', 'cpu', false],
  ])('takes the same Adam steps as tf.train.adam with a %s output-layer gradient on the %s backend', async (_, backend, dueling) => {
    // On wasm the kernel works in tfjs's heap; elsewhere in a memory of its own, with copies.
    await tf.setBackend(backend);
    const spec: QNetworkSpec = { stateSize: 6, hidden: [5, 4], actionCount: 7, dueling, dropout: 0 };
    const rng = new Rng(4);
    const pair = trainingPair(spec, rng);
    for (let step = 0; step < 5; step++) {
      const batch = smallBatch(spec, rng);
      // Midway, a large allocation grows the wasm heap the kernel works in (every view detaches).
      const ballast = step === 2 ? tf.zeros([64, 1 << 20]) : undefined;
      pair.step(batch);
      ballast?.dispose();
    }
    expect(pair.worstGap()).toBeLessThan(1e-5);
    expect(pair.adam.step).toBe(5);
    pair.dispose();
    await tf.setBackend('wasm');
  });
});

describe('a first layer over sparse states', () => {
  // 16 wide (the kernel's tile) and states ~25% set: the first layer takes them as compressed rows.
  const spec: QNetworkSpec = { stateSize: 40, hidden: [16, 8], actionCount: 6, dueling: false, dropout: 0, sharedPrefix: 12 };

  function sparseBatch(rng: Rng, size: number, distinct: number): TrainBatch {
    const batch = sharedPrefixBatch(spec, rng, size, distinct);
    batch.states.forEach((_, k) => rng.next() < 0.75 && (batch.states[k] = 0));
    return batch;
  }

  it.each([
    ['whole states', 8, 8],
    ['the rest after a shared prefix', 48, 3],
  ])('trains as tf autograd and tf.train.adam do (%s)', (_, size, distinct) => {
    const rng = new Rng(21);
    const pair = trainingPair(spec, rng);
    for (let step = 0; step < 4; step++) pair.step(sparseBatch(rng, size, distinct));
    expect(pair.worstGap()).toBeLessThan(1e-5);
    pair.dispose();
  });

  it('gives the Q-values of a dense first layer, keeping one transposed weight while the weights stay', () => {
    const rng = new Rng(22);
    const weights = initialWeights(spec, rng);
    const net = new QNetwork({ ...spec, sharedPrefix: 0 }, weights);
    const reference = new ReferenceQNetwork(spec, weights);
    const batch = sparseBatch(rng, 16, 16);
    const before = tf.memory().numTensors;
    const ours = net.qValues(batch.states, batch.masks, 16);
    expect(tf.memory().numTensors).toBe(before + 1);
    const theirs = tf.tidy(() => reference.predict(tf.tensor2d(batch.states, [16, 40]), tf.tensor2d(Float32Array.from(batch.masks), [16, 6])).dataSync());
    ours.forEach((q, k) => (batch.masks[k] ? expect(Math.abs(q - theirs[k]!)).toBeLessThan(1e-5) : expect(q).toBe(-Infinity)));
    net.dispose();
    reference.dispose();
  });
});

describe('QNetwork', () => {
  it('leaks no tensors in a training step or in acting', () => {
    for (const dueling of [false, true]) {
      const spec: QNetworkSpec = { stateSize: 6, hidden: [5, 4], actionCount: 7, dueling, dropout: 0.2 };
      const rng = new Rng(5);
      const net = new QNetwork(spec, initialWeights(spec, rng));
      const adam = new Adam(paramInfo(spec).map((p) => p.shape), 0.001);
      const batch = smallBatch(spec, rng);
      net.train(batch, adam, 'huber');
      const before = tf.memory().numTensors;
      net.train(batch, adam, 'huber');
      expect(tf.memory().numTensors).toBe(before);
      net.qValues(batch.states.subarray(0, 6), batch.masks.subarray(0, 7), 1);
      net.qValues(batch.states, batch.masks, batch.size);
      expect(tf.memory().numTensors).toBe(before);
      net.dispose();
      adam.dispose();
    }
  });

  it('gives states that share prefixes the Q-values a network without the split gives them', () => {
    const spec: QNetworkSpec = { stateSize: 9, hidden: [6, 5], actionCount: 4, dueling: true, dropout: 0, sharedPrefix: 6 };
    const rng = new Rng(12);
    const weights = initialWeights(spec, rng);
    const split = new QNetwork(spec, weights);
    const dense = new QNetwork({ ...spec, sharedPrefix: 0 }, weights);
    const batch = sharedPrefixBatch(spec, rng, 48, 5);
    const before = tf.memory().numTensors;
    const ours = split.qValues(batch.states, batch.masks, 48);
    const theirs = dense.qValues(batch.states, batch.masks, 48);
    expect(tf.memory().numTensors).toBe(before + 2); // the first layer's cut, kept while the weights stay
    let worst = 0;
    ours.forEach((q, k) => (worst = Math.max(worst, q === theirs[k] ? 0 : Math.abs(q - theirs[k]!))));
    expect(worst).toBeLessThan(1e-5);
    expect(split.greedy(batch.states, batch.masks, 48).actions).toEqual(dense.greedy(batch.states, batch.masks, 48).actions);
    split.dispose();
    dense.dispose();
    expect(tf.memory().numTensors).toBe(before - 2 * paramInfo(spec).length);
  });

  it('gives a wide output layer, multiplied in row blocks for a batch, the same Q-values as state by state', () => {
    const spec: QNetworkSpec = { stateSize: 6, hidden: [8], actionCount: 2500, dueling: false, dropout: 0 };
    const rng = new Rng(8);
    const net = new QNetwork(spec, initialWeights(spec, rng));
    const count = 16;
    const states = Float32Array.from({ length: count * 6 }, () => rng.uniform(-1, 1));
    const masks = new Uint8Array(count * 2500).fill(1);
    const batched = net.qValues(states, masks, count);
    let worst = 0;
    for (let b = 0; b < count; b++) {
      const one = net.qValues(states.subarray(b * 6, (b + 1) * 6), masks.subarray(0, 2500), 1);
      one.forEach((q, a) => (worst = Math.max(worst, Math.abs(q - batched[b * 2500 + a]!))));
    }
    expect(worst).toBeLessThan(1e-5);
    net.dispose();
  });

  it('gives -Infinity to every invalid action and combines dueling heads over the valid ones only', () => {
    const spec: QNetworkSpec = { stateSize: 6, hidden: [5, 4], actionCount: 7, dueling: true, dropout: 0 };
    const rng = new Rng(6);
    const weights = initialWeights(spec, rng);
    const batch = smallBatch(spec, rng, 3);
    const net = new QNetwork(spec, weights);
    const ours = net.qValues(batch.states, batch.masks, 3);
    const reference = new ReferenceQNetwork(spec, weights);
    const theirs = tf.tidy(() => reference.predict(tf.tensor2d(batch.states, [3, 6]), tf.tensor2d(Float32Array.from(batch.masks), [3, 7])).dataSync());
    ours.forEach((q, k) => {
      if (batch.masks[k]) expect(Math.abs(q - theirs[k]!)).toBeLessThan(1e-5);
      else expect(q).toBe(-Infinity);
    });
    net.dispose();
    reference.dispose();
  });

  it.each([false, true])('reads the best valid action and its value as qValues would, bit for bit (dueling %s)', (dueling) => {
    const spec: QNetworkSpec = { stateSize: 6, hidden: [5, 4], actionCount: 9, dueling, dropout: 0 };
    const rng = new Rng(11);
    const net = new QNetwork(spec, initialWeights(spec, rng));
    const count = 20;
    const A = spec.actionCount;
    const states = new Float32Array(count * spec.stateSize).map(() => rng.uniform(-2, 2));
    const masks = new Uint8Array(count * A).map(() => (rng.next() < 0.4 ? 1 : 0));
    masks.fill(0, 3 * A, 4 * A); // state 3 has no valid action
    masks.fill(1, 5 * A, 6 * A);
    const q = net.qValues(states, masks, count);
    const expected = Array.from({ length: count }, (_, b) => {
      let best = -1;
      for (let k = 0; k < A; k++) if (masks[b * A + k] && (best < 0 || q[b * A + k]! > q[b * A + best]!)) best = k;
      return best;
    });
    const { actions, values } = net.greedy(states, masks, count);
    expect([...actions]).toEqual(expected);
    expect(actions[3]).toBe(-1);
    expect([...values]).toEqual(expected.map((k, b) => (k < 0 ? -Infinity : q[b * A + k]!)));
    const others = Int32Array.from(expected, (k, b) => (k < 0 ? -1 : [...Array(A).keys()].find((a) => masks[b * A + a] && a !== k) ?? k));
    expect([...net.valuesAt(states, masks, count, others)]).toEqual([...others].map((k, b) => (k < 0 ? -Infinity : q[b * A + k]!)));
    net.dispose();
  });
});
