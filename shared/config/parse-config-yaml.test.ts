import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseConfigObject, parseConfigYaml } from './parse-config-yaml.ts';

const preset = (name: string) => readFileSync(new URL(`../../data/presets/${name}.yaml`, import.meta.url), 'utf8');

describe('training config', () => {
  it("loads the seed's config unchanged, with the seed's values", () => {
    const { config, findings } = parseConfigYaml(preset('seed'));
    expect(findings).toEqual([]);
    expect(config?.environment).toMatchObject({ max_steps: 50, vocab_size: 5000 });
    expect(config?.agent).toMatchObject({
      learning_rate: 0.0001, gamma: 0.99, epsilon_start: 1, epsilon_end: 0.01, epsilon_decay: 0.995,
      buffer_capacity: 50000, batch_size: 64, hidden_dim: 512, device: 'cpu',
    });
    expect(config?.reward).toMatchObject({ type: 'code_quality', correctness_weight: 10, quality_weight: 2, efficiency_weight: 1, progress_weight: 0.5, preset: 'seed' });
    expect(config?.training.num_episodes).toBe(5000);
  });

  it.each(['default', 'fast', 'production'])('loads the %s preset without findings', (name) => {
    const { config, findings } = parseConfigYaml(preset(name));
    expect(findings).toEqual([]);
    expect(config).toBeDefined();
  });

  it('gives a bare config the seed defaults', () => {
    expect(parseConfigObject({}).config?.agent.learning_rate).toBe(0.0001);
  });

  it('refuses a likely typo with its place, and only warns about an unknown key', () => {
    const { config, findings } = parseConfigYaml('agent:\n  learning_rat: 0.1\n  colour: blue\n');
    expect(config).toBeUndefined();
    expect(findings).toEqual([
      { severity: 'error', path: 'agent.learning_rat', line: 2, column: 3, message: 'unknown key "learning_rat": did you mean "learning_rate"?' },
      { severity: 'warning', path: 'agent.colour', line: 3, column: 3, message: 'unknown key "colour" ignored' },
    ]);
  });

  it('refuses an out-of-range value at its line', () => {
    const { findings } = parseConfigYaml('agent:\n  gamma: 1.5\n');
    expect(findings).toEqual([{ severity: 'error', path: 'agent.gamma', line: 2, column: 10, message: 'expected a number from 0 to 1' }]);
  });

  it('reports YAML syntax errors with line and column', () => {
    const { config, findings } = parseConfigYaml('agent:\n  gamma: [0.9\n');
    expect(config).toBeUndefined();
    expect(findings[0]).toMatchObject({ severity: 'error', line: 3 });
  });
});
