import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CodeEnv } from '#lab/env/code-env.ts';
import { stateSizeOf } from '#lab/env/state-encoding.ts';
import { PolicyNetwork } from '#lab/models/policy-network.ts';
import { loadPolicyModel, savePolicyModel } from '#lab/pretraining/policy-model.ts';
import { Rng } from '#lab/random/rng.ts';
import { TOKEN_COUNT, tokenIds } from '#shared/env/token-vocabulary.ts';
import { pgConfigSchema } from './pg-config.ts';
import { PgLearner, rolePriorBias, type PgStep } from './pg-learner.ts';

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

const problem = { function_name: 'add', docstring: 'Add two numbers.', parameters: ['a', 'b'], test_cases: [[[1, 2], 3], [[0, 5], 5], [[-2, 2], 0]], starter_code: '' } as never;
const network = (seed = 1) => {
  const net = new PolicyNetwork({ inputSize: stateSizeOf('signatures'), hidden: 32, actions: TOKEN_COUNT }, undefined, seed);
  net.params.b3.set(rolePriorBias());
  return net;
};
const env = () => new CodeEnv({ problems: [problem], executor: null, maxSteps: 16, stateLayout: 'signatures' });

async function steps(e: CodeEnv, text: string): Promise<PgStep[]> {
  const out: PgStep[] = [];
  let { state, grammarMask } = e.reset(0);
  for (const action of tokenIds(text)) {
    out.push({ state, mask: grammarMask, action });
    const r = await e.step(action);
    if (r.done) break;
    ({ state, grammarMask } = r);
  }
  return out;
}

describe.each(['pqt', 'risk_seeking'] as const)('the %s agent', (update) => {
  it("samples only valid tokens, over thousands of decisions", { timeout: 120_000 }, async () => {
    const learner = new PgLearner(network(), pgConfigSchema.parse({ update, hidden_dim: 32 }), new Rng(3));
    const e = env();
    let decisions = 0;
    for (let episode = 0; episode < 300; episode++) {
      let { state, mask } = e.reset(0);
      for (;;) {
        const { action, top } = learner.act(state, mask);
        expect(mask[action]).toBe(1);
        expect(top.every(([a]) => mask[a] === 1)).toBe(true);
        decisions++;
        const r = await e.step(action);
        if (r.done) break;
        ({ state, mask } = r);
      }
    }
    expect(decisions).toBeGreaterThan(1000);
  });

  it('makes a program that scored well more likely after an update', async () => {
    const net = network();
    const learner = new PgLearner(net, pgConfigSchema.parse({ update, hidden_dim: 32, batch_episodes: 4, learning_rate: 0.01 }), new Rng(1));
    const good = await steps(env(), 'return P0 + P1 NEWLINE');
    const bad = await steps(env(), 'return P0 NEWLINE');
    const before = net.probabilities(good[1]!.state, good[1]!.mask)[good[1]!.action]!;
    learner.finish({ steps: good, score: 1, key: 'good', length: 5 });
    for (let i = 0; i < 3; i++) learner.finish({ steps: bad, score: 1 / 3, key: `bad${i}`, length: 4 });
    expect(learner.updates).toBe(1);
    const after = net.probabilities(good[1]!.state, good[1]!.mask)[good[1]!.action]!;
    expect(after).toBeGreaterThan(before);
  });
});

describe('what a sampled decision reports', () => {
  it("gives the drawn token's probability and the entropy of the policy over the valid tokens", () => {
    const net = network(4);
    const learner = new PgLearner(net, pgConfigSchema.parse({ hidden_dim: 32 }), new Rng(5));
    const { state, mask } = env().reset(0);
    const p = net.probabilities(state, mask);
    let entropy = 0;
    for (let a = 0; a < p.length; a++) if (mask[a] && p[a]! > 0) entropy -= p[a]! * Math.log(p[a]!);
    const choice = learner.act(state, mask);
    expect(choice.probability).toBe(p[choice.action]);
    expect(choice.entropy).toBeCloseTo(entropy, 6);
    // Between a sure pick (0) and uniform over the valid tokens (ln of their count).
    expect(choice.entropy).toBeGreaterThan(0);
    expect(choice.entropy).toBeLessThan(Math.log(mask.reduce((n, m) => n + m, 0)));
  });
});

describe('the policy network checkpoint', () => {
  it('round-trips weights and optimiser state: both copies continue identically', async () => {
    const a = network(5);
    const batch = (await steps(env(), 'return P0 + P1 NEWLINE')).map((s) => ({ ...s, weight: 1 }));
    a.train(batch, 0.01);
    const { meta, arrays } = a.save();
    const b = PolicyNetwork.restore(meta, arrays);
    a.train(batch, 0.01);
    b.train(batch, 0.01);
    expect([...b.probabilities(batch[0]!.state, batch[0]!.mask)]).toEqual([...a.probabilities(batch[0]!.state, batch[0]!.mask)]);
  });

  it('round-trips a model folder', () => {
    const dir = mkdtempSync(join(tmpdir(), 'policy-model-'));
    dirs.push(dir);
    const net = network(7);
    const pg = pgConfigSchema.parse({ hidden_dim: 32 });
    savePolicyModel(join(dir, 'm'), net, { max_steps: 16, state_layout: 'signatures', pg, trained_on: { generated: 0 } });
    const loaded = loadPolicyModel(join(dir, 'm'));
    expect(loaded.meta.pg).toEqual(pg);
    const { state, grammarMask } = env().reset(0);
    expect([...loaded.network.probabilities(state, grammarMask)]).toEqual([...net.probabilities(state, grammarMask)]);
  });

  it('refuses a folder that holds no policy network, saying why', () => {
    const dir = mkdtempSync(join(tmpdir(), 'policy-model-'));
    dirs.push(dir);
    expect(() => loadPolicyModel(dir)).toThrow(/not a complete checkpoint/);
  });
});

describe('sampling without replacement', () => {
  it('never draws a token again once every program under it was sampled, by the model\'s own mass', async () => {
    const learner = new PgLearner(network(2), pgConfigSchema.parse({ hidden_dim: 32, unique: true }), new Rng(9));
    const { state, mask } = env().reset(0);
    const first = learner.act(state, mask, 'root');
    // The program that starts with `first` had all of that token's mass: nothing is left under it.
    learner.recordSample(['root'], [first.action], [first.probability]);
    for (let i = 0; i < 200; i++) expect(learner.act(state, mask, 'root').action).not.toBe(first.action);
  });

  it('is off unless asked for: plain sampling draws the same token again', async () => {
    const learner = new PgLearner(network(2), pgConfigSchema.parse({ hidden_dim: 32 }), new Rng(9));
    const { state, mask } = env().reset(0);
    const first = learner.act(state, mask, 'root');
    learner.recordSample(['root'], [first.action], [first.probability]);
    const again = Array.from({ length: 200 }, () => learner.act(state, mask, 'root').action);
    expect(again).toContain(first.action);
  });
});
