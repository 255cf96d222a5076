import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pgConfigSchema } from '#lab/agents/policy-gradient/pg-config.ts';
import { createExecutor } from '#lab/executor/executor.ts';
import { BUNDLED_PROBLEMS_DIR, PRETRAINED_POLICY_DIR } from '#lab/paths.ts';
import { savePolicyModel } from '#lab/pretraining/policy-model.ts';
import { buildCorpus } from '#lab/pretraining/pretraining-corpus.ts';
import { pretrainPolicy } from '#lab/pretraining/supervised-pretraining.ts';
import { mbppTrainSplit } from '#lab/pretraining/training-split.ts';
import { importProblemFiles } from '#lab/problems/import-problems.ts';
import type { Problem } from '#shared/problems/problem.ts';
import { EXIT, UsageError, type Command } from '../command.ts';
import { wholeNumber } from '../run-options.ts';

async function bundled(file: string): Promise<Problem[]> {
  const path = join(BUNDLED_PROBLEMS_DIR, file);
  const outcome = await importProblemFiles([{ path, bytes: readFileSync(path) }]);
  if (!outcome.report.ok) throw new Error(`${path} did not import`);
  return outcome.problems;
}

export const pretrainCommand: Command = {
  name: 'pretrain',
  summary: 'pretrain the policy on generated problems (+ seed-train and MBPP train split) for solve',
  usage: `usage: lab pretrain [--out DIR] [--generated N] [--seed S] [--epochs E] [--hidden H]
                    [--search-budget B] [--generated-only] [--json]

Builds a corpus of generated problems (as \`lab generate\` makes them, each with its program), plus
the problems of seed-train and MBPP's train split (tasks 601-974, never the test split 11-510 or
HumanEval) for which bottom-up enumeration finds a program, and trains the policy network to write
those programs from the tests' property signatures. The model folder is what \`lab solve\` starts
the pretrained agent from (default: ${PRETRAINED_POLICY_DIR}). docs/pretraining.md has the details.

  --generated N      generated problems (default 40000)
  --epochs E         passes over the corpus (default 3)
  --hidden H         width of the network's two hidden layers (default 256)
  --search-budget B  candidates enumerated per seed-train/MBPP problem (default 1000)
  --generated-only   leave seed-train and MBPP out`,
  options: {
    out: { type: 'string' },
    generated: { type: 'string' },
    seed: { type: 'string' },
    epochs: { type: 'string' },
    hidden: { type: 'string' },
    'search-budget': { type: 'string' },
    'generated-only': { type: 'boolean', default: false },
  },
  async run(args, io) {
    const out = typeof args.values.out === 'string' ? args.values.out : PRETRAINED_POLICY_DIR;
    const generated = wholeNumber(args, 'generated', 40_000);
    const seed = wholeNumber(args, 'seed', 1);
    const epochs = wholeNumber(args, 'epochs', 3);
    const hidden = wholeNumber(args, 'hidden', 256);
    const searchBudget = wholeNumber(args, 'search-budget', 1000);
    if (generated < 1 || epochs < 1 || hidden < 8) throw new UsageError('--generated and --epochs must be at least 1, --hidden at least 8');
    const maxSteps = 16;
    const started = performance.now();
    const searched = args.values['generated-only'] ? [] : [...(await bundled('seed-train.json')), ...mbppTrainSplit(await bundled('mbpp.jsonl'))];
    const executor = createExecutor({ cacheSize: 0 });
    try {
      const corpus = await buildCorpus({ executor, generated, seed, maxSteps, searched, searchBudget, onProgress: (m) => io.err(m) });
      const corpusSeconds = (performance.now() - started) / 1000;
      io.err(`corpus: ${corpus.generated} generated problems + ${corpus.searchedFound} of ${corpus.searched} training problems with a program found, ${corpusSeconds.toFixed(0)} s`);
      const trainStart = performance.now();
      // How solve samples and fine-tunes the model on a problem's own tests: Adam at 3e-4 rather
      // than 1e-3, at which the policy collapses onto partly right programs, and temperature 0.8
      // (docs/pretraining.md has the counts).
      const pg = pgConfigSchema.parse({ hidden_dim: hidden, learning_rate: 3e-4, temperature: 0.8 });
      const network = await pretrainPolicy(corpus, {
        epochs, hidden, learningRate: 1e-3, batchSize: 32, seed, maxSteps,
        onEpoch: (epoch, loss, examples, seconds) => io.err(`epoch ${epoch}/${epochs}: loss ${loss.toFixed(3)} over ${examples} decisions, ${seconds.toFixed(0)} s`),
      });
      const trainSeconds = (performance.now() - trainStart) / 1000;
      const trainedOn = {
        generated: corpus.generated, generated_seed: seed, searched_sets: searched.length ? ['seed-train', 'mbpp train split (tasks 601-974)'] : [],
        searched_problems: corpus.searched, searched_found: corpus.searchedFound, epochs, corpus_seconds: Math.round(corpusSeconds), train_seconds: Math.round(trainSeconds),
      };
      savePolicyModel(out, network, { max_steps: maxSteps, state_layout: 'signatures', pg, trained_on: trainedOn });
      io.err(`model written to ${out} (${((performance.now() - started) / 1000).toFixed(0)} s in all)`);
      if (args.values.json) io.out(JSON.stringify({ out, ...trainedOn }, null, 2));
      return EXIT.ok;
    } finally {
      await executor.close();
    }
  },
};
