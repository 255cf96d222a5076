import { CodeEnv } from '#lab/env/code-env.ts';
import type { PolicyNetwork } from '#lab/models/policy-network.ts';
import { TOKEN_COUNT, tokenId } from '#shared/env/token-vocabulary.ts';
import type { Problem } from '#shared/problems/problem.ts';

const RETURN = tokenId('return');

/** What the policy thinks of `return <expression>` as the start of a program for the problem. */
export interface ValueScore {
  /** -log p(`return` expression), every token the policy decides counted. */
  readonly cost: number;
  /** -log p(token) for the token after it (Infinity where the grammar forbids it). */
  readonly next: Float64Array;
}

/** Prices an expression as the start of a program. */
export interface ValueScorer {
  /** The score of `return <tokens>`; null when the environment cannot write it. */
  score(tokens: readonly number[]): Promise<ValueScore | null>;
}

/**
 * Scores expressions with a pretrained policy, conditioned on the problem's tests through the
 * state's property signatures: each expression is replayed as `return <expression>` in the
 * environment (no executor: only states and masks are needed), summing the policy's -log
 * probabilities of its tokens, and the distribution of the token that would follow is kept, so a
 * search can price `a + b` from what the policy would write after `return a`.
 */
export class PolicyValueScorer implements ValueScorer {
  private readonly env: CodeEnv;
  private readonly probabilities = new Float32Array(TOKEN_COUNT);

  private constructor(private readonly network: PolicyNetwork, problem: Problem, maxSteps: number) {
    this.env = new CodeEnv({ problems: [problem], executor: null, maxSteps, stateLayout: 'signatures', autoForced: true });
  }

  /** A scorer for `problem`; `start` holds -log p(first token after `return`). */
  static async create(network: PolicyNetwork, problem: Problem, maxSteps: number): Promise<{ scorer: PolicyValueScorer; start: Float64Array }> {
    const scorer = new PolicyValueScorer(network, problem, maxSteps);
    const empty = await scorer.score([]);
    if (!empty) throw new Error('the environment cannot start a program with return');
    return { scorer, start: empty.next };
  }

  /** The score of `return <tokens>`; null when the environment cannot write it. */
  async score(tokens: readonly number[]): Promise<ValueScore | null> {
    let { state, grammarMask } = this.env.reset(0, { avoidRepeats: false });
    let cost = 0;
    const program = [RETURN, ...tokens];
    for (let position = 0; position < program.length; ) {
      const action = program[position]!;
      if (!grammarMask[action]) return null;
      cost += this.negLog(state, grammarMask)[action]!;
      const result = await this.env.step(action);
      if (result.done) return null;
      ({ state, grammarMask } = result);
      // Tokens the grammar forces are written by the environment and are no decision.
      position = this.env.programTokens.length;
    }
    return { cost, next: this.negLog(state, grammarMask) };
  }

  private negLog(state: Float32Array, mask: Uint8Array): Float64Array {
    this.network.probabilities(state, mask, 1, this.probabilities);
    return Float64Array.from(this.probabilities, (p, a) => (mask[a] && p > 0 ? -Math.log(p) : Infinity));
  }
}
