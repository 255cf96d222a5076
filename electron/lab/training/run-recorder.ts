import { REWARD_PARTS } from '#lab/rewards/reward-function.ts';
import type { LabDatabase } from '#lab/store/database.ts';
import { recordProgress } from '#lab/store/experiments.ts';
import type { RunWriter } from '#lab/store/run-writer.ts';
import type { TrainingConfig } from '#shared/config/training-config.ts';
import type { MetricPoint } from '#shared/experiments/experiment.ts';
import type { EpisodeOutcome } from './episode-runner.ts';
import type { RunState } from './run-state.ts';
import type { TrainerChannel } from './trainer-channel.ts';

const PROGRESS_INTERVAL_MS = 1000;

/**
 * What a training run writes and tells its parent: slash-named metrics (batched into the database
 * and streamed about once a second), episodes for replay, and progress with an ETA.
 */
export class RunRecorder {
  private lastReport = 0;
  private pending: MetricPoint[] = [];

  constructor(
    private readonly db: LabDatabase,
    private readonly experimentId: number,
    private readonly config: TrainingConfig,
    private readonly writer: RunWriter,
    private readonly channel: TrainerChannel,
    private readonly state: RunState,
  ) {}

  metric(name: string, value: number): void {
    const { state } = this;
    this.writer.metric(name, state.envSteps, state.episode, state.elapsed(), value);
    if (Number.isFinite(value)) this.pending.push({ name, step: state.envSteps, episode: state.episode, wall_time: state.elapsed(), value });
  }

  /** A training episode: stored whole (every step) when `keepSteps`, else its summary alone. */
  trainingEpisode(episode: number, problemName: string, outcome: EpisodeOutcome, epsilon: number, keepSteps: boolean, searching: boolean): void {
    const { state } = this;
    if (keepSteps) this.writer.episode({ ...outcome.record, problemName, episode, kind: 'train' });
    else this.writer.episode({ ...outcome.record, problemName, episode, kind: 'train', steps: [] });
    this.metric('charts/episodic_return', outcome.record.totalReturn);
    this.metric('charts/episodic_length', outcome.record.length);
    this.metric('charts/success', outcome.record.success ? 1 : 0);
    this.metric('charts/success_rate', state.successRate());
    this.metric('charts/epsilon', epsilon);
    this.metric('charts/learning_rate', state.learningRate);
    this.metric('charts/samples_executed', state.samplesExecuted);
    this.metric('charts/SPS', state.stepsPerSecond());
    if (searching) this.metric('charts/search_programs', state.searchPrograms);
    for (const part of REWARD_PARTS) this.metric(`rewards/${part}`, outcome.rewardParts[part]);
    const mean = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    if (outcome.losses.length && outcome.meanQs.every(Number.isNaN)) {
      // An agent without values (policy gradient): the negative log-likelihood of what it trained on.
      this.metric('losses/policy_loss', mean(outcome.losses));
    } else if (outcome.losses.length) {
      this.metric('losses/td_loss', mean(outcome.losses));
      this.metric('losses/q_values', mean(outcome.meanQs));
    }
  }

  /** Writes what waits and records the counters (before every checkpoint). */
  flush(): void {
    const { state } = this;
    this.writer.flush();
    recordProgress(this.db, this.experimentId, { episodesDone: state.episode, envSteps: state.envSteps, samplesExecuted: state.samplesExecuted, bestSuccessRate: state.bestGreedy });
  }

  /** Progress and new metric points to the parent, at most once per interval unless forced. */
  report(force = false): void {
    const now = Date.now();
    if (!force && now - this.lastReport < PROGRESS_INTERVAL_MS) return;
    this.lastReport = now;
    this.flush();
    if (this.pending.length) this.channel.send({ type: 'metrics', experiment_id: this.experimentId, points: this.pending });
    this.pending = [];
    this.channel.send({ type: 'progress', progress: this.state.progress(this.experimentId, this.config.training.num_episodes) });
  }
}
