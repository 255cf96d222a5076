import type { CodeEnv } from '#lab/env/code-env.ts';
import type { EpisodeRecord, StepRecord } from '#lab/store/run-writer.ts';
import { REWARD_PARTS, type RewardParts } from '#lab/rewards/reward-function.ts';
import type { Policy } from './policies.ts';

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
 * One episode of any policy in the environment: the same accounting for DQN and the baselines
 * (every finished program is judged once by the executor; a repeat is a memory hit, not a run).
 */
export async function runEpisode(env: CodeEnv, policy: Policy, o: EpisodeOptions): Promise<EpisodeOutcome> {
  policy.beginEpisode(o.problemIndex);
  let { state, mask } = env.reset(o.problemIndex);
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
    const choice = o.epsilon === 0 && !o.learn ? policy.greedy(state, mask) : policy.act(state, mask, o.epsilon, env.programTokens.length);
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
        topQ: choice.topQ.map(([a, q]) => [a, Number(q.toFixed(5))] as [number, number]),
        explored: choice.explored,
        reward: result.reward,
        rewardParts: { ...result.info.rewardParts },
      });
    }
    if (o.learn) {
      policy.observe({ state, mask, action: choice.action, reward: result.reward, nextState: result.state, nextMask: result.mask, done: result.done });
      if ((o.stepsBefore + decisions) % o.trainFrequency === 0) {
        const update = policy.train();
        if (update) {
          losses.push(update.loss);
          meanQs.push(update.meanQ);
        }
      }
    }
    state = result.state;
    mask = result.mask;
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
