import type { ActResult, Agent, Transition } from '#lab/agents/agent.ts';
import type { CodeEnv, PendingStep, StepResult } from '#lab/env/code-env.ts';
import type { EpisodeRecord, StepRecord } from '#lab/store/run-writer.ts';
import { REWARD_PARTS, type RewardParts } from '#lab/rewards/reward-function.ts';

export interface EpisodeOptions {
  problemIndex: number;
  /** 0 for a greedy episode. */
  epsilon: number;
  /** Store transitions and run updates (training); off for greedy and evaluation episodes. */
  learn: boolean;
  /** Keep every step for replay. */
  keepSteps: boolean;
  /** Environment steps between updates when learning (counted over every lane). */
  trainFrequency: number;
  /** Environment steps taken before this episode (drives trainFrequency across episodes). */
  stepsBefore: number;
  /**
   * Mask programs this problem already executed (the environment needs a trie memory); absent: the
   * environment's own setting. The trainer turns it off for greedy episodes: they must show what
   * the policy writes under the plain grammar.
   */
  avoidRepeats?: boolean;
}

export interface EpisodeOutcome {
  record: Omit<EpisodeRecord, 'episode' | 'kind'>;
  /** The program's action ids (auto-written tokens included). */
  tokens: readonly number[];
  /** Agent decisions (auto-written tokens are not decisions). */
  decisions: number;
  executed: boolean;
  /** Programs the memory had executed right after this episode's program was judged (budget accounting). */
  executedSoFar: number;
  rewardParts: RewardParts;
  /** Updates made while this episode ran (shared by the episodes of one lockstep batch). */
  losses: number[];
  meanQs: number[];
  /** The TD errors of the updates this episode ran (value agents; an update's errors go to the first lane of its batch, so each is counted once), for diagnostics. */
  tdErrors: Float32Array[];
  /** Agents that sample: per decision, the entropy of the distribution drawn from and the drawn token's probability, for diagnostics. */
  policy?: { entropy: number[]; probability: number[] };
}

/** One lane's episode in progress. */
interface Lane {
  readonly env: CodeEnv;
  readonly options: EpisodeOptions;
  state: Float32Array;
  mask: Uint8Array;
  grammarMask: Uint8Array;
  done: boolean;
  last?: StepResult;
  executedSoFar: number;
  totalReturn: number;
  decisions: number;
  readonly parts: RewardParts;
  readonly steps: StepRecord[];
  readonly transitions: Transition[];
  readonly losses: number[];
  readonly meanQs: number[];
  readonly tdErrors: Float32Array[];
  readonly entropy: number[];
  readonly probability: number[];
}

/**
 * Episodes of one agent in several environments stepped in lockstep: each step is one batched
 * decision (one forward pass for a network) over the lanes still running, then each lane's token
 * is written in lane order, so the same seed makes the same run. The same accounting for every
 * agent: each finished program is judged once by the executor; a repeat, also one written by
 * another lane earlier, is a memory hit, not a run. A finished program goes to the executor's pool
 * at once and is judged while the other lanes act and the agent learns; results are taken when
 * every lane is done, in the order the programs were finished (by step, then lane). A learning
 * episode's steps are handed to the agent then, in that order (so n-step windows never mix lanes);
 * updates run every `trainFrequency` environment steps counted over all lanes. Every lane's options
 * must agree on `epsilon`, `learn`, `trainFrequency` and `stepsBefore` (one batch, one schedule
 * point).
 */
export async function runEpisodes(envs: readonly CodeEnv[], agent: Agent, options: readonly EpisodeOptions[]): Promise<EpisodeOutcome[]> {
  return startEpisodes(envs, agent, options).settle();
}

/** Episodes whose acting and learning are done and whose finished programs are on the executor. */
export interface StartedEpisodes {
  /** Takes the programs' results (in the order they were finished) and completes the episodes. */
  settle(): Promise<EpisodeOutcome[]>;
}

/**
 * runEpisodes in two halves. Starting takes every step now, synchronously: the agent acts and
 * learns, and finished programs go to the executor's pool; nothing is read from the executor or
 * written to the memory of executed programs until `settle`. So a second batch can be started
 * before the first is settled and both run on the pool together. Settled in the order they were
 * started, the run stays deterministic and every program is counted once (the second batch's
 * lanes act without knowing the first batch's programs: a repeat among them is a memory hit).
 */
export function startEpisodes(envs: readonly CodeEnv[], agent: Agent, options: readonly EpisodeOptions[]): StartedEpisodes {
  if (options.length === 0) return { settle: async () => [] };
  const lanes = startLanes(envs, agent, options);
  // Every step now; the programs finished along the way are settled later.
  const finishing = [...lockstep(lanes, agent, options[0]!)].flat();
  return {
    // In the order the programs were finished (by step, then lane): the memory, the budget counts
    // and the agent's experience do not depend on the order in which the executor answers.
    settle: async () => {
      for (const { lane, choice, step } of finishing) record(lane, choice, await lane.env.settle(step), agent, options[0]!.learn);
      return lanes.map((lane) => outcomeOf(lane));
    },
  };
}

/**
 * runEpisodes settling each step's finished programs before the next step: the agent learns from a
 * program's result in the same batch (the budgeted solve mode, where a batch is a large share of
 * the budget and its later lanes should not repeat an earlier lane's mistake).
 */
export async function runEpisodesStepwise(envs: readonly CodeEnv[], agent: Agent, options: readonly EpisodeOptions[]): Promise<EpisodeOutcome[]> {
  if (options.length === 0) return [];
  const lanes = startLanes(envs, agent, options);
  for (const finished of lockstep(lanes, agent, options[0]!)) {
    for (const { lane, choice, step } of finished) record(lane, choice, await lane.env.settle(step), agent, options[0]!.learn);
  }
  return lanes.map((lane) => outcomeOf(lane));
}

function startLanes(envs: readonly CodeEnv[], agent: Agent, options: readonly EpisodeOptions[]): Lane[] {
  if (options.length > envs.length) throw new Error(`${options.length} episodes at once need as many environments (have ${envs.length})`);
  return options.map((o, i) => {
    const env = envs[i]!;
    agent.beginEpisode(o.problemIndex, i);
    const start = env.reset(o.problemIndex, o.avoidRepeats === undefined ? {} : { avoidRepeats: o.avoidRepeats });
    return {
      env, options: o, state: start.state, mask: start.mask, grammarMask: start.grammarMask, done: false, executedSoFar: 0, totalReturn: 0, decisions: 0,
      parts: { correctness: 0, quality: 0, efficiency: 0, progress: 0 }, steps: [], transitions: [], losses: [], meanQs: [], tdErrors: [], entropy: [], probability: [],
    };
  });
}

interface Finishing {
  readonly lane: Lane;
  readonly choice: ActResult;
  readonly step: PendingStep;
}

/**
 * The lockstep steps, one per iteration: the lanes still running act in one batched decision,
 * write their tokens in lane order (finished programs start on the executor's pool), and the agent
 * learns. Yields the steps that finished a program, in lane order, for the caller to settle; a lane
 * that finished is done whether or not it was settled yet.
 */
function* lockstep(lanes: Lane[], agent: Agent, schedule: EpisodeOptions): Generator<Finishing[]> {
  const { epsilon, learn, trainFrequency } = schedule;
  const S = lanes[0]!.env.stateSize;
  const A = lanes[0]!.env.actionCount;
  let stepsTaken = schedule.stepsBefore;
  for (;;) {
    const active = lanes.map((lane, i) => (lane.done ? -1 : i)).filter((i) => i >= 0);
    if (active.length === 0) return;
    const states = new Float32Array(active.length * S);
    const masks = new Uint8Array(active.length * A);
    active.forEach((i, k) => (states.set(lanes[i]!.state, k * S), masks.set(lanes[i]!.mask, k * A)));
    const choices = agent.actBatch(states, masks, active.map((i) => ({ lane: i, position: lanes[i]!.env.programTokens.length })), epsilon);
    const pending = active.map((i, k) => lanes[i]!.env.begin(choices[k]!.action));
    if (learn) {
      const before = stepsTaken;
      stepsTaken += active.length;
      for (let u = Math.floor(before / trainFrequency); u < Math.floor(stepsTaken / trainFrequency); u++) {
        const update = agent.train();
        if (!update) continue;
        for (const i of active) lanes[i]!.losses.push(update.loss), lanes[i]!.meanQs.push(update.meanQ);
        if (update.tdErrors) lanes[active[0]!]!.tdErrors.push(update.tdErrors);
      }
    }
    const finished: Finishing[] = [];
    for (let k = 0; k < active.length; k++) {
      const lane = lanes[active[k]!]!;
      const step = pending[k]!;
      if (step.result) record(lane, choices[k]!, step.result, agent, learn);
      else (lane.done = true), finished.push({ lane, choice: choices[k]!, step });
    }
    yield finished;
  }
}

/** A lane's step, once its result is known: returns, replay steps, the agent's experience. */
function record(lane: Lane, choice: ActResult, result: StepResult, agent: Agent, learn: boolean): void {
  lane.decisions++;
  if (choice.entropy !== undefined) lane.entropy.push(choice.entropy), lane.probability.push(choice.probability ?? NaN);
  lane.totalReturn += result.reward;
  for (const part of REWARD_PARTS) lane.parts[part] += result.info.rewardParts[part];
  if (lane.options.keepSteps) {
    lane.steps.push({
      t: lane.decisions - 1,
      action: choice.action,
      token: [result.info.token, ...result.info.autoTokens].join(' '),
      validActions: lane.mask.reduce((n, m) => n + m, 0),
      // Agents without values store their top probabilities in the same place (replay labels them).
      topQ: (choice.topQ.length ? choice.topQ : (choice.probabilities ?? [])).map(([a, q]) => [a, Number(q.toFixed(5))] as [number, number]),
      explored: choice.explored,
      reward: result.reward,
      rewardParts: { ...result.info.rewardParts },
    });
  }
  if (learn) {
    // The grammar's masks, not the trie's: what a state is worth does not depend on which programs
    // were tried, and the bootstrapped max must range over what a greedy episode can write.
    const success = result.done && (result.info.testsTotal ?? 0) > 0 && result.info.testsPassed === result.info.testsTotal;
    lane.transitions.push({ state: lane.state, mask: lane.grammarMask, action: choice.action, reward: result.reward, nextState: result.state, nextMask: result.grammarMask, done: result.done, success, correctness: result.info.rewardParts.correctness, ...(result.done ? { program: [...lane.env.programTokens] } : {}) });
    if (result.done) for (const t of lane.transitions) agent.observe(t);
  }
  lane.state = result.state;
  lane.mask = result.mask;
  lane.grammarMask = result.grammarMask;
  lane.last = result;
  lane.done = result.done;
  if (result.done) lane.executedSoFar = lane.env.memory.executed;
}

function outcomeOf(lane: Lane): EpisodeOutcome {
  const info = lane.last!.info;
  const testsTotal = info.testsTotal ?? 0;
  const testsPassed = info.testsPassed ?? 0;
  return {
    record: {
      problemName: '',
      totalReturn: lane.totalReturn,
      length: lane.env.programTokens.length,
      success: testsTotal > 0 && testsPassed === testsTotal,
      code: info.code ?? '',
      testsPassed,
      testsTotal,
      verdicts: [...(info.verdicts ?? [])],
      ...(lane.options.keepSteps ? { steps: lane.steps } : {}),
    },
    tokens: [...lane.env.programTokens],
    decisions: lane.decisions,
    executed: info.executed,
    executedSoFar: lane.executedSoFar,
    rewardParts: lane.parts,
    losses: lane.losses,
    meanQs: lane.meanQs,
    tdErrors: lane.tdErrors,
    ...(lane.entropy.length ? { policy: { entropy: lane.entropy, probability: lane.probability } } : {}),
  };
}
