import { sourceNames } from '#lab/env/program-source.ts';
import { PlannedAgent } from './planned-agent.ts';
import { ProblemSearch } from './program-search.ts';
import type { Run } from './create-run.ts';
import type { EpisodeOutcome, StartedEpisodes } from './episode-runner.ts';
import type { RunState } from './run-state.ts';

interface SearchLane {
  /** The batch episode the program was proposed for. */
  readonly k: number;
  readonly problemIndex: number;
  readonly plan: number[];
}

/** A batch's search programs, started beside the agent's episodes. */
export interface SearchRound {
  readonly problemOf: readonly number[];
  readonly episodes: readonly number[];
  readonly lanes: readonly SearchLane[];
  readonly started: StartedEpisodes;
  outcomes: EpisodeOutcome[];
}

const nameOf = (run: Run, problemIndex: number) => run.problems[problemIndex]!.name ?? run.problems[problemIndex]!.function_name;

/**
 * Search-guided exploration (training.search_programs, agents that learn): one systematic search
 * per problem, rebuilt from the checkpointed counters on resume (see ProblemSearch).
 */
export class SearchGuidance {
  private readonly searches: ProblemSearch[] = [];

  constructor(
    private readonly run: Run,
    private readonly state: RunState,
  ) {
    const { config, problems } = run;
    if (!run.definition.learns || config.training.search_programs <= 0) return;
    const saved = new Map(state.search);
    problems.forEach((p, i) => {
      const names = sourceNames(p);
      const shape = { paramCount: names.parameters.length, maxSteps: config.environment.max_steps, parameters: names.parameters };
      this.searches.push(new ProblemSearch(shape, config.training.search_local_extra, saved.get(i)));
    });
    state.followSearch(() => this.searches.map((search, i) => [i, search.snapshot()]));
  }

  /** A program passing every test of the problem is known (its replays are successful episodes). */
  hasSolution(problemIndex: number): boolean {
    return this.searches[problemIndex]?.solution !== undefined && this.searches[problemIndex]?.solution !== null;
  }

  get active(): boolean {
    return this.searches.length > 0;
  }

  /** A program replayed as an exploratory learning episode (off-policy: the agent learns from it); its steps. */
  private async replay(problemIndex: number, plan: readonly number[]): Promise<number> {
    const { run, state } = this;
    const planned = new PlannedAgent(run.agent, [plan], run.env.actionCount);
    const outcome = await run.episode({ problemIndex, epsilon: 1, learn: true, keepSteps: false, trainFrequency: run.config.agent.train_frequency, stepsBefore: state.envSteps, avoidRepeats: false }, planned);
    state.recordSearch('replay', outcome.executed, outcome.decisions);
    return outcome.decisions;
  }

  /**
   * Starts the search programs of a batch of training episodes (their problems and numbers, in
   * lane order): up to search_programs programs for each episode on a problem the greedy policy
   * fails, proposed before any is judged and written with no updates (a search program costs the
   * executor ~1 ms, a DQN update ~7 ms, so updates would dominate). They run beside the agent's
   * batch, started right after this and settled right after `settle`.
   */
  start(problemOf: readonly number[], episodes: readonly number[]): SearchRound {
    const { run, state } = this;
    const lanes: SearchLane[] = [];
    if (this.active) {
      const proposed = new Set<string>();
      const key = (problemIndex: number, tokens: readonly number[]) => `${problemIndex}:${tokens.join(',')}`;
      for (let round = 0; round < run.config.training.search_programs; round++) {
        problemOf.forEach((problemIndex, k) => {
          const search = this.searches[problemIndex]!;
          if (state.greedySolved.includes(problemIndex) || search.solution) return;
          // A program proposed for another lane is known too: each program is reported once.
          const plan = search.next((tokens) => run.memory.has(problemIndex, tokens) || proposed.has(key(problemIndex, tokens)));
          if (!plan) return;
          proposed.add(key(problemIndex, plan));
          lanes.push({ k, problemIndex, plan });
        });
      }
    }
    const avoidRepeats = run.config.environment.avoid_repeats;
    const planned = new PlannedAgent(run.agent, lanes.map((l) => l.plan), run.env.actionCount);
    const started = run.startAside(lanes.map((l) => ({ problemIndex: l.problemIndex, epsilon: 1, learn: false, keepSteps: false, trainFrequency: 1, stepsBefore: 0, avoidRepeats })), planned);
    return { problemOf, episodes, lanes, started, outcomes: [] };
  }

  /** The round's results, counted: settle it before the batch started after it. */
  async settle(round: SearchRound): Promise<void> {
    round.outcomes = await round.started.settle();
    for (const outcome of round.outcomes) this.state.recordSearch('program', outcome.executed, outcome.decisions);
  }

  /**
   * After the batch was recorded: the search learns from its programs, a better partial score is
   * replayed once for learning, and a known solution once for every episode on its problem.
   * Returns, per episode, the steps replayed for it.
   */
  async finish(round: SearchRound): Promise<number[]> {
    const { run, state } = this;
    const replayed = round.problemOf.map(() => 0);
    if (!this.active) return replayed;
    for (const [i, { k, problemIndex, plan }] of round.lanes.entries()) {
      const outcome = round.outcomes[i]!;
      const search = this.searches[problemIndex]!;
      if (!search.report(outcome.tokens, outcome.record.testsPassed, outcome.record.testsTotal)) continue;
      if (outcome.record.success) state.solved(nameOf(run, problemIndex), outcome.record.code, round.episodes[k]!);
      else replayed[k]! += await this.replay(problemIndex, plan);
    }
    // Solved problems keep seeing their solution: without it the greedy policy drifted (measured,
    // seed set: 8/8 at episode 1,800, then 6/8 at 2,500 as is_even grew an assignment prefix).
    for (const [k, problemIndex] of round.problemOf.entries()) {
      const solution = this.searches[problemIndex]!.solution;
      if (solution) replayed[k]! += await this.replay(problemIndex, solution);
    }
    return replayed;
  }

  /** After a training episode: the search learns from the program the agent wrote. */
  after(problemIndex: number, tokens: readonly number[], testsPassed: number, testsTotal: number): void {
    this.searches[problemIndex]?.report(tokens, testsPassed, testsTotal);
  }
}
