import { describe, expect, it } from 'vitest';
import { configDiff, flattenConfig, seedGroupKey } from './config-diff.ts';

describe('hyperparameter diff', () => {
  it('flattens nested configs to dotted keys', () => {
    expect(flattenConfig({ agent: { gamma: 0.9, layers: [1, 2] }, training: { seed: 1 } })).toEqual({
      'agent.gamma': 0.9,
      'agent.layers': [1, 2],
      'training.seed': 1,
    });
  });

  it('shows only differing keys, each against the baseline', () => {
    const runs = [
      flattenConfig({ agent: { lr: 0.001, gamma: 0.99, type: 'dqn' } }),
      flattenConfig({ agent: { lr: 0.0005, gamma: 0.99, type: 'dqn' } }),
      flattenConfig({ agent: { lr: 0.002, gamma: 0.99, type: 'random', extra: true } }),
    ];
    const rows = configDiff(runs, 0);
    expect(rows.map((r) => r.key)).toEqual(['agent.extra', 'agent.lr', 'agent.type']);
    expect(rows[1]!.cells.map((c) => c.direction)).toEqual(['baseline', 'down', 'up']);
    expect(rows[1]!.cells[2]!.ratio).toBe(2);
    expect(rows[1]!.cells[1]!.delta).toBeCloseTo(-0.0005, 12);
    expect(rows[0]!.cells.map((c) => c.direction)).toEqual(['baseline', 'missing', 'changed']);
    expect(rows[2]!.cells.map((c) => c.direction)).toEqual(['baseline', 'same', 'changed']);
  });

  it('groups runs that differ only by their seed', () => {
    const a = seedGroupKey({ agent: { lr: 1 }, training: { seed: 1, num_episodes: 5 } }, ['dqn']);
    const b = seedGroupKey({ training: { num_episodes: 5, seed: 2 }, agent: { lr: 1 } }, ['dqn']);
    const c = seedGroupKey({ agent: { lr: 2 }, training: { seed: 1, num_episodes: 5 } }, ['dqn']);
    expect(a).toBe(b);
    expect(a).not.toBe(c);
  });
});
