import { CodeEnv } from '#lab/env/code-env.ts';
import { stateSizeOf } from '#lab/env/state-encoding.ts';
import { PolicyNetwork, type PolicyExample } from '#lab/models/policy-network.ts';
import { Rng } from '#lab/random/rng.ts';
import type { Corpus } from './pretraining-corpus.ts';

export interface PretrainOptions {
  readonly epochs: number;
  readonly hidden: number;
  readonly learningRate: number;
  readonly batchSize: number;
  readonly seed: number;
  readonly maxSteps: number;
  readonly onEpoch?: (epoch: number, loss: number, examples: number, seconds: number) => void;
}

/**
 * Supervised pretraining of the policy: each corpus program is replayed in the environment (no
 * executor: only the states and masks are needed) and the network learns to write its next token
 * at every decision (tokens the grammar forces are not decisions). The state carries the tests'
 * property signatures, so what is learned is "programs that behave like these tests".
 */
export async function pretrainPolicy(corpus: Corpus, o: PretrainOptions, network?: PolicyNetwork): Promise<PolicyNetwork> {
  const env = new CodeEnv({ problems: corpus.problems, executor: null, maxSteps: o.maxSteps, stateLayout: 'signatures', autoForced: true });
  const net = network ?? new PolicyNetwork({ inputSize: stateSizeOf('signatures'), hidden: o.hidden, actions: env.actionCount }, undefined, o.seed);
  const rng = new Rng(o.seed);
  const order = corpus.problems.map((_, i) => i);
  for (let epoch = 1; epoch <= o.epochs; epoch++) {
    const started = performance.now();
    for (let i = order.length - 1; i > 0; i--) {
      const j = rng.int(i + 1);
      [order[i], order[j]] = [order[j]!, order[i]!];
    }
    let batch: PolicyExample[] = [];
    let lossSum = 0;
    let batches = 0;
    let examples = 0;
    for (const index of order) {
      for (const example of await decisions(env, index, corpus.programs[index]!)) {
        batch.push(example);
        examples++;
        if (batch.length === o.batchSize) {
          lossSum += net.train(batch, o.learningRate);
          batches++;
          batch = [];
        }
      }
    }
    if (batch.length) (lossSum += net.train(batch, o.learningRate)), batches++;
    o.onEpoch?.(epoch, lossSum / Math.max(batches, 1), examples, (performance.now() - started) / 1000);
  }
  return net;
}

/** The decisions that write `program` for problem `index` (empty if the program is not writable there). */
export async function decisions(env: CodeEnv, index: number, program: readonly number[]): Promise<PolicyExample[]> {
  const out: PolicyExample[] = [];
  let { state, grammarMask } = env.reset(index, { avoidRepeats: false });
  let position = 0;
  while (position < program.length) {
    const action = program[position]!;
    if (!grammarMask[action]) return [];
    out.push({ state, mask: grammarMask, action, weight: 1 });
    const result = await env.step(action);
    if (result.done) break;
    ({ state, grammarMask } = result);
    position = env.programTokens.length;
  }
  return out;
}
