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
const PAIRS = 2;

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
 * Training throughput with the agent diagnostics recorded and without, in the same process: runs
 * alternate (off, on, off, on) with the same seed, so drift in the machine's load falls on both.
 */
export async function runDiagnosticsBench(): Promise<{ episodes: number; pairs: number; off: number[]; on: number[]; offMean: number; onMean: number; overheadPercent: number; recordingPercent: number }> {
  const off: number[] = [];
  const on: number[] = [];
  let onSeconds = 0;
  const busyBefore = DiagnosticsRecorder.busyMs;
  for (let k = 0; k < PAIRS; k++) {
    off.push((await episodesPerSecond(false, 11)).perSecond);
    const run = await episodesPerSecond(true, 11);
    on.push(run.perSecond);
    onSeconds += run.seconds;
  }
  // The recorder's own time inside the runs with diagnostics: a cost that the machine's load cannot blur.
  const recordingPercent = ((DiagnosticsRecorder.busyMs - busyBefore) / 1000 / onSeconds) * 100;
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  const offMean = mean(off);
  const onMean = mean(on);
  return { episodes: EPISODES, pairs: PAIRS, off, on, offMean, onMean, overheadPercent: (1 - onMean / offMean) * 100, recordingPercent };
}
