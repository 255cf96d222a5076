import { sourceNames } from '#lab/env/program-source.ts';
import { PlannedAgent } from './planned-agent.ts';
import { ProblemSearch } from './program-search.ts';
import type { Run } from './create-run.ts';
import type { RunState } from './run-state.ts';

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
   * Before a batch of training episodes (their problems and numbers, in lane order): for each episode on a
   * problem the greedy policy fails, up to search_programs programs the search proposes are
   * executed with no updates (a search program costs the executor ~1 ms, a DQN update ~7 ms, so
   * updates would dominate). They run in rounds, one program per such episode, in lockstep, so the
   * executor's pool judges a round together. A better partial score is replayed once for learning,
   * and a known solution before every episode on its problem. Returns, per episode, the steps
   * replayed for it.
   */
  async before(problemOf: readonly number[], episodes: readonly number[]): Promise<number[]> {
    const { run, state } = this;
    const replayed = problemOf.map(() => 0);
    if (!this.active) return replayed;
    const searching = problemOf.map((p) => !state.greedySolved.includes(p));
    for (let round = 0; round < run.config.training.search_programs; round++) {
      const proposed = new Set<string>();
      const lanes: { k: number; problemIndex: number; plan: number[] }[] = [];
      problemOf.forEach((problemIndex, k) => {
        const search = this.searches[problemIndex]!;
        if (!searching[k] || search.solution) return;
        // A program another lane of this round proposed is known too: each program is reported once.
        const plan = search.next((tokens) => run.memory.has(problemIndex, tokens) || proposed.has(`${problemIndex}:${tokens.join(',')}`));
        if (!plan) return;
        proposed.add(`${problemIndex}:${plan.join(',')}`);
        lanes.push({ k, problemIndex, plan });
      });
      if (lanes.length === 0) break;
      const avoidRepeats = run.config.environment.avoid_repeats;
      const planned = new PlannedAgent(run.agent, lanes.map((l) => l.plan), run.env.actionCount);
      const outcomes = await run.episodes(lanes.map((l) => ({ problemIndex: l.problemIndex, epsilon: 1, learn: false, keepSteps: false, trainFrequency: 1, stepsBefore: 0, avoidRepeats })), planned);
      for (const [i, { k, problemIndex, plan }] of lanes.entries()) {
        const outcome = outcomes[i]!;
        const search = this.searches[problemIndex]!;
        state.recordSearch('program', outcome.executed, outcome.decisions);
        if (!search.report(outcome.tokens, outcome.record.testsPassed, outcome.record.testsTotal)) continue;
        if (outcome.record.success) state.solved(nameOf(run, problemIndex), outcome.record.code, episodes[k]!);
        else replayed[k]! += await this.replay(problemIndex, plan);
      }
    }
    // Solved problems keep seeing their solution: without it the greedy policy drifted (measured,
    // seed set: 8/8 at episode 1,800, then 6/8 at 2,500 as is_even grew an assignment prefix).
    for (const [k, problemIndex] of problemOf.entries()) {
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
