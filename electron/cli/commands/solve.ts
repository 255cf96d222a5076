import { loadModel } from '#lab/evaluation/load-policy.ts';
import { createExecutor } from '#lab/executor/executor.ts';
import { defaultDatabasePath } from '#lab/store/data-dir.ts';
import type { SavedAgent } from '#lab/agents/agent.ts';
import { isPolicyModel } from '#lab/pretraining/policy-model.ts';
import { PRETRAINED_POLICY_DIR } from '#lab/paths.ts';
import { runSolve } from '#lab/solving/run-solve.ts';
import { problemsInTaskRange } from '#lab/solving/task-range.ts';
import { SOLVE_AGENTS, type SolveAgent } from '#shared/solving/solve-agents.ts';
import type { TaskRange } from '#shared/solving/solve-run.ts';
import { summarizeSolve } from '#shared/solving/solve-summary.ts';
import { EXIT, UsageError, type Command } from '../command.ts';
import { openStore } from '../open-store.ts';
import { loadConfigFile, loadProblems, wholeNumber } from '../run-options.ts';

const AGENTS: readonly string[] = SOLVE_AGENTS;

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
on each problem by priority-queue training; guided-oe lets that agent spend 30% of the budget,
then enumerates over the atoms and operators its programs used most first; best-first lets it
spend 30%, then searches bottom-up over behaviourally distinct values, cheapest first as the
policy prices them, and spends the last 30% on loop programs (return early, collect, count or sum
over a range or a sequence) built from values of the loop variable; enumerate-oe is bottom-up enumeration with observational equivalence. --model
with a folder made by \`lab pretrain\` is the network the pretrained, guided-oe and best-first agents start from; --experiment/--model with a training checkpoint starts that kind from
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
      const loaded = await loadProblems(db, args.values.problems);
      const problems = tasks ? problemsInTaskRange(loaded.problems, tasks) : loaded.problems;
      const name = tasks ? `${loaded.name}, tasks ${tasks.first}-${tasks.last}` : loaded.name;
      if (problems.length === 0) throw new UsageError(`no problem of "${loaded.name}" has a task number in ${tasks!.first}-${tasks!.last}`);
      const { results } = await runSolve({
        problems,
        agents,
        budget,
        seed,
        config,
        executor,
        ...(startFrom ? { startFrom } : {}),
        ...(policyModel ? { pretrainedModel: policyModel } : {}),
        onAgentStarted: (agent) => io.err(`${agent}: ${problems.length} problems of "${name}", budget ${budget} executed programs each`),
        onResult: (result) => {
          const body = result.program?.split('\n').slice(1).map((l) => l.trim()).filter(Boolean).join('; ') ?? '';
          io.err(`  ${result.problem.padEnd(24)} ${result.solved ? 'solved' : 'unsolved'} after ${result.samples_executed} runs, ${result.seconds.toFixed(1)} s ${body}`);
        },
        onAgentFinished: (s) => io.err(`${s.agent}: solved ${s.solved}/${s.problems}, median samples-to-solution ${s.median_samples ?? 'n/a'}, ${s.seconds.toFixed(1)} s`),
      });
      if (args.values.json) {
        const summary = summarizeSolve(agents, results).map((s) => ({ agent: s.agent, solved: s.solved, problems: s.problems, median_samples: s.median_samples, seconds: s.seconds }));
        io.out(JSON.stringify({ problem_set: name, budget, summary, results }, null, 2));
      }
      return EXIT.ok;
    } finally {
      await executor.close();
      db.close();
    }
  },
};

/** `--tasks 11-510`: an inclusive range of task numbers. */
function taskRange(text: string): TaskRange {
  const match = /^(\d+)-(\d+)$/.exec(text.trim());
  if (!match || Number(match[1]) > Number(match[2])) throw new UsageError(`--tasks expects FIRST-LAST with FIRST <= LAST (e.g. 11-510), got "${text}"`);
  return { first: Number(match[1]), last: Number(match[2]) };
}
