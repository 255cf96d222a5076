import type { EpisodeReplay, ReplayFrame, TestRun } from '#shared/api/episodes-api.ts';
import { lab } from './lab.svelte.ts';

/** Replay speeds in steps per second. */
export const SPEEDS = [0.5, 1, 2, 4, 8, 16] as const;

/**
 * One episode's replay: `position` is how many steps have been taken (0: the empty program,
 * frames.length: the end). At the end the final program's tests are run again for their values.
 */
export class ReplayStore {
  data = $state.raw<EpisodeReplay | null>(null);
  position = $state(0);
  playing = $state(false);
  speed = $state<number>(2);
  verdicts = $state.raw<TestRun | null>(null);
  verdictError = $state<string | null>(null);
  error = $state<string | null>(null);
  private timer: ReturnType<typeof setInterval> | undefined;

  total = $derived(this.data?.frames.length ?? 0);
  frame = $derived<ReplayFrame | null>(this.position > 0 ? (this.data?.frames[this.position - 1] ?? null) : null);
  code = $derived(this.frame?.code ?? this.data?.start_code ?? '');
  atEnd = $derived(this.data !== null && this.position >= this.total);

  constructor(
    readonly experimentId: number,
    readonly episodeId: number,
  ) {}

  async load(): Promise<void> {
    try {
      this.data = await lab.client.call('episodes.replay', { experiment_id: this.experimentId, episode_id: this.episodeId });
      // An episode stored without steps can only show its final program.
      if (this.data.frames.length === 0) this.end();
    } catch (error) {
      this.error = (error as Error).message;
    }
  }

  seek(position: number): void {
    this.position = Math.max(0, Math.min(this.total, Math.round(position)));
    if (this.atEnd) {
      this.pause();
      void this.loadVerdicts();
    }
  }

  forward(): void {
    this.seek(this.position + 1);
  }

  back(): void {
    this.seek(this.position - 1);
  }

  end(): void {
    this.seek(this.total);
  }

  play(): void {
    if (this.atEnd) this.position = 0;
    this.playing = true;
    this.restartTimer();
  }

  pause(): void {
    this.playing = false;
    clearInterval(this.timer);
  }

  setSpeed(speed: number): void {
    this.speed = speed;
    if (this.playing) this.restartTimer();
  }

  private restartTimer(): void {
    clearInterval(this.timer);
    this.timer = setInterval(() => this.forward(), 1000 / this.speed);
  }

  async loadVerdicts(): Promise<void> {
    if (this.verdicts || this.verdictError) return;
    try {
      this.verdicts = await lab.client.call('episodes.verdicts', { experiment_id: this.experimentId, episode_id: this.episodeId });
    } catch (error) {
      this.verdictError = (error as Error).message;
    }
  }

  dispose(): void {
    clearInterval(this.timer);
  }
}
