import { z } from 'zod';
import { dqnConfigSection } from './dqn-config.ts';
import { enumerateConfigSection } from './enumerate-config.ts';
import { randomConfigSection } from './random-config.ts';
import { pqtConfigSection, rspgConfigSection } from './policy-gradient-config.ts';

/**
 * Every agent kind and its keys in the config's `agent` section: the one list of kinds. The engine's
 * registry (electron/lab/agents/registry.ts) is typed against it, so a kind listed here without an
 * implementation fails the type check (docs/agents.md).
 */
export const AGENT_CONFIG_SECTIONS = {
  dqn: dqnConfigSection,
  pqt: pqtConfigSection,
  rspg: rspgConfigSection,
  random: randomConfigSection,
  enumerate: enumerateConfigSection,
} as const;

export type AgentKind = keyof typeof AGENT_CONFIG_SECTIONS;

/** The kinds, in the order the UI lists them. */
export const AGENT_KINDS = Object.keys(AGENT_CONFIG_SECTIONS) as [AgentKind, ...AgentKind[]];

/** What each kind is, for menus and help. */
export const AGENT_SUMMARIES: Record<AgentKind, string> = {
  dqn: 'DQN: a Q-network learns from replayed steps (Double DQN, dueling, prioritized replay, n-step as switches)',
  pqt: 'priority-queue training: a policy network trained on the best programs found so far (Abolafia et al. 2018)',
  rspg: 'risk-seeking policy gradient: a policy network trained on the top 5% of each batch (Petersen et al. 2021)',
  random: 'random search over the masked tokens, weighted by token role',
  enumerate: 'every program of the grammar, shortest first',
};

type UnionToIntersection<U> = (U extends unknown ? (k: U) => void : never) extends (k: infer I) => void ? I : never;
type KindShapes = UnionToIntersection<(typeof AGENT_CONFIG_SECTIONS)[AgentKind]['shape']>;

export const agentKindSchema = z
  .enum(AGENT_KINDS, { error: `expected one of ${AGENT_KINDS.join(', ')}` })
  .describe('Agent kind (ours): DQN; pqt or rspg, policy-gradient agents that sample from a policy network; or a baseline that shares the environment and the budget of executed programs.');

/**
 * The `agent` section: the kind, the compute device, and every kind's keys side by side (a config
 * file keeps the seed's flat layout; keys of other kinds are ignored by the one that runs). Kinds
 * that share a key share its schema object (e.g. the exploration shares).
 */
export const agentConfigSchema = z.strictObject({
  type: agentKindSchema.default('dqn'),
  device: z
    .enum(['auto', 'cpu', 'cuda', 'gpu', 'wasm'])
    .default('auto')
    .describe("'cpu' or 'cuda' in the seed; 'auto' picks the best tfjs backend that loads."),
  ...(Object.assign({}, ...Object.values(AGENT_CONFIG_SECTIONS).map((s) => s.shape)) as KindShapes),
});

export type AgentConfig = z.infer<typeof agentConfigSchema>;
