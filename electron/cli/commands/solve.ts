import { loadModel } from '#lab/evaluation/load-policy.ts';
import { medianSamples, solveProblem, type SolveAgent, type SolveResult } from '#lab/evaluation/solve.ts';
import { createExecutor } from '#lab/executor/executor.ts';
import { defaultDatabasePath } from '#lab/store/data-dir.ts';
import type { SavedAgent } from '#lab/agents/agent.ts';
import { AGENT_KINDS } from '#shared/agents/agent-kinds.ts';
import { pretrainedStart } from '#lab/evaluation/policy-agents.ts';
import { isPolicyModel } from '#lab/pretraining/policy-model.ts';
import { PRETRAINED_POLICY_DIR } from '#lab/paths.ts';
import { SOLVE_STRATEGIES } from '#lab/evaluation/solve.ts';
import type { Problem } from '#shared/problems/problem.ts';
import { EXIT, UsageError, type Command } from '../command.ts';
import { openStore } from '../open-store.ts';
import { loadConfigFile, loadProblems, wholeNumber } from '../run-options.ts';

const AGENTS: readonly string[] = [...SOLVE_STRATEGIES, ...AGENT_KINDS];

export const solveCommand: Command = {
  name: 'solve',
  summary: 'search and learn on each problem until a program passes or a budget of runs is spent',
  usage: `usage: lab solve --problems FILE|SET --budget N [--agent AGENT[,...]] [--tasks FIRST-LAST]
                 [--experiment ID | --model DIR] [--config FILE] [--seed S] [--db PATH] [--json]

For each problem, keeps searching (learning agents also learn from that problem's own tests) until
a program passes every test or N programs have been executed; no program is executed twice.
Several agents (comma-separated) run one after the other on the same budget, for comparison.
Agents: ${AGENTS.join(', ')}. The default, pretrained, is the policy pretrained on generated
problems (${PRETRAINED_POLICY_DIR}, made by \`lab pretrain\`), sampled without repeats and fine-tuned
on each problem by priority-queue training; enumerate-oe is bottom-up enumeration with
observational equivalence. --model with a folder made by \`lab pretrain\` is the network the
pretrained agent starts from; --experiment/--model with a training checkpoint starts that kind from
the trained agent instead of a fresh one. --tasks keeps the problems whose name ends in a task
number within the range (MBPP's test split: --problems mbpp --tasks 11-510).`,
  options: {
    problems: { type: 'string' },
    budget: { type: 'string' },
    agent: { type: 'string' },
    experiment: { type: 'string' },
    model: { type: 'string' },
    config: { type: 'string' },
    seed: { type: 'string' },
    tasks: { type: 'string' },
  },
  async run(args, io) {
    if (typeof args.values.problems !== 'string') throw new UsageError('--problems is required (a problem file or set)');
    if (args.values.budget === undefined) throw new UsageError('--budget is required (executed programs per problem)');
    const budget = wholeNumber(args, 'budget', 0);
    if (budget < 1) throw new UsageError('--budget must be at least 1');
    const seed = wholeNumber(args, 'seed', 1);
    const agents = String(args.values.agent ?? 'pretrained').split(',').map((a) => a.trim()) as SolveAgent[];
    for (const agent of agents) if (!AGENTS.includes(agent)) throw new UsageError(`unknown agent "${agent}" (${AGENTS.join(', ')})`);
    const tasks = typeof args.values.tasks === 'string' ? taskRange(args.values.tasks) : undefined;
    const policyModel = typeof args.values.model === 'string' && isPolicyModel(args.values.model) ? args.values.model : undefined;
    const dbPath = typeof args.values.db === 'string' ? args.values.db : defaultDatabasePath();
    const db = await openStore(args);
    const executor = createExecutor();
    try {
      let { config } = loadConfigFile(typeof args.values.config === 'string' ? args.values.config : undefined, io);
      let startFrom: SavedAgent | undefined;
      if (args.values.experiment !== undefined || (args.values.model !== undefined && !policyModel)) {
        const ref = {
          ...(args.values.experiment !== undefined ? { experimentId: wholeNumber(args, 'experiment', 0) } : {}),
          ...(typeof args.values.model === 'string' ? { checkpoint: args.values.model } : {}),
        };
        // Each problem starts from a fresh copy of the trained network.
        const model = await loadModel(db, dbPath, ref);
        config = model.config;
        startFrom = model.saved;
      }
      const pretrained = agents.includes('pretrained') ? pretrainedStart(policyModel ?? PRETRAINED_POLICY_DIR, config, seed) : undefined;
      const loaded = await loadProblems(db, args.values.problems);
      const problems = tasks ? loaded.problems.filter((p) => inRange(p, tasks)) : loaded.problems;
      const name = tasks ? `${loaded.name}, tasks ${tasks.first}-${tasks.last}` : loaded.name;
      if (problems.length === 0) throw new UsageError(`no problem of "${loaded.name}" has a task number in ${tasks!.first}-${tasks!.last}`);
      const all: SolveResult[] = [];
      for (const agent of agents) {
        io.err(`${agent}: ${problems.length} problems of "${name}", budget ${budget} executed programs each`);
        for (const problem of problems) {
          const result =
            agent === 'pretrained' && pretrained
              ? await solveProblem({ problem, agent, config: pretrained.config, executor, budget, seed, startFrom: pretrained.saved })
              : await solveProblem({ problem, agent, config, executor, budget, seed, ...(startFrom && agent === config.agent.type ? { startFrom } : {}) });
          all.push(result);
          const body = result.program?.split('\n').slice(1).map((l) => l.trim()).filter(Boolean).join('; ') ?? '';
          io.err(`  ${result.problem.padEnd(24)} ${result.solved ? 'solved' : 'unsolved'} after ${result.samples_executed} runs, ${result.seconds.toFixed(1)} s ${body}`);
        }
        const mine = all.filter((r) => r.agent === agent);
        const seconds = mine.reduce((t, r) => t + r.seconds, 0);
        io.err(`${agent}: solved ${mine.filter((r) => r.solved).length}/${mine.length}, median samples-to-solution ${medianSamples(mine) ?? 'n/a'}, ${seconds.toFixed(1)} s`);
      }
      if (args.values.json) {
        const summary = agents.map((agent) => {
          const mine = all.filter((r) => r.agent === agent);
          return { agent, solved: mine.filter((r) => r.solved).length, problems: mine.length, median_samples: medianSamples(mine), seconds: mine.reduce((t, r) => t + r.seconds, 0) };
        });
        io.out(JSON.stringify({ problem_set: name, budget, summary, results: all }, null, 2));
      }
      return EXIT.ok;
    } finally {
      await executor.close();
      db.close();
    }
  },
};

/** `--tasks 11-510`: an inclusive range of task numbers. */
function taskRange(text: string): { first: number; last: number } {
  const match = /^(\d+)-(\d+)$/.exec(text.trim());
  if (!match || Number(match[1]) > Number(match[2])) throw new UsageError(`--tasks expects FIRST-LAST with FIRST <= LAST (e.g. 11-510), got "${text}"`);
  return { first: Number(match[1]), last: Number(match[2]) };
}

/** Whether a problem's task number (the digits ending its name, as in mbpp/11) is in the range. */
function inRange(problem: Problem, range: { first: number; last: number }): boolean {
  const match = /(\d+)$/.exec(problem.name ?? '');
  return match !== null && Number(match[1]) >= range.first && Number(match[1]) <= range.last;
}
