/**
 * The trainer process's entry point (child_process.fork from the CLI, the lab server and the app's
 * engine host). It owns one experiment: opens the store, trains, checkpoints, reports.
 * Whatever happens, the experiment ends in a definite status; a kill -9 leaves it "running" with a
 * dead pid, which the next opener of the store marks interrupted.
 */
import { openDatabase } from '#lab/store/database.ts';
import { getExperiment, setExperimentStatus } from '#lab/store/experiments.ts';
import { processChannel } from './trainer-channel.ts';
import type { TrainerStart } from './trainer-client.ts';
import { runTrainingLoop } from './training-loop.ts';

async function main(): Promise<void> {
  const start = JSON.parse(process.argv[2] ?? '{}') as TrainerStart;
  const channel = processChannel();
  const db = openDatabase(start.dbPath);
  const experiment = getExperiment(db, start.experimentId);
  if (!experiment) {
    channel.send({ type: 'finished', experiment_id: start.experimentId, status: 'failed', error: `no experiment ${start.experimentId}` });
    db.close();
    return;
  }
  try {
    const status = await runTrainingLoop({ db, dbPath: start.dbPath, experiment, resume: start.resume, channel });
    channel.send({ type: 'finished', experiment_id: experiment.id, status, error: null });
  } catch (error) {
    const message = error instanceof Error ? `${error.message}` : String(error);
    setExperimentStatus(db, experiment.id, 'failed', { error: message });
    channel.send({ type: 'log', experiment_id: experiment.id, level: 'error', message: error instanceof Error ? (error.stack ?? message) : message });
    channel.send({ type: 'finished', experiment_id: experiment.id, status: 'failed', error: message });
  } finally {
    db.close();
  }
}

await main();
// Let the last messages drain, then leave even if a library keeps a handle open.
setTimeout(() => process.exit(0), 200).unref();
