import { TOKENS } from '#shared/env/token-vocabulary.ts';
import { topValid } from './top-actions.ts';
import type { TrainingConfig } from '#shared/config/training-config.ts';

const LEAF = TOKENS.map((t) => t.kind === 'param' || t.kind === 'local' || t.kind === 'const');
const PARAM = TOKENS.map((t) => t.kind === 'param');
/**
 * Tokens that bring a program closer to its end: `return` (the only statement that can finish a
 * function), NEWLINE, DEDENT, END, and the closing and separating punctuation `)` `]` `,` (a
 * separator ends one argument or item, instead of growing it with another operator).
 */
const CLOSER = TOKENS.map((t) => ['return', 'NEWLINE', 'DEDENT', 'END', ')', ']', ','].includes(t.name));
const RETURN = TOKENS.findIndex((t) => t.name === 'return');
const LOCAL = TOKENS.map((t) => t.kind === 'local');

/**
 * How exploration splits its picks by token role (config agent.explore_*). Each share applies when
 * its role and some other role are both valid; within a role the pick is uniform.
 */
export interface ExplorationShares {
  /** Share of picks that go to a leaf (parameter, local or constant). */
  readonly leaf: number;
  /** Of the leaf share, the part that goes to parameters when one is valid (0: uniform over leaves). */
  readonly param: number;
  /** Share of the non-leaf picks that go to a closer (see CLOSER). */
  readonly close: number;
  /** DQN only: > 0 multiplies the role weights by exp(Q / temperature) (see boltzmann in dqn.ts). */
  readonly temperature?: number;
}

/** The config's exploration shares. */
export function explorationShares(agent: { explore_leaf_share: number; explore_param_share?: number; explore_close_share?: number; explore_temperature?: number }): ExplorationShares {
  return { leaf: agent.explore_leaf_share, param: agent.explore_param_share ?? 0, close: agent.explore_close_share ?? 0, temperature: agent.explore_temperature ?? 0 };
}

/** Splits `mass` between two groups of `a` and `b` tokens: `share` to the first when both exist and share > 0, else by count. */
function split(mass: number, share: number, a: number, b: number): [number, number] {
  if (a === 0 || b === 0) return [a === 0 ? 0 : mass, b === 0 ? 0 : mass];
  if (share <= 0) return [(mass * a) / (a + b), (mass * b) / (a + b)];
  return [mass * share, mass * (1 - share)];
}

const asShares = (s: number | ExplorationShares): ExplorationShares => (typeof s === 'number' ? { leaf: s, param: 0, close: 0 } : s);

/**
 * Exploration weights by token role: leaves get `leaf` of the mass (parameters `param` of that),
 * closers `close` of the rest. With uniform picks nearly every program is as long as the limit
 * allows (after an operand about 20 operators compete with one NEWLINE), and with leaves alone a
 * random policy solved none of the 8 seed problems in 5,000 episodes; closers make a program's
 * length roughly geometric, so short programs (7 of the 8 seed solutions are at most 7 tokens)
 * come up often. Undefined means uniform.
 */
export function explorationWeights(mask: Uint8Array, shares: number | ExplorationShares): Float32Array | undefined {
  const { leaf, param, close } = asShares(shares);
  if (leaf <= 0 && close <= 0) return undefined;
  // Where a statement starts (`return` is valid), a local is an assignment target, not an operand:
  // counted as a leaf it would make half of all exploratory statements assignments.
  const atStatement = mask[RETURN] === 1;
  const role = (a: number) => (PARAM[a] ? 0 : LEAF[a] && !(atStatement && LOCAL[a]) ? 1 : CLOSER[a] ? 2 : 3);
  const counts = [0, 0, 0, 0];
  for (let a = 0; a < mask.length; a++) if (mask[a]) counts[role(a)]!++;
  const [params, otherLeaves, closers, others] = counts as [number, number, number, number];
  const [leafMass, restMass] = split(1, leaf, params + otherLeaves, closers + others);
  const [paramMass, otherLeafMass] = split(leafMass, param, params, otherLeaves);
  const [closeMass, otherMass] = split(restMass, close, closers, others);
  const perRole = [paramMass / Math.max(1, params), otherLeafMass / Math.max(1, otherLeaves), closeMass / Math.max(1, closers), otherMass / Math.max(1, others)];
  const weights = new Float32Array(mask.length);
  for (let a = 0; a < mask.length; a++) {
    if (!mask[a]) continue;
    weights[a] = perRole[role(a)]!;
  }
  return weights;
}

/**
 * Exploration weights that give leaves (parameters, locals, constants) `leafShare` of the mass when
 * one is valid. Uniform picks over tokens make nearly every program as long as the limit allows:
 * `a + b` came up once in 10,000 tries in the prototype, and a leaf half the time fixed it.
 */
export function leafWeights(mask: Uint8Array, leafShare: number): Float32Array | undefined {
  if (leafShare <= 0) return undefined;
  let leaves = 0;
  let others = 0;
  for (let a = 0; a < mask.length; a++) if (mask[a]) LEAF[a] ? leaves++ : others++;
  if (leaves === 0 || others === 0) return undefined;
  const weights = new Float32Array(mask.length);
  for (let a = 0; a < mask.length; a++) if (mask[a]) weights[a] = LEAF[a] ? leafShare / leaves : (1 - leafShare) / others;
  return weights;
}


/** A person set epsilon to `value` from `episode` on; the schedule decays from there. */
export interface EpsilonOverride {
  readonly value: number;
  readonly episode: number;
}

/**
 * The seed's schedule: epsilon_start decayed by epsilon_decay per episode (1-based) down to
 * epsilon_end, or from an override down to the lower of epsilon_end and the override.
 */
export function decayingEpsilon(episode: number, agent: Pick<TrainingConfig['agent'], 'epsilon_start' | 'epsilon_end' | 'epsilon_decay'>, override?: EpsilonOverride | null): number {
  const { epsilon_start: start, epsilon_end: end, epsilon_decay: decay } = agent;
  const value = override ? override.value * decay ** (episode - override.episode) : start * decay ** (episode - 1);
  return Math.max(override ? Math.min(end, override.value) : end, value);
}

/** The `count` most probable valid actions when drawing by `weights` (uniform when absent), best first. */
export function topProbabilities(mask: Uint8Array, weights: ArrayLike<number> | undefined, count = 5): [number, number][] {
  let total = 0;
  for (let a = 0; a < mask.length; a++) if (mask[a]) total += weights ? Math.max(0, weights[a]!) : 1;
  if (total <= 0) return [];
  const p = new Float32Array(mask.length);
  for (let a = 0; a < mask.length; a++) if (mask[a]) p[a] = (weights ? Math.max(0, weights[a]!) : 1) / total;
  return topValid(p, mask, count);
}
