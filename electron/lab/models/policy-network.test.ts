import { describe, expect, it } from 'vitest';
import { CodeEnv } from '#lab/env/code-env.ts';
import { stateSizeOf } from '#lab/env/state-encoding.ts';
import { TOKEN_COUNT, tokenIds } from '#shared/env/token-vocabulary.ts';
import { problemSchema } from '#shared/problems/problem.ts';
import { PolicyNetwork } from './policy-network.ts';

const problems = [
  { function_name: 'add', docstring: 'Add two numbers.', parameters: ['a', 'b'], test_cases: [[[1, 2], 3], [[0, 5], 5], [[-2, 2], 0]] },
  { function_name: 'shout', docstring: 'Upper-case a word.', parameters: ['s'], test_cases: [['hi', 'HI'], ['', '']] },
].map((p) => problemSchema.parse(p));

/** Every state of writing `text` for problem `index`, with its mask. */
async function statesOf(index: number, text: string) {
  const env = new CodeEnv({ problems, executor: null, maxSteps: 16, stateLayout: 'signatures' });
  const out: { state: Float32Array; mask: Uint8Array; action: number }[] = [];
  let { state, grammarMask } = env.reset(index);
  for (const action of tokenIds(text)) {
    out.push({ state, mask: grammarMask, action });
    const r = await env.step(action);
    if (r.done) break;
    ({ state, grammarMask } = r);
  }
  return out;
}

const shape = { inputSize: stateSizeOf('signatures'), hidden: 64, actions: TOKEN_COUNT };

describe('the policy network', () => {
  it("gives bit for bit the probabilities of a fresh network, whichever problem's states came before", async () => {
    const add = await statesOf(0, 'return P0 + P1 NEWLINE END');
    const shout = await statesOf(1, 'return P0 .upper() NEWLINE END');
    const net = new PolicyNetwork(shape, undefined, 5);
    // Problems interleaved, so the kept problem block is both reused and replaced.
    for (const { state, mask } of [add[0]!, add[1]!, shout[0]!, add[2]!, shout[1]!, shout[2]!, add[3]!]) {
      const fresh = net.clone();
      expect(net.probabilities(state, mask)).toEqual(fresh.probabilities(state, mask));
    }
  });

  it('uses the weights of its last training step for the next probabilities', async () => {
    const add = await statesOf(0, 'return P0 + P1 NEWLINE END');
    const net = new PolicyNetwork(shape, undefined, 5);
    const before = net.probabilities(add[1]!.state, add[1]!.mask);
    net.train(add.map((s) => ({ ...s, weight: 1 })), 0.01);
    const after = net.probabilities(add[1]!.state, add[1]!.mask);
    const fresh = net.clone();
    expect(after).toEqual(fresh.probabilities(add[1]!.state, add[1]!.mask));
    expect(after[add[1]!.action]!).toBeGreaterThan(before[add[1]!.action]!);
  });

  it("moves the problem block's first-layer weights against the loss gradient, for a batch of two problems", async () => {
    const batch = [...(await statesOf(0, 'return P0 + P1 NEWLINE END')), ...(await statesOf(1, 'return P0 .upper() NEWLINE END'))].map((s) => ({ ...s, weight: 1 }));
    const net = new PolicyNetwork(shape, undefined, 9);
    const loss = (n: PolicyNetwork) => batch.reduce((sum, ex) => sum - Math.log(n.probabilities(ex.state, ex.mask)[ex.action]!), 0) / batch.length;
    const trained = net.clone();
    trained.train(batch, 1e-3);
    let checked = 0;
    // Inputs of each problem's block (the first 528 inputs), read from its first state.
    for (const ex of [batch[0]!, batch[batch.length - 1]!]) {
      for (let i = 0; i < 528 && checked < 40; i++) {
        if (ex.state[i] === 0) continue;
        for (const j of [0, 7, 21, 40, 63]) {
          const k = i * shape.hidden + j;
          const probe = (delta: number) => {
            const n = net.clone();
            n.params.w1[k]! += delta;
            return loss(n);
          };
          const slope = (probe(1e-2) - probe(-1e-2)) / 2e-2;
          if (Math.abs(slope) < 1e-3) continue;
          expect(Math.sign(trained.params.w1[k]! - net.params.w1[k]!)).toBe(-Math.sign(slope));
          checked++;
        }
      }
    }
    expect(checked).toBeGreaterThanOrEqual(10);
  });
});
