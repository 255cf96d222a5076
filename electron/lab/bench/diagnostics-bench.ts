import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { DiagnosticsRecorder } from '#lab/diagnostics/diagnostics-recorder.ts';
import { PRESETS_DIR } from '#lab/paths.ts';
import { installBundledSets } from '#lab/problems/bundled-sets.ts';
import { openDatabase } from '#lab/store/database.ts';
import { createExperiment, getExperiment } from '#lab/store/experiments.ts';
import { findProblemSet } from '#lab/store/problem-sets.ts';
import { runTrainingLoop } from '#lab/training/training-loop.ts';
import { parseConfigObject } from '#shared/config/parse-config-yaml.ts';

const EPISODES = 200;
const PAIRS = 3;

/** Episodes per second of one run of the default preset on seed-train, diagnostics on or off, and the seconds it took. */
async function episodesPerSecond(diagnostics: boolean, seed: number): Promise<{ perSecond: number; seconds: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'lab-diagnostics-bench-'));
  try {
    const dbPath = join(dir, 'lab.sqlite');
    const db = openDatabase(dbPath);
    await installBundledSets(db);
    const set = findProblemSet(db, 'seed-train')!;
    const preset = parse(readFileSync(join(PRESETS_DIR, 'default.yaml'), 'utf8')) as Record<string, Record<string, unknown>>;
    const config = parseConfigObject({ ...preset, training: { ...preset.training, num_episodes: EPISODES, seed, diagnostics } }).config!;
    const id = createExperiment(db, { name: 'bench', agent: config.agent.type, problemSetId: set.id, problemSetName: set.name, config: config as unknown as Record<string, unknown>, seed, episodesTotal: EPISODES });
    const t0 = performance.now();
    await runTrainingLoop({ db, dbPath, experiment: getExperiment(db, id)!, resume: false, channel: { send: () => {}, onCommand: () => {}, onParentGone: () => {} } });
    const seconds = (performance.now() - t0) / 1000;
    db.close();
    return { perSecond: EPISODES / seconds, seconds };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Training throughput with the agent diagnostics recorded and without, in the same process. A
 * first run warms the process (JIT, kernels, sandbox pool) and is not counted; then pairs alternate
 * their order (off on, on off, ...) with the same seed, so drift in the machine's load falls on
 * both sides, and each pair gives one on/off ratio: the median ratio is the reported cost.
 */
export async function runDiagnosticsBench(): Promise<{ episodes: number; pairs: number; off: number[]; on: number[]; offMean: number; onMean: number; ratios: number[]; medianRatio: number; overheadPercent: number; recordingPercent: number }> {
  const off: number[] = [];
  const on: number[] = [];
  const ratios: number[] = [];
  let onSeconds = 0;
  await episodesPerSecond(false, 11);
  const busyBefore = DiagnosticsRecorder.busyMs;
  for (let k = 0; k < PAIRS; k++) {
    const pair: Record<'off' | 'on', number> = { off: 0, on: 0 };
    for (const recorded of k % 2 === 0 ? [false, true] : [true, false]) {
      const run = await episodesPerSecond(recorded, 11);
      pair[recorded ? 'on' : 'off'] = run.perSecond;
      if (recorded) onSeconds += run.seconds;
    }
    off.push(pair.off);
    on.push(pair.on);
    ratios.push(pair.on / pair.off);
  }
  // The recorder's own time inside the runs with diagnostics: a cost that the machine's load cannot blur.
  const recordingPercent = ((DiagnosticsRecorder.busyMs - busyBefore) / 1000 / onSeconds) * 100;
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  const medianRatio = [...ratios].sort((a, b) => a - b)[Math.floor(ratios.length / 2)]!;
  return { episodes: EPISODES, pairs: PAIRS, off, on, offMean: mean(off), onMean: mean(on), ratios, medianRatio, overheadPercent: (1 - medianRatio) * 100, recordingPercent };
}
