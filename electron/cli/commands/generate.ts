import { writeFileSync } from 'node:fs';
import { createExecutor } from '#lab/executor/executor.ts';
import { generateProblems } from '#lab/generate/generate-problems.ts';
import { ProblemSetExistsError, saveProblemSet } from '#lab/store/problem-sets.ts';
import { EXIT, UsageError, type Command } from '../command.ts';
import { openStore } from '../open-store.ts';
import { wholeNumber } from '../run-options.ts';

export const generateCommand: Command = {
  name: 'generate',
  summary: 'make a problem set from programs sampled from the grammar and run on generated inputs',
  usage: `usage: lab generate --count N [--seed S] [--set NAME] [--replace] [--out FILE] [--max-steps N] [--db PATH] [--json]

Samples programs from the environment's grammar, runs each in the sandbox on generated inputs
(integers, booleans, lists and strings of several sizes) and keeps the deterministic, error-free,
non-constant ones whose behaviour no earlier program had, as problems with 3-8 input/output tests
and a templated docstring. The same seed gives the same set.

  --set NAME      the set's name (default: generated-SEED)
  --replace       replace an existing set of that name
  --out FILE      also write the problems as a JSON file ({ "problems": [...] }, importable)
  --max-steps N   tokens per sampled program, END included (default 16)`,
  options: {
    count: { type: 'string' },
    seed: { type: 'string' },
    set: { type: 'string' },
    replace: { type: 'boolean', default: false },
    out: { type: 'string' },
    'max-steps': { type: 'string' },
  },
  async run(args, io) {
    if (args.values.count === undefined) throw new UsageError('--count is required (problems to generate)');
    const count = wholeNumber(args, 'count', 0);
    if (count < 1) throw new UsageError('--count must be at least 1');
    const seed = wholeNumber(args, 'seed', 1);
    const maxSteps = wholeNumber(args, 'max-steps', 16);
    if (maxSteps < 4) throw new UsageError('--max-steps must be at least 4');
    const name = typeof args.values.set === 'string' ? args.values.set.trim() : `generated-${seed}`;
    if (name === '') throw new UsageError('--set needs a non-empty name');
    const db = await openStore(args);
    const executor = createExecutor({ cacheSize: 0 });
    const started = performance.now();
    try {
      const report = await generateProblems({
        count,
        seed,
        executor,
        maxSteps,
        onProgress: (kept, sampled) => {
          if (io.interactive) io.err(`\r${kept}/${count} problems from ${sampled} sampled programs`);
        },
      });
      const seconds = (performance.now() - started) / 1000;
      if (io.interactive) io.err('\n');
      const r = report.rejected;
      io.err(
        `${report.problems.length} problems from ${report.sampled} sampled programs (${report.executed} runs) in ${seconds.toFixed(1)} s; ` +
          `left out: ${r.repeated} repeated, ${r.failing} failing a run, ${r.constant} constant, ${r.duplicate} same behaviour as another, ` +
          `${r.nondeterministic} nondeterministic, ${r.unwieldy} with oversized outputs`,
      );
      if (report.problems.length < count) io.err(`only ${report.problems.length} of ${count} problems were found within the sampling limit`);
      let setId: number;
      try {
        setId = saveProblemSet(db, {
          name,
          description: `${report.problems.length} problems generated from the grammar (seed ${seed}, max_steps ${maxSteps})`,
          problems: report.problems,
          replace: args.values.replace === true,
        });
      } catch (error) {
        if (error instanceof ProblemSetExistsError) {
          io.err(error.message);
          return EXIT.refused;
        }
        throw error;
      }
      if (typeof args.values.out === 'string') writeFileSync(args.values.out, `${JSON.stringify({ problems: report.problems }, null, 1)}\n`);
      io.err(`stored as set "${name}"${typeof args.values.out === 'string' ? ` and written to ${args.values.out}` : ''}`);
      if (args.values.json) io.out(JSON.stringify({ set: name, set_id: setId, problems: report.problems.length, sampled: report.sampled, executed: report.executed, rejected: r, seconds }, null, 2));
      return EXIT.ok;
    } finally {
      await executor.close();
      db.close();
    }
  },
};
