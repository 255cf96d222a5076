import { ProblemSetRefusedError, resolveProblemSet } from '#lab/experiments/resolve-problem-set.ts';
import { createExperiment, getExperiment } from '#lab/store/experiments.ts';
import { forkTrainer } from '#lab/training/trainer-client.ts';
import { AGENT_KINDS } from '#shared/experiments/experiment.ts';
import { defaultDatabasePath } from '#lab/store/data-dir.ts';
import { EXIT, RefusedError, UsageError, type Command } from '../command.ts';
import { openStore } from '../open-store.ts';
import { progressLine } from '../progress-line.ts';
import { loadConfigFile, optionalWholeNumber } from '../run-options.ts';

export const trainCommand: Command = {
  name: 'train',
  summary: "train an agent to the end (the seed's train.py), with a progress bar and ETA",
  usage: `usage: lab train [--config FILE] [--problems FILE|SET] [--episodes N] [--seed S] [--name NAME]
                 [--agent ${AGENT_KINDS.join('|')}] [--resume ID] [--db PATH] [--json]

--config takes the seed's YAML keys unchanged (default: data/presets/default.yaml). --problems overrides
data.train_problems: a stored set (name or id) or a problem file. --resume ID continues an
interrupted or stopped experiment from its last checkpoint. Ctrl-C stops cleanly after a checkpoint.`,
  options: {
    config: { type: 'string' },
    problems: { type: 'string' },
    episodes: { type: 'string' },
    seed: { type: 'string' },
    name: { type: 'string' },
    agent: { type: 'string' },
    resume: { type: 'string' },
  },
  async run(args, io) {
    if (args.positionals.length) throw new UsageError(`unexpected argument "${args.positionals[0]}"`);
    const dbPath = typeof args.values.db === 'string' ? args.values.db : defaultDatabasePath();
    const db = await openStore(args);
    let experimentId: number;
    let resume = false;
    try {
      const resumeId = optionalWholeNumber(args, 'resume');
      if (resumeId !== undefined) {
        const experiment = getExperiment(db, resumeId);
        if (!experiment) throw new RefusedError(`no experiment ${resumeId} (see \`lab experiments\`)`);
        if (experiment.status === 'running' || experiment.status === 'paused') {
          throw new RefusedError(`experiment ${resumeId} is ${experiment.status} in another process`);
        }
        experimentId = resumeId;
        resume = true;
      } else {
        const { config, dir: configDir } = loadConfigFile(typeof args.values.config === 'string' ? args.values.config : undefined, io);
        const episodes = optionalWholeNumber(args, 'episodes');
        if (episodes !== undefined) config.training.num_episodes = Math.max(1, episodes);
        const seed = optionalWholeNumber(args, 'seed');
        if (seed !== undefined) config.training.seed = seed;
        const agent = typeof args.values.agent === 'string' ? args.values.agent : config.agent.type;
        if (!(AGENT_KINDS as readonly string[]).includes(agent)) throw new UsageError(`--agent must be one of ${AGENT_KINDS.join(', ')}`);
        config.agent.type = agent as (typeof AGENT_KINDS)[number];
        const reference = typeof args.values.problems === 'string' ? args.values.problems : config.data.train_problems;
        const resolved = await resolveProblemSet(db, reference, configDir).catch((error: unknown) => {
          throw error instanceof ProblemSetRefusedError ? new RefusedError(error.message) : error;
        });
        experimentId = createExperiment(db, {
          name: typeof args.values.name === 'string' ? args.values.name : `${agent} on ${resolved.set.name}`,
          agent,
          problemSetId: resolved.set.id,
          problemSetName: resolved.set.name,
          config: config as unknown as Record<string, unknown>,
          seed: config.training.seed ?? null,
          episodesTotal: config.training.num_episodes,
        });
      }
    } finally {
      db.close();
    }

    const trainer = forkTrainer({ dbPath, experimentId, resume });
    let lastLine = '';
    const stop = () => {
      io.err('\nstopping after a checkpoint (Ctrl-C again to kill)...');
      trainer.send({ type: 'stop' });
      process.once('SIGINT', () => trainer.kill('SIGKILL'));
    };
    process.once('SIGINT', stop);
    trainer.on('event', (event) => {
      if (event.type === 'started') io.err(`experiment ${experimentId}: training on ${event.backend}${event.resumed_from !== null ? `, resumed after episode ${event.resumed_from}` : ''}`);
      else if (event.type === 'progress') {
        lastLine = progressLine(event.progress);
        if (io.interactive) process.stderr.write(`\r${lastLine.padEnd(process.stderr.columns ? process.stderr.columns - 1 : 0)}`);
      } else if (event.type === 'log') io.err(`${io.interactive ? '\n' : ''}${event.level}: ${event.message}`);
    });
    const exit = await trainer.done;
    process.removeListener('SIGINT', stop);
    if (io.interactive) io.err('');
    else if (lastLine) io.err(lastLine);

    const summaryDb = await openStore(args);
    try {
      const experiment = getExperiment(summaryDb, experimentId)!;
      io.err(`experiment ${experimentId} ${exit.status}${exit.error ? `: ${exit.error}` : ''}; best greedy success rate ${experiment.best_success_rate === null ? 'n/a' : `${(experiment.best_success_rate * 100).toFixed(0)}%`}`);
      if (args.values.json) io.out(JSON.stringify({ experiment, exit }, null, 2));
    } finally {
      summaryDb.close();
    }
    return exit.status === 'done' || exit.status === 'stopped' ? EXIT.ok : EXIT.refused;
  },
};
