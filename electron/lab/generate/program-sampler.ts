import { GrammarMasker } from '#lab/env/grammar-mask.ts';
import { applyToken, initialState, MODE } from '#lab/env/grammar-state.ts';
import type { Rng } from '#lab/random/rng.ts';
import { TOKEN_COUNT, TOKENS } from '#shared/env/token-vocabulary.ts';

/** Roles that shape a sampled program: operands, tokens that move toward the end, the rest. */
const ROLE = TOKENS.map((t) =>
  t.kind === 'param' ? 0 : t.kind === 'local' || t.kind === 'const' ? 1 : ['return', 'NEWLINE', 'DEDENT', 'END', ')', ']', ','].includes(t.name) ? 2 : 3,
);

export interface SamplerShares {
  /** Share of picks that go to an operand when one is valid. */
  readonly leaf: number;
  /** Of the operand share, the part for parameters. */
  readonly param: number;
  /** Share of the other picks that go to a token that moves toward the end. */
  readonly close: number;
  /** Where a statement starts, the share of `return` (the rest: assignments, if, for, while). */
  readonly ret: number;
}

/**
 * Role weights as random search uses them (see explorationWeights): uniform picks over tokens make
 * nearly every program as long as the limit allows, while these make lengths roughly geometric,
 * so short programs, the ones problems are made of, come up often.
 */
export const DEFAULT_SHARES: SamplerShares = { leaf: 0.5, param: 0.6, close: 0.85, ret: 0.6 };

const RETURN = TOKENS.findIndex((t) => t.name === 'return');

function pick(rng: Rng, mask: Uint8Array, shares: SamplerShares): number {
  if (mask[RETURN] && rng.next() < shares.ret) return RETURN;
  const counts = [0, 0, 0, 0];
  for (let a = 0; a < TOKEN_COUNT; a++) if (mask[a]) counts[ROLE[a]!]!++;
  const [p, l, c, o] = counts as [number, number, number, number];
  const leaves = p + l;
  const leafMass = leaves === 0 ? 0 : c + o === 0 ? 1 : shares.leaf;
  const paramMass = p === 0 ? 0 : l === 0 ? leafMass : leafMass * shares.param;
  const rest = 1 - leafMass;
  const closeMass = c === 0 ? 0 : o === 0 ? rest : rest * shares.close;
  const perRole = [paramMass / Math.max(p, 1), (leafMass - paramMass) / Math.max(l, 1), closeMass / Math.max(c, 1), (rest - closeMass) / Math.max(o, 1)];
  let total = 0;
  for (let a = 0; a < TOKEN_COUNT; a++) if (mask[a]) total += perRole[ROLE[a]!]!;
  let r = rng.next() * total;
  let last = -1;
  for (let a = 0; a < TOKEN_COUNT; a++) {
    if (!mask[a]) continue;
    last = a;
    r -= perRole[ROLE[a]!]!;
    if (r < 0) return a;
  }
  return last;
}

/**
 * Samples programs of the environment's grammar (the same mask, so every one compiles and fits
 * `maxSteps`), with the tokens the grammar forces written as the environment writes them.
 */
export class ProgramSampler {
  private readonly masker: GrammarMasker;
  private readonly mask = new Uint8Array(TOKEN_COUNT);

  constructor(
    readonly paramCount: number,
    readonly maxSteps: number,
    private readonly shares: SamplerShares = DEFAULT_SHARES,
  ) {
    this.masker = new GrammarMasker({ paramCount, maxSteps });
  }

  sample(rng: Rng): number[] {
    const s = initialState();
    const tokens: number[] = [];
    while (s.mode !== MODE.done) {
      const valid = this.masker.write(s, this.mask);
      const a = valid === 1 ? this.mask.indexOf(1) : pick(rng, this.mask, this.shares);
      applyToken(s, a);
      tokens.push(a);
    }
    return tokens;
  }
}
