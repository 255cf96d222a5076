import type { LabDatabase } from '#lab/store/database.ts';
import { setExperimentStatus } from '#lab/store/experiments.ts';
import type { RunWriter } from '#lab/store/run-writer.ts';
import type { ExperimentStatus } from '#shared/experiments/experiment.ts';
import type { TrainerCommand } from '#shared/training/trainer-events.ts';
import type { Agent } from '#lab/agents/agent.ts';
import type { RunState } from './run-state.ts';
import type { TrainerChannel } from './trainer-channel.ts';

/**
 * A person's hold on a running experiment: pause, resume, stop, and the interventions (epsilon,
 * learning rate) that are logged where they happened. A parent that goes away stops the run.
 */
export class RunControl {
  status: ExperimentStatus = 'running';
  private paused = false;
  private wake: (() => void) | undefined;

  constructor(
    private readonly db: LabDatabase,
    private readonly experimentId: number,
    private readonly channel: TrainerChannel,
    state: RunState,
    agent: Agent,
    writer: RunWriter,
  ) {
    channel.onCommand((command: TrainerCommand) => {
      if (command.type === 'pause') this.paused = true;
      else if (command.type === 'resume') this.paused = false;
      else if (command.type === 'stop') this.status = 'stopped';
      else {
        if (command.type === 'set_epsilon') state.overrideEpsilon(command.value);
        else {
          state.learningRate = command.value;
          agent.setLearningRate(command.value);
        }
        writer.intervention(state.episode, state.envSteps, state.elapsed(), command.type, command.value);
        channel.send({ type: 'intervention', experiment_id: experimentId, kind: command.type, value: command.value, episode: state.episode, step: state.envSteps });
      }
      this.wake?.();
    });
    channel.onParentGone(() => {
      this.status = 'stopped';
      this.wake?.();
    });
  }

  get running(): boolean {
    return this.status === 'running';
  }

  /** Holds the loop while paused (the clock stopped), reporting the pause and the resume. */
  async waitWhilePaused(state: RunState, report: () => void): Promise<void> {
    if (!this.paused) return;
    this.announce('paused');
    report();
    state.pauseClock();
    while (this.paused && this.running) await new Promise<void>((resolve) => ((this.wake = resolve), setTimeout(resolve, 500)));
    state.resumeClock();
    if (this.running) this.announce('running');
  }

  announce(status: ExperimentStatus): void {
    setExperimentStatus(this.db, this.experimentId, status);
    this.channel.send({ type: 'status', experiment_id: this.experimentId, status });
  }
}
