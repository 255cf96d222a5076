import { num } from './config-numbers.ts';

/**
 * Exploration by token role, shared by every agent that samples tokens (DQN's exploratory steps,
 * random search). Uniform picks over valid tokens make nearly every program as long as the limit
 * allows; these shares make short programs common (docs/agents.md).
 */
export const explorationConfigShape = {
  explore_leaf_share: num(0, 1)
    .default(0)
    .describe(
      'Ours: share of exploratory picks that go to a leaf (a parameter, local or constant) when one is valid. 0 turns the bias off (uniform over valid tokens, the seed\'s behaviour).',
    ),
  explore_param_share: num(0, 1)
    .default(0)
    .describe('Ours: of the leaf share, the part that goes to the problem\'s parameters when one is valid (constants and locals share the rest); 0 keeps leaves uniform.'),
  explore_close_share: num(0, 1)
    .default(0)
    .describe(
      'Ours: share of the non-leaf exploratory picks that go to a token bringing the program closer to its end (return NEWLINE DEDENT END ) ] ,); 0 keeps them uniform. Makes exploratory programs short.',
    ),
};
