import type { AgentKind } from '#shared/agents/agent-kinds.ts';
import type { Agent, AgentContext, AgentDefinition, SavedAgent } from './agent.ts';
import { dqnDefinition } from './dqn/index.ts';
import { enumerateDefinition } from './enumerate/index.ts';
import { randomDefinition } from './random/index.ts';
import { pqtDefinition } from './pqt/index.ts';
import { rspgDefinition } from './rspg/index.ts';

/**
 * Every agent kind the engine can run, keyed by the kinds of shared/agents/agent-kinds.ts: a kind
 * listed there without an entry here fails the type check. Training, solve and evaluate create and
 * restore agents only through this table (docs/agents.md).
 */
export const AGENT_REGISTRY: { readonly [K in AgentKind]: AgentDefinition<K> } = {
  dqn: dqnDefinition,
  pqt: pqtDefinition,
  rspg: rspgDefinition,
  random: randomDefinition,
  enumerate: enumerateDefinition,
};

export function agentDefinition(kind: AgentKind): AgentDefinition {
  const definition = AGENT_REGISTRY[kind] as AgentDefinition | undefined;
  if (!definition) throw new Error(`unknown agent kind "${String(kind)}"`);
  return definition;
}

/** A fresh agent of the config's kind. */
export function createAgent(context: AgentContext): Agent {
  return agentDefinition(context.config.agent.type).create(context);
}

/** The config's kind of agent, as `save()` left it. */
export function restoreAgent(context: AgentContext, saved: SavedAgent): Agent {
  return agentDefinition(context.config.agent.type).restore(context, saved);
}
