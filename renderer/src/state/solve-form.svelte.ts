import { newSolveRunSchema, type NewSolveRun } from '#shared/api/solves-api.ts';
import type { Experiment } from '#shared/experiments/experiment.ts';
import type { ProblemSet } from '#shared/problems/problem.ts';
import { DEFAULT_SOLVE_AGENTS, SOLVE_AGENTS, type SolveAgent } from '#shared/solving/solve-agents.ts';
import { lab } from './lab.svelte.ts';

const whole = (text: string): number => (text.trim() === '' ? Number.NaN : Number(text));

/**
 * The form that starts a solve run. It checks itself with the API's own schema, so the Start
 * button and the lab refuse the same things with the same words.
 */
export class SolveFormStore {
  sets = $state<ProblemSet[]>([]);
  setName = $state('');
  agents = $state<SolveAgent[]>([...DEFAULT_SOLVE_AGENTS]);
  budget = $state('1000');
  seed = $state('1');
  tasksFirst = $state('');
  tasksLast = $state('');
  /** DQN experiments whose network the dqn agent may start from. */
  dqnExperiments = $state<Experiment[]>([]);
  /** The chosen one's id as the select holds it; '' for a fresh network. */
  startFrom = $state('');
  busy = $state(false);

  input = $derived.by((): NewSolveRun => {
    const ranged = this.tasksFirst.trim() !== '' || this.tasksLast.trim() !== '';
    return {
      problem_set: this.setName,
      // In the order the lab lists agents, whatever order they were ticked in.
      agents: SOLVE_AGENTS.filter((a) => this.agents.includes(a)),
      budget: whole(this.budget),
      seed: whole(this.seed),
      ...(ranged ? { tasks: { first: whole(this.tasksFirst), last: whole(this.tasksLast) } } : {}),
      ...(this.startFrom !== '' ? { experiment_id: Number(this.startFrom) } : {}),
    };
  });
  /** The first thing wrong with the form, as `field: message`; null when it can start. */
  problem = $derived.by(() => {
    const issue = newSolveRunSchema.safeParse(this.input).error?.issues[0];
    return issue ? `${issue.path.map(String).join('.') || 'input'}: ${issue.message}` : null;
  });
  canStart = $derived(this.problem === null && !this.busy);

  async load(): Promise<void> {
    this.sets = await lab.client.call('problemSets.list');
    this.dqnExperiments = (await lab.client.call('experiments.list')).filter((e) => e.agent === 'dqn' && e.episodes_done > 0);
    if (!this.sets.some((s) => s.name === this.setName)) this.setName = this.sets.find((s) => s.name === 'unseen-simple')?.name ?? this.sets[0]?.name ?? '';
  }

  /** Starting from a trained DQN needs the dqn agent: choosing one ticks it. */
  chooseStart(id: string): void {
    this.startFrom = id;
    if (id !== '' && !this.agents.includes('dqn')) this.agents = [...this.agents, 'dqn'];
  }

  toggle(agent: SolveAgent, on: boolean): void {
    this.agents = on ? [...this.agents.filter((a) => a !== agent), agent] : this.agents.filter((a) => a !== agent);
  }

  /** Starts the run; its id, or undefined when the form cannot start. */
  async start(): Promise<number | undefined> {
    if (!this.canStart) return undefined;
    this.busy = true;
    try {
      return (await lab.client.call('solves.start', this.input)).id;
    } finally {
      this.busy = false;
    }
  }
}
