import { TOKEN_COUNT, TOKENS } from '#shared/env/token-vocabulary.ts';
import { enumerateWithEquivalence, type EnumerationOptions, type EnumerationResult, type ExecutedCandidate } from './observational-enumerator.ts';

/** A program a policy wrote for the problem, and the fraction of its tests it passed. */
export interface ScoredProgram {
  readonly tokens: readonly number[];
  readonly score: number;
}

/** The atoms and operators an expression is made of; the rest only shapes it. */
const GUIDED_KINDS = new Set(['param', 'const', 'arith', 'compare', 'logic', 'builtin', 'method']);
const guidable = (token: number) => GUIDED_KINDS.has(TOKENS[token]!.kind) || TOKENS[token]!.name === 'in' || TOKENS[token]!.name === '[';
const isParameter = (token: number) => TOKENS[token]!.kind === 'param';

/** What a policy's programs say about a problem's solution: which tokens to try first, and a cost per token. */
export interface TokenGuide {
  /** The guidable tokens, most promising first; tokens no program used follow in vocabulary order. */
  readonly priority: readonly number[];
  /** How many of them the programs used (they lead the priority). */
  readonly used: number;
  /** -log of each token's smoothed share of the votes: a candidate's cost is the sum over its tokens. */
  readonly cost: Float64Array;
}

/**
 * Each program a policy wrote votes for the tokens it uses, with weight 1 + 9 x its score (a
 * program that reads no parameter scores 0: constant programs pass many tests by chance).
 * DeepCoder's attribute vector, read from the programs instead of predicted.
 */
export function tokenGuide(programs: readonly ScoredProgram[]): TokenGuide {
  const votes = new Float64Array(TOKEN_COUNT);
  let total = 0;
  for (const { tokens, score } of programs) {
    const reads = tokens.some(isParameter);
    const weight = 1 + 9 * (reads ? score : 0);
    total += weight;
    for (const t of new Set(tokens)) votes[t]! += weight;
  }
  const order = TOKENS.map((_, i) => i).filter(guidable);
  const cost = Float64Array.from(votes, (v) => -Math.log((v + 0.5) / (total + 1)));
  return { priority: order.sort((a, b) => votes[b]! - votes[a]! || a - b), used: order.filter((t) => votes[t]! > 0).length, cost };
}

/**
 * Tokens allowed in each round: the problem's parameters always, plus the first k the programs
 * used (at most as many as they used), and in a last round every token.
 */
export const SORT_AND_ADD_ROUNDS = [4, 8, 16, 24, 32] as const;

export interface GuidedEnumerationOptions extends Omit<EnumerationOptions, 'allowed' | 'order' | 'compositions'> {
  readonly guide: TokenGuide;
}

/**
 * Sort-and-add enumeration (DeepCoder, Balog et al. 2017): bottom-up enumeration with
 * observational equivalence over the most promising atoms and operators first, then over more of
 * them; within a size, the candidates whose tokens cost least first. Each round but the last may
 * spend half of what is left of the budget; a later round meets the earlier rounds' candidates
 * again (answered from the executor's cache) and does not count them, so every program is counted
 * once, as are the programs `alreadyRun` names.
 */
export async function enumerateSortAndAdd(o: GuidedEnumerationOptions): Promise<EnumerationResult> {
  const params = new Set(TOKENS.flatMap((_, i) => (isParameter(i) ? [i] : [])));
  const { priority, used, cost } = o.guide;
  const guided = priority.filter((t) => !params.has(t));
  const usedGuided = used - priority.slice(0, used).filter((t) => params.has(t)).length;
  const order = (tokens: readonly number[]) => tokens.reduce((sum, t) => sum + cost[t]!, 0);
  // Rounds over the tokens the programs used (a round's set never repeats), then over every token.
  const sizes = [...new Set(SORT_AND_ADD_ROUNDS.map((k) => Math.min(k, usedGuided)))].filter((k) => k > 0 && k < guided.length);
  sizes.push(guided.length);
  const ran = new Set<string>();
  const alreadyRun = (program: readonly number[]) => ran.has(program.join(' ')) || (o.alreadyRun?.(program) ?? false);
  const onExecuted = (c: ExecutedCandidate) => {
    ran.add(c.tokens.join(' '));
    o.onExecuted?.(c);
  };
  let executed = 0;
  let last: EnumerationResult | undefined;
  for (const [round, k] of sizes.entries()) {
    const left = o.budget - executed;
    if (left <= 0) break;
    const final = round === sizes.length - 1;
    const allowed = new Set([...params, ...guided.slice(0, k)]);
    const budget = final ? left : Math.max(1, Math.floor(left / 2));
    last = await enumerateWithEquivalence({ ...o, budget, allowed: (t) => allowed.has(t), alreadyRun, onExecuted, order });
    executed += last.executed;
    if (last.solved) break;
  }
  return { solved: last?.solved ?? false, executed, program: last?.program ?? null, tokens: last?.tokens ?? null, values: last?.values ?? [] };
}
