import type { LabDatabase } from '#lab/store/database.ts';
import { createExperiment, setExperimentStatus } from '#lab/store/experiments.ts';
import { RunWriter } from '#lab/store/run-writer.ts';
import { Rng } from '#lab/random/rng.ts';

export interface SweepShape {
  runs: number;
  /** Points per metric per run. */
  points: number;
  metrics: readonly string[];
  /** Seeds per learning rate: runs that differ only by seed form groups. */
  seedsPerValue?: number;
}

/**
 * Finished runs of a learning-rate sweep written straight to the store, as the trainer's RunWriter
 * writes them: noisy learning curves whose level depends on the learning rate, for the compare
 * benchmark and the compare-at-scale UI test (their speed depends on how many points there are, not
 * on how they were learnt). Returns the experiment ids in order.
 */
export function writeSweepRuns(db: LabDatabase, shape: SweepShape, seed = 1): number[] {
  const rng = new Rng(seed);
  const perValue = shape.seedsPerValue ?? 1;
  const ids: number[] = [];
  for (let r = 0; r < shape.runs; r++) {
    const value = Math.floor(r / perValue);
    const learningRate = Number((1e-4 * (1 + value)).toPrecision(6));
    const runSeed = (r % perValue) + 1;
    const id = createExperiment(db, {
      name: `sweep lr ${learningRate} seed ${runSeed}`,
      agent: 'dqn',
      problemSetId: null,
      problemSetName: 'sweep',
      config: { agent: { learning_rate: learningRate }, training: { num_episodes: shape.points, seed: runSeed } },
      seed: runSeed,
      episodesTotal: shape.points,
    });
    const writer = new RunWriter(db, id, 50_000);
    const level = Math.sin(value) * 2;
    for (let p = 1; p <= shape.points; p++) {
      const progress = p / shape.points;
      shape.metrics.forEach((name, m) => {
        const curve = m === 0 ? level + 10 * progress : m === 1 ? Math.min(1, progress * (1 + value / 20)) : 1 / (1 + p * 0.01 * (1 + value / 10));
        writer.metric(name, p * 8, p, p * 0.05, curve + (rng.next() - 0.5) * (m === 1 ? 0.2 : 1));
      });
    }
    writer.flush();
    setExperimentStatus(db, id, 'done');
    ids.push(id);
  }
  return ids;
}
