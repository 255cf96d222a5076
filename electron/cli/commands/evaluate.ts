import { loadModel } from '#lab/evaluation/load-policy.ts';
import { evaluateAgent, type EvaluationResult } from '#lab/evaluation/evaluate.ts';
import { createExecutor } from '#lab/executor/executor.ts';
import { nowIso } from '#lab/store/database.ts';
import { defaultDatabasePath } from '#lab/store/data-dir.ts';
import { createRun, type Run } from '#lab/training/create-run.ts';
import type { TrainingConfig } from '#shared/config/training-config.ts';
import { EXIT, UsageError, type Command } from '../command.ts';
import { openStore } from '../open-store.ts';
import { fraction, loadConfigFile, loadProblems, wholeNumber } from '../run-options.ts';

function printResult(result: EvaluationResult, out: (t: string) => void): void {
  const width = Math.max(...result.problems.map((p) => p.problem.length), 7);
  out(`${'PROBLEM'.padEnd(width)}  SUCCESS  GREEDY  BEST (tests passed)`);
  for (const p of result.problems) {
    const best = p.best_code.split('\n').slice(1).map((l) => l.trim()).join('; ');
    out(`${p.problem.padEnd(width)}  ${`${(p.success_rate * 100).toFixed(0)}%`.padStart(7)}  ${(p.greedy_success ? 'pass' : 'fail').padStart(6)}  ${best} (${p.best_tests_passed}/${p.tests_total})`);
  }
  out(`overall success rate ${(result.success_rate * 100).toFixed(1)}% over ${result.num_episodes} episodes per problem (epsilon ${result.epsilon}); greedy solves ${result.greedy_solved}/${result.problems.length}`);
}

export const evaluateCommand: Command = {
  name: 'evaluate',
  summary: "success rate per problem and the best code found (the seed's evaluate.py)",
  usage: `usage: lab evaluate (--experiment ID | --model CHECKPOINT_DIR | --agent random) --problems FILE|SET
                    [--num-episodes N] [--epsilon E] [--seed S] [--db PATH] [--json]

Runs each problem --num-episodes times (default 50) with exploration --epsilon (default 0.05), plus
one greedy episode, without learning. --experiment uses that run's best checkpoint (else its latest).`,
  options: {
    experiment: { type: 'string' },
    model: { type: 'string' },
    agent: { type: 'string' },
    problems: { type: 'string' },
    config: { type: 'string' },
    'num-episodes': { type: 'string' },
    epsilon: { type: 'string' },
    seed: { type: 'string' },
  },
  async run(args, io) {
    const sources = ['experiment', 'model', 'agent'].filter((k) => args.values[k] !== undefined);
    if (sources.length !== 1) throw new UsageError('name exactly one of --experiment, --model or --agent random');
    if (args.values.agent !== undefined && args.values.agent !== 'random') throw new UsageError('--agent takes only "random" (trained agents come from --experiment or --model)');
    if (typeof args.values.problems !== 'string') throw new UsageError('--problems is required (a problem file or set)');
    const numEpisodes = wholeNumber(args, 'num-episodes', 50);
    const epsilon = fraction(args, 'epsilon', 0.05);
    const seed = wholeNumber(args, 'seed', 1);
    const dbPath = typeof args.values.db === 'string' ? args.values.db : defaultDatabasePath();
    const db = await openStore(args);
    const executor = createExecutor();
    let run: Run | undefined;
    try {
      const { name, problems } = await loadProblems(db, args.values.problems);
      let agent: string;
      let experimentId: number | null = null;
      if (args.values.agent === 'random') {
        const config: TrainingConfig = loadConfigFile(typeof args.values.config === 'string' ? args.values.config : undefined, io).config;
        run = await createRun({ ...config, agent: { ...config.agent, type: 'random' } }, problems, executor, { seed });
        agent = 'random';
      } else {
        const experiment = args.values.experiment === undefined ? undefined : wholeNumber(args, 'experiment', 0);
        const model = await loadModel(db, dbPath, { ...(experiment === undefined ? {} : { experimentId: experiment }), ...(typeof args.values.model === 'string' ? { checkpoint: args.values.model } : {}) });
        run = await createRun(model.config, problems, executor, { seed, saved: model.saved });
        agent = `${model.config.agent.type} (${model.checkpoint})`;
        experimentId = model.experimentId;
      }
      io.err(`evaluating ${agent} on ${problems.length} problems of "${name}"...`);
      const result = await evaluateAgent({ run, agent, numEpisodes, epsilon });
      db.prepare(
        'INSERT INTO evaluations (experiment_id, checkpoint_id, problem_set_name, agent, num_episodes, success_rate, results, created_at) VALUES (?, NULL, ?, ?, ?, ?, ?, ?)',
      ).run(experimentId, name, agent, numEpisodes, result.success_rate, JSON.stringify(result.problems), nowIso());
      if (args.values.json) io.out(JSON.stringify(result, null, 2));
      else printResult(result, io.out);
      return EXIT.ok;
    } finally {
      run?.dispose();
      await executor.close();
      db.close();
    }
  },
};
