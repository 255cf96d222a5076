import type { CodeEnv } from '#lab/env/code-env.ts';
import type { EpisodeRecord, StepRecord } from '#lab/store/run-writer.ts';
import { REWARD_PARTS, type RewardParts } from '#lab/rewards/reward-function.ts';
import type { Agent } from '#lab/agents/agent.ts';

export interface EpisodeOptions {
  problemIndex: number;
  /** 0 for a greedy episode. */
  epsilon: number;
  /** Store transitions and run updates (training); off for greedy and evaluation episodes. */
  learn: boolean;
  /** Keep every step for replay. */
  keepSteps: boolean;
  /** Environment steps between updates when learning. */
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
  /** Agent decisions (auto-written tokens are not decisions). */
  decisions: number;
  executed: boolean;
  rewardParts: RewardParts;
  losses: number[];
  meanQs: number[];
}

/**
 * One episode of any agent in the environment: the same accounting for DQN and the baselines
 * (every finished program is judged once by the executor; a repeat is a memory hit, not a run).
 */
export async function runEpisode(env: CodeEnv, agent: Agent, o: EpisodeOptions): Promise<EpisodeOutcome> {
  agent.beginEpisode(o.problemIndex, 0);
  let { state, mask, grammarMask } = env.reset(o.problemIndex, o.avoidRepeats === undefined ? {} : { avoidRepeats: o.avoidRepeats });
  const parts: RewardParts = { correctness: 0, quality: 0, efficiency: 0, progress: 0 };
  const steps: StepRecord[] = [];
  const losses: number[] = [];
  const meanQs: number[] = [];
  let totalReturn = 0;
  let decisions = 0;
  let executed = false;
  let last: Awaited<ReturnType<CodeEnv['step']>> | undefined;
  for (;;) {
    const valid = mask.reduce((n, m) => n + m, 0);
    const choice = agent.actBatch(state, mask, [{ lane: 0, position: env.programTokens.length }], o.epsilon)[0]!;
    const result = await env.step(choice.action);
    decisions++;
    totalReturn += result.reward;
    for (const part of REWARD_PARTS) parts[part] += result.info.rewardParts[part];
    if (o.keepSteps) {
      steps.push({
        t: decisions - 1,
        action: choice.action,
        token: [result.info.token, ...result.info.autoTokens].join(' '),
        validActions: valid,
        // Agents without values store their top probabilities in the same place (replay labels them).
        topQ: (choice.topQ.length ? choice.topQ : (choice.probabilities ?? [])).map(([a, q]) => [a, Number(q.toFixed(5))] as [number, number]),
        explored: choice.explored,
        reward: result.reward,
        rewardParts: { ...result.info.rewardParts },
      });
    }
    if (o.learn) {
      // The grammar's masks, not the trie's: what a state is worth does not depend on which programs
      // were tried, and the bootstrapped max must range over what a greedy episode can write.
      const success = result.done && (result.info.testsTotal ?? 0) > 0 && result.info.testsPassed === result.info.testsTotal;
      agent.observe({ state, mask: grammarMask, action: choice.action, reward: result.reward, nextState: result.state, nextMask: result.grammarMask, done: result.done, success, correctness: result.info.rewardParts.correctness });
      if ((o.stepsBefore + decisions) % o.trainFrequency === 0) {
        const update = agent.train();
        if (update) {
          losses.push(update.loss);
          meanQs.push(update.meanQ);
        }
      }
    }
    state = result.state;
    mask = result.mask;
    grammarMask = result.grammarMask;
    last = result;
    if (result.done) break;
  }
  const info = last!.info;
  executed = info.executed;
  const testsTotal = info.testsTotal ?? 0;
  const testsPassed = info.testsPassed ?? 0;
  return {
    record: {
      problemName: '',
      totalReturn,
      length: env.programTokens.length,
      success: testsTotal > 0 && testsPassed === testsTotal,
      code: info.code ?? '',
      testsPassed,
      testsTotal,
      verdicts: [...(info.verdicts ?? [])],
      ...(o.keepSteps ? { steps } : {}),
    },
    decisions,
    executed,
    rewardParts: parts,
    losses,
    meanQs,
  };
}
