import { sourceNames } from '#lab/env/program-source.ts';
import { PlannedAgent } from './planned-agent.ts';
import { ProblemSearch } from './program-search.ts';
import type { Run } from './create-run.ts';
import type { RunState } from './run-state.ts';

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
  }

  get active(): boolean {
    return this.searches.length > 0;
  }

  /** A program replayed as an exploratory learning episode (off-policy: the agent learns from it). */
  private async replay(problemIndex: number, plan: readonly number[]): Promise<void> {
    const { run, state } = this;
    const planned = new PlannedAgent(run.agent, plan, run.env.actionCount);
    const outcome = await run.episode({ problemIndex, epsilon: 1, learn: true, keepSteps: false, trainFrequency: run.config.agent.train_frequency, stepsBefore: state.envSteps, avoidRepeats: false }, planned);
    state.recordSearch('replay', outcome.executed, outcome.decisions);
  }

  /**
   * Before a training episode on a problem the greedy policy fails: up to search_programs programs
   * the search proposes are executed with no updates (a search program costs the executor ~1 ms, a
   * DQN update ~7 ms, so updates would dominate); a better partial score is replayed once for
   * learning, and a solution before every later episode on the problem.
   */
  async before(problemIndex: number, episode: number): Promise<void> {
    const { run, state } = this;
    const search = this.searches[problemIndex];
    if (!search) return;
    if (state.greedySolved.includes(problemIndex)) {
      // Solved problems keep seeing their solution: without it the greedy policy drifted (measured,
      // seed set: 8/8 at episode 1,800, then 6/8 at 2,500 as is_even grew an assignment prefix).
      if (search.solution) await this.replay(problemIndex, search.solution);
      return;
    }
    const name = run.problems[problemIndex]!.name ?? run.problems[problemIndex]!.function_name;
    const avoidRepeats = run.config.environment.avoid_repeats;
    for (let k = 0; k < run.config.training.search_programs && !search.solution; k++) {
      const plan = search.next((tokens) => run.memory.has(problemIndex, tokens));
      if (!plan) break;
      const planned = new PlannedAgent(run.agent, plan, run.env.actionCount);
      const outcome = await run.episode({ problemIndex, epsilon: 1, learn: false, keepSteps: false, trainFrequency: 1, stepsBefore: 0, avoidRepeats }, planned);
      state.recordSearch('program', outcome.executed, outcome.decisions);
      if (search.report(run.env.programTokens, outcome.record.testsPassed, outcome.record.testsTotal)) {
        if (outcome.record.success) state.solved(name, outcome.record.code, episode);
        else await this.replay(problemIndex, plan);
      }
    }
    if (search.solution) await this.replay(problemIndex, search.solution);
  }

  /** After a training episode: the search learns from the program the agent wrote; its state goes to the counters. */
  after(problemIndex: number, tokens: readonly number[], testsPassed: number, testsTotal: number): void {
    if (!this.active) return;
    this.searches[problemIndex]!.report(tokens, testsPassed, testsTotal);
    this.state.search = this.searches.map((search, i) => [i, search.snapshot()] as [number, ReturnType<ProblemSearch['snapshot']>]);
  }
}
