import { z } from 'zod';
import { AGENT_KINDS, AGENT_SUMMARIES, type AgentKind } from '../agents/agent-kinds.ts';

/**
 * Solve's own strategies, beside every registry kind: `pretrained` (the pqt kind started from the
 * shipped pretrained policy, docs/pretraining.md), `guided-oe` (that policy first, then
 * enumeration over the atoms and operators its programs used first) and `enumerate-oe` (bottom-up
 * enumeration with observational equivalence, which needs each candidate's outputs and so runs its
 * own loop).
 */
export const SOLVE_STRATEGIES = ['pretrained', 'guided-oe', 'best-first', 'enumerate-oe'] as const;

/** Everything a solve run can compare, in the order menus and help list them. */
export const SOLVE_AGENTS = [...SOLVE_STRATEGIES, ...AGENT_KINDS] as const;
export type SolveAgent = AgentKind | (typeof SOLVE_STRATEGIES)[number];

/** What a solve run compares when nobody says: the learned searcher and the two honest baselines. */
export const DEFAULT_SOLVE_AGENTS: readonly SolveAgent[] = ['pretrained', 'enumerate-oe', 'random'];

/** Strategies that start from the pretrained policy's model. */
export const usesPretrainedModel = (agent: SolveAgent): boolean => agent === 'pretrained' || agent === 'guided-oe' || agent === 'best-first';

/** What each agent is, for the Solve view's help. */
export const SOLVE_AGENT_SUMMARIES: Record<SolveAgent, string> = {
  pretrained:
    'the policy pretrained on generated problems, sampling programs it has not run yet and fine-tuned on each problem by priority-queue training',
  'guided-oe':
    "the pretrained agent for the first 30% of the budget, then bottom-up enumeration with observational equivalence over the atoms and operators its programs used most (more of them each round, DeepCoder's sort-and-add)",
  'best-first':
    "the pretrained agent for the first 30% of the budget, then best-first bottom-up search over behaviourally distinct values, the pretrained policy pricing which values to combine next (CrossBeam's manner), and for the last 30% loop programs (return early, collect, count or sum) built from values of the loop variable",
  'enumerate-oe': 'bottom-up enumeration with observational equivalence: every expression by size, keeping one of each behaviour on the tests',
  ...AGENT_SUMMARIES,
};

export const solveAgentSchema = z
  .enum(SOLVE_AGENTS, { error: (issue) => `unknown agent ${JSON.stringify(issue.input)} (${SOLVE_AGENTS.join(', ')})` })
  .describe('An agent kind of the registry, or one of solve\'s strategies (pretrained, guided-oe, best-first, enumerate-oe).');
