import { decodeTagged } from '#shared/values/tagged-json.ts';
import type { PyValue } from '#shared/values/py-value.ts';
import { testArguments } from '#shared/problems/test-arguments.ts';
import type { Problem } from '#shared/problems/problem.ts';
import { LOCAL_SLOTS, TOKEN_COUNT } from '#shared/env/token-vocabulary.ts';
import { propertySignature, SIGNATURE_DIMS } from './property-signature.ts';
import { closingCost, inLoop, MAX_FRAMES, MAX_NESTED_BLOCKS, MODE, type GrammarState } from './grammar-state.ts';

/** The seed's layout: problem (256) + code (256) + metadata (8). docs/grammar.md lists every dim. */
export const PROBLEM_DIMS = 256;
export const CODE_DIMS = 256;
export const META_DIMS = 8;
export const STATE_SIZE = PROBLEM_DIMS + CODE_DIMS + META_DIMS;

/** `seed`: the layout above. `signatures`: the tests' property signatures after the problem block. */
export const STATE_LAYOUTS = ['seed', 'signatures'] as const;
export type StateLayout = (typeof STATE_LAYOUTS)[number];

export function stateSizeOf(layout: StateLayout): number {
  return layout === 'signatures' ? STATE_SIZE + SIGNATURE_DIMS : STATE_SIZE;
}

/** The per-problem part of the state in a layout (computed once per problem). */
export function problemPart(problem: Problem, parameters: readonly string[], layout: StateLayout): Float32Array {
  const text = problemEmbedding(problem, parameters);
  if (layout === 'seed') return text;
  const out = new Float32Array(PROBLEM_DIMS + SIGNATURE_DIMS);
  out.set(text, 0);
  out.set(propertySignature(problem, parameters.length), PROBLEM_DIMS);
  return out;
}

const TEXT_DIMS = 224;
const RECENT = 8;
const RECENT_DIMS = 160;
const BAG_DIMS = 64;

/** FNV-1a: stable across runs and platforms, which a stored experiment's states rely on. */
export function hash32(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

function addHashed(out: Float32Array, dims: number, feature: string, weight: number): void {
  const h = hash32(feature);
  out[h % dims]! += h & 0x80000000 ? -weight : weight;
}

const TYPE_ORDER = ['none', 'bool', 'int', 'float', 'str', 'seq', 'dict'] as const;
const typeSlot = (v: PyValue) => {
  const t = v.type === 'list' || v.type === 'tuple' || v.type === 'set' ? 'seq' : v.type === 'complex' || v.type === 'bytes' ? 'str' : v.type;
  return TYPE_ORDER.indexOf(t as (typeof TYPE_ORDER)[number]);
};
const numeric = (v: PyValue) => (v.type === 'int' ? Number(v.value) : v.type === 'float' ? v.value : undefined);
const same = (a: PyValue, b: PyValue) => JSON.stringify(a, (_, x) => (typeof x === 'bigint' ? `${x}n` : x)) === JSON.stringify(b, (_, x) => (typeof x === 'bigint' ? `${x}n` : x));

/**
 * The problem embedding: a signed hashed bag of the docstring's words, word bigrams and character
 * trigrams, the function and parameter names (dims 0-223, L2-normalised), then features of the
 * test values (224-255) so problems with the same signature and similar words still differ.
 * The docstring matters: without it a prototype fell from 7/8 to 4/8 solved (docs/prototype-findings.md).
 */
export function problemEmbedding(problem: Problem, parameters: readonly string[]): Float32Array {
  const out = new Float32Array(PROBLEM_DIMS);
  const words = problem.docstring.toLowerCase().match(/[a-z0-9]+/g) ?? [];
  words.forEach((w, i) => {
    addHashed(out, TEXT_DIMS, `w:${w}`, 1);
    if (i > 0) addHashed(out, TEXT_DIMS, `b:${words[i - 1]}_${w}`, 0.7);
    const padded = `#${w}#`;
    for (let k = 0; k + 3 <= padded.length; k++) addHashed(out, TEXT_DIMS, `c:${padded.slice(k, k + 3)}`, 0.3);
  });
  for (const part of problem.function_name.toLowerCase().split('_').filter(Boolean)) addHashed(out, TEXT_DIMS, `f:${part}`, 1);
  for (const p of parameters) addHashed(out, TEXT_DIMS, `p:${p.toLowerCase()}`, 0.5);
  let norm = 0;
  for (let i = 0; i < TEXT_DIMS; i++) norm += out[i]! ** 2;
  if (norm > 0) for (let i = 0; i < TEXT_DIMS; i++) out[i]! /= Math.sqrt(norm);

  const base = TEXT_DIMS;
  out[base + Math.min(parameters.length, 5)] = 1; // 224-229: parameter count 0..5+
  const tests = problem.test_cases;
  const n = Math.max(tests.length, 1);
  let argCount = 0;
  const outputs: string[] = [];
  let equalsInput = 0, aboveInputs = 0, negative = 0, falsy = 0, magnitude = 0, seqLength = 0, seqCount = 0;
  for (const [input, expected] of tests) {
    const args = testArguments(input, parameters.length).map((a) => decodeTagged(a));
    const want = decodeTagged(expected);
    for (const a of args) {
      out[base + 6 + typeSlot(a)]! += 1; // 230-236: argument types
      argCount++;
      if (a.type === 'list' || a.type === 'tuple' || a.type === 'set') (seqLength += a.items.length), seqCount++;
    }
    out[base + 13 + typeSlot(want)]! += 1 / n; // 237-243: output types
    outputs.push(JSON.stringify(expected));
    if (args.some((a) => same(a, want))) equalsInput++;
    const w = numeric(want);
    const nums = args.map(numeric).filter((x): x is number => x !== undefined);
    if (w !== undefined && nums.length > 0 && nums.every((x) => w > x)) aboveInputs++;
    if (w !== undefined && w < 0) negative++;
    if (w !== undefined) magnitude += Math.log10(1 + Math.abs(w));
    if ((want.type === 'bool' && !want.value) || w === 0 || want.type === 'none' || (want.type === 'str' && want.value === '') || ('items' in want && want.items.length === 0)) falsy++;
  }
  for (let k = 0; k < 7; k++) out[base + 6 + k]! /= Math.max(argCount, 1);
  out[base + 20] = Math.min(tests.length / 10, 1);
  out[base + 21] = equalsInput / n;
  out[base + 22] = aboveInputs / n;
  out[base + 23] = negative / n;
  out[base + 24] = new Set(outputs).size / n;
  out[base + 25] = Math.min(magnitude / n / 3, 1);
  out[base + 26] = seqCount ? Math.min(seqLength / seqCount / 10, 1) : 0;
  const d = problem.difficulty;
  out[base + 27] = d === undefined ? 0 : typeof d === 'number' ? d / 10 : { easy: 0.2, medium: 0.5, hard: 0.8 }[d];
  out[base + 28] = falsy / n;
  return out; // 253-255 stay 0 (reserved)
}

/** Precomputed buckets: (offset from the end, token) and token pairs into the recent-token block. */
const RECENT_BUCKET = new Int32Array(RECENT * TOKEN_COUNT);
const RECENT_SIGN = new Float32Array(RECENT * TOKEN_COUNT);
const PAIR_BUCKET = new Int32Array(TOKEN_COUNT * TOKEN_COUNT);
const BAG_BUCKET = new Int32Array(TOKEN_COUNT);
for (let o = 0; o < RECENT; o++) {
  for (let t = 0; t < TOKEN_COUNT; t++) {
    const h = hash32(`r:${o}:${t}`);
    RECENT_BUCKET[o * TOKEN_COUNT + t] = h % RECENT_DIMS;
    RECENT_SIGN[o * TOKEN_COUNT + t] = h & 0x80000000 ? -1 : 1;
  }
}
for (let a = 0; a < TOKEN_COUNT; a++) {
  BAG_BUCKET[a] = hash32(`t:${a}`) % BAG_DIMS;
  for (let b = 0; b < TOKEN_COUNT; b++) PAIR_BUCKET[a * TOKEN_COUNT + b] = hash32(`p:${a}:${b}`) % RECENT_DIMS;
}
const FRAME_KINDS = ['line', 'paren', 'call', 'list', 'sub'] as const;
const BLOCK_KINDS = ['def', 'if', 'elif', 'else', 'for', 'while'] as const;

/**
 * The code embedding, written at `offset`: the last 8 tokens by position (0-159, with the last
 * pair), a bag of all tokens (160-223), and the grammar state (224-255) so the network sees what
 * the mask sees.
 */
export function writeCodeEmbedding(out: Float32Array, offset: number, tokens: readonly number[], counts: Uint16Array, s: GrammarState, paramCount: number): void {
  out.fill(0, offset, offset + CODE_DIMS);
  const n = tokens.length;
  for (let o = 0; o < RECENT && o < n; o++) {
    const k = o * TOKEN_COUNT + tokens[n - 1 - o]!;
    out[offset + RECENT_BUCKET[k]!]! += RECENT_SIGN[k]!;
  }
  if (n >= 2) out[offset + PAIR_BUCKET[tokens[n - 2]! * TOKEN_COUNT + tokens[n - 1]!]!]! += 1;
  for (let t = 0; t < TOKEN_COUNT; t++) if (counts[t]) out[offset + RECENT_DIMS + BAG_BUCKET[t]!]! += Math.min(counts[t]!, 4) / 4;
  const g = offset + RECENT_DIMS + BAG_DIMS;
  out[g + s.mode] = 1; // 224-233
  const top = s.frames[s.frames.length - 1];
  if (top) out[g + 10 + FRAME_KINDS.indexOf(top.kind)] = 1; // 234-238
  const depth = s.blocks.length - 1;
  out[g + 15 + Math.min(depth, 3)] = 1; // 239-242
  const inner = s.blocks[s.blocks.length - 1];
  if (inner) out[g + 19 + BLOCK_KINDS.indexOf(inner.kind)] = 1; // 243-248
  out[g + 25] = inLoop(s) ? 1 : 0;
  out[g + 26] = s.bound / LOCAL_SLOTS;
  out[g + 27] = paramCount ? popcount(s.paramsRead) / paramCount : 0;
  out[g + 28] = s.afterIf ? 1 : 0;
  out[g + 29] = inner?.terminated ? 1 : 0;
  out[g + 30] = s.mode === MODE.operand && s.notOk ? 1 : 0;
  out[g + 31] = s.frames.length / MAX_FRAMES;
}

export interface MetaInputs {
  readonly maxSteps: number;
  readonly validActions: number;
  /** Fraction of tests the program finished at this step passed (0 before END). */
  readonly passFraction: number;
  readonly paramCount: number;
}

/** The 8 metadata values: step, could-end-now, tests passed, depth, remaining, cost to finish, parameters read, valid actions. */
export function writeMetadata(out: Float32Array, offset: number, s: GrammarState, m: MetaInputs): void {
  const inner = s.blocks[s.blocks.length - 1];
  out[offset] = s.length / m.maxSteps;
  out[offset + 1] = s.mode === MODE.done || (s.mode === MODE.stmt && inner?.hasStmt) ? 1 : 0;
  out[offset + 2] = m.passFraction;
  out[offset + 3] = (s.blocks.length - 1) / MAX_NESTED_BLOCKS;
  out[offset + 4] = (m.maxSteps - s.length) / m.maxSteps;
  out[offset + 5] = closingCost(s) / m.maxSteps;
  out[offset + 6] = m.paramCount ? popcount(s.paramsRead) / m.paramCount : 0;
  out[offset + 7] = m.validActions / TOKEN_COUNT;
}

export function popcount(x: number): number {
  let c = 0;
  for (let v = x; v; v &= v - 1) c++;
  return c;
}
