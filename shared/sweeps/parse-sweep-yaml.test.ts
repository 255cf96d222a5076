import { describe, expect, it } from 'vitest';
import { expandSweep } from './expand-sweep.ts';
import { formatFinding, parseSweepYaml } from './parse-sweep-yaml.ts';

const GRID = `name: lr-by-seed
problems: seed-train
method: grid
parameters:
  agent.learning_rate: {values: [0.0001, 0.0005]}
  training.seed: {values: [1, 2, 3]}
`;

describe('sweep files', () => {
  it('expands a grid into every combination, each a valid config', () => {
    const { spec, findings } = parseSweepYaml(GRID);
    expect(findings).toEqual([]);
    const { runs } = expandSweep(spec!, {});
    expect(runs.map((r) => r.params)).toEqual([
      { 'agent.learning_rate': 0.0001, 'training.seed': 1 },
      { 'agent.learning_rate': 0.0001, 'training.seed': 2 },
      { 'agent.learning_rate': 0.0001, 'training.seed': 3 },
      { 'agent.learning_rate': 0.0005, 'training.seed': 1 },
      { 'agent.learning_rate': 0.0005, 'training.seed': 2 },
      { 'agent.learning_rate': 0.0005, 'training.seed': 3 },
    ]);
    expect(runs[3]!.config).toMatchObject({ agent: { learning_rate: 0.0005 }, training: { seed: 1 } });
  });

  it('draws a random sweep the same way every time, within its ranges', () => {
    const text = `name: r\nproblems: p\nmethod: random\ncount: 20\nparameters:\n  agent.learning_rate: {min: 0.00001, max: 0.01, distribution: log_uniform}\n  agent.hidden_dim: {min: 16, max: 64, distribution: int_uniform}\n`;
    const a = expandSweep(parseSweepYaml(text).spec!, {}).runs;
    const b = expandSweep(parseSweepYaml(text).spec!, {}).runs;
    expect(a.map((r) => r.params)).toEqual(b.map((r) => r.params));
    expect(a).toHaveLength(20);
    for (const run of a) {
      expect(run.params['agent.learning_rate']).toBeGreaterThanOrEqual(0.00001);
      expect(run.params['agent.learning_rate']).toBeLessThanOrEqual(0.01);
      expect(Number.isInteger(run.params['agent.hidden_dim'])).toBe(true);
    }
    expect(a.every((r) => r.seed === 1)).toBe(true);
  });

  it('refuses a random sweep without count, at the method line', () => {
    const { findings } = parseSweepYaml('name: r\nproblems: p\nmethod: random\n');
    expect(findings.map((f) => formatFinding('s.yaml', f))).toEqual(['s.yaml:1:1: count: a random sweep needs count']);
  });

  it('reports a value the config schema refuses at its parameter, with line and column', () => {
    const text = GRID.replace('0.0005]', '5]');
    const parsed = parseSweepYaml(text);
    const { findings, runs } = expandSweep(parsed.spec!, {});
    expect(runs).toEqual([]);
    const located = findings.map((f) => formatFinding('s.yaml', { ...f, ...parsed.locate(f.path) }));
    expect(located).toEqual(['s.yaml:5:24: parameters.agent.learning_rate: agent.learning_rate = 5: expected a number from 1e-7 to 1']);
  });

  it('refuses an unknown config key in a parameter name as a likely typo', () => {
    const parsed = parseSweepYaml(GRID.replace('agent.learning_rate', 'agent.learning_rat'));
    const { findings } = expandSweep(parsed.spec!, {});
    expect(findings[0]).toMatchObject({ severity: 'error', path: 'parameters.agent.learning_rat' });
    expect(parsed.locate(findings[0]!.path)).toEqual({ line: 5, column: 23 });
  });

  it('points YAML syntax errors at their place', () => {
    const { findings } = parseSweepYaml('name: x\nparameters: {a: [1, 2}\n');
    expect(findings[0]).toMatchObject({ severity: 'error', line: 2 });
  });
});
