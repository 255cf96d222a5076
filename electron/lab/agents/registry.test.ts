import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { STATE_SIZE } from '#lab/env/state-encoding.ts';
import { selectBackend } from '#lab/models/backend.ts';
import { Rng } from '#lab/random/rng.ts';
import { AGENT_KINDS } from '#shared/agents/agent-kinds.ts';
import { parseConfigObject } from '#shared/config/parse-config-yaml.ts';
import { TOKEN_COUNT, tokenId } from '#shared/env/token-vocabulary.ts';
import type { Problem } from '#shared/problems/problem.ts';
import type { AgentContext } from './agent.ts';
import { AGENT_REGISTRY, createAgent, restoreAgent } from './registry.ts';

beforeAll(async () => {
  await selectBackend('wasm');
});

const problems: Problem[] = [
  { function_name: 'add', docstring: 'Add two numbers.', starter_code: '', parameters: ['a', 'b'], test_cases: [[[1, 2], 3]] },
  { function_name: 'neg', docstring: 'Negate a number.', starter_code: '', parameters: ['x'], test_cases: [[1, -1]] },
];

function context(kind: string): AgentContext {
  const config = parseConfigObject({
    agent: { type: kind, hidden_dim: 16, batch_size: 4, learning_starts: 4, buffer_capacity: 50, explore_leaf_share: 0.5, epsilon_end: 0.5 },
    environment: { max_steps: 6 },
  }).config!;
  return { config, problems, stateSize: STATE_SIZE, actionCount: TOKEN_COUNT, seed: 5 };
}

/** A few masks over real grammar tokens, as the environment would hand them. */
function masks(count: number): Uint8Array {
  const out = new Uint8Array(count * TOKEN_COUNT);
  const names = ['return', 'P0', 'P1', '0', '1', '+', 'NEWLINE'];
  for (let i = 0; i < count; i++) for (const n of names.slice(0, 3 + i)) out[i * TOKEN_COUNT + tokenId(n)] = 1;
  return out;
}

function states(count: number, seed: number): Float32Array {
  const rng = new Rng(seed);
  return Float32Array.from({ length: count * STATE_SIZE }, () => rng.next());
}

describe('the agent registry', () => {
  it('has an entry for every kind the config knows, and nothing else', () => {
    expect(Object.keys(AGENT_REGISTRY).sort()).toEqual([...AGENT_KINDS].sort());
    for (const kind of AGENT_KINDS) expect(AGENT_REGISTRY[kind].kind).toBe(kind);
  });

  it.each(AGENT_KINDS)('restores a saved %s agent that acts and saves exactly as the original', (kind) => {
    const ctx = context(kind);
    const original = createAgent(ctx);
    const rows = [0, 1, 2].map((lane) => ({ lane, position: 0 }));
    rows.forEach((r) => original.beginEpisode(r.lane % problems.length, r.lane));
    original.actBatch(states(3, 1), masks(3), rows, 0.7);
    const saved = original.save();
    // Through JSON, as a checkpoint manifest stores the meta.
    const copy = restoreAgent(ctx, { meta: JSON.parse(JSON.stringify(saved.meta)), arrays: saved.arrays });
    for (const agent of [original, copy]) rows.forEach((r) => agent.beginEpisode(r.lane % problems.length, r.lane));
    const next = (agent: typeof original) => agent.actBatch(states(3, 2), masks(3), rows, 0.7).map((r) => [r.action, r.explored]);
    expect(next(copy)).toEqual(next(original));
    expect(JSON.parse(JSON.stringify(copy.save().meta))).toEqual(JSON.parse(JSON.stringify(original.save().meta)));
    original.dispose();
    copy.dispose();
  });

  it.each(AGENT_KINDS)('a %s agent reports what its kind declares for every step', (kind) => {
    const agent = createAgent(context(kind));
    agent.beginEpisode(0, 0);
    const [result] = agent.actBatch(states(1, 3), masks(1), [{ lane: 0, position: 0 }], 1);
    if (AGENT_REGISTRY[kind].reports === 'q-values') expect(result!.topQ.length).toBeGreaterThan(0);
    else {
      const total = result!.probabilities!.reduce((a, [, p]) => a + p, 0);
      expect(total).toBeGreaterThan(0);
      expect(total).toBeLessThanOrEqual(1 + 1e-6);
    }
    agent.dispose();
  });

  it('refuses a checkpoint of another kind with a message that says what is missing', () => {
    const random = createAgent(context('random'));
    expect(() => restoreAgent(context('dqn'), random.save())).toThrow('the checkpoint holds no DQN network');
    expect(() => restoreAgent(context('enumerate'), random.save())).toThrow('no enumeration progress');
  });
});

describe('agent construction', () => {
  const root = resolve(import.meta.dirname, '../..');
  const engine = (dir: string) =>
    readdirSync(join(root, dir), { recursive: true, withFileTypes: true })
      .filter((e) => e.isFile() && e.name.endsWith('.ts') && !e.name.endsWith('.test.ts'))
      .map((e) => relative(root, join(e.parentPath, e.name)));

  it('happens only through the registry: training, solve, evaluate and the CLI never import an agent kind', () => {
    const files = ['lab/training', 'lab/evaluation', 'cli'].flatMap(engine);
    expect(files.length).toBeGreaterThan(10);
    const offenders = files.filter((f) => /agents\/(dqn|random|enumerate)\/(index|dqn-agent)\.ts|\.create\(\{|new DqnAgent/.test(readFileSync(join(root, f), 'utf8')));
    expect(offenders).toEqual([]);
  });

  it('goes through createRun in training, solve and evaluate', () => {
    for (const file of ['lab/training/training-loop.ts', 'lab/evaluation/solve.ts', 'cli/commands/evaluate.ts']) {
      expect(readFileSync(join(root, file), 'utf8')).toMatch(/createRun\(/);
    }
    expect(readFileSync(join(root, 'lab/training/create-run.ts'), 'utf8')).toMatch(/definition\.create\(|definition\.restore\(/);
  });
});
