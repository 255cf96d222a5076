import { ApiError } from '#shared/api/api-error.ts';
import type { SweepDetail } from '#shared/api/sweeps-api.ts';
import { callLab, LabUnreachableError, type LabEndpoint } from '#lab/sweeps/lab-http-client.ts';
import { EXIT, RefusedError, UsageError, type Command, type CommandIo, type ParsedArgs } from '../command.ts';
import { readSweepFile } from '../read-sweep-file.ts';

/** The lab to talk to: --lab (the URL `lab serve` printed; its ?token= is used when --token is absent). */
function endpointOf(args: ParsedArgs): LabEndpoint {
  const lab = typeof args.values.lab === 'string' ? args.values.lab : process.env.LAB_URL;
  if (!lab) throw new UsageError('--lab URL is required (the URL `lab serve` printed)');
  let url: URL;
  try {
    url = new URL(lab);
  } catch {
    throw new UsageError(`--lab: "${lab}" is not a URL`);
  }
  const token = typeof args.values.token === 'string' ? args.values.token : (url.searchParams.get('token') ?? process.env.LAB_TOKEN);
  if (!token) throw new UsageError('--token is required (the token in the URL `lab serve` printed)');
  return { url: lab, bearer: token };
}

function ids(args: ParsedArgs, from: number): number[] {
  const list = args.positionals.slice(from).map(Number);
  if (list.length === 0 || list.some((n) => !Number.isInteger(n) || n <= 0)) throw new UsageError('expected one or more sweep ids');
  return list;
}

async function call<T>(what: () => Promise<T>): Promise<T> {
  try {
    return await what();
  } catch (error) {
    if (error instanceof ApiError) throw new RefusedError(`lab sweep: ${error.message}${error.issues?.length ? `\n${error.issues.map((i) => `  ${i.path}: ${i.message}`).join('\n')}` : ''}`);
    if (error instanceof LabUnreachableError) throw new RefusedError(`lab sweep: ${error.message}`);
    throw error;
  }
}

function statusLines(sweep: SweepDetail): string[] {
  const counts = Object.entries(sweep.counts).map(([s, n]) => `${n} ${s === 'created' ? 'queued' : s}`).join(', ');
  return [
    `sweep ${sweep.id} "${sweep.name}" (${sweep.method}${sweep.stopped ? ', stopped' : ''}): ${sweep.runs_total} runs: ${counts}`,
    ...sweep.runs.map(
      (r) => `  run ${r.experiment_id}  ${(r.status === 'created' ? 'queued' : r.status).padEnd(11)} ${r.episodes_done}/${r.episodes_total} episodes  attempts ${r.attempts}${r.worker_host ? `  on ${r.worker_host}` : ''}${r.error ? `  (${r.error.split('\n')[0]})` : ''}`,
    ),
  ];
}

async function runSweep(args: ParsedArgs, io: CommandIo): Promise<number> {
  const [action] = args.positionals;
  const json = Boolean(args.values.json);
  if (action === 'create') {
    const file = args.positionals[1];
    if (!file) throw new UsageError('lab sweep create FILE');
    const read = readSweepFile(file);
    if (!read.ok) throw new RefusedError(read.errors.join('\n'));
    for (const warning of read.warnings) io.err(warning);
    const endpoint = endpointOf(args);
    const created = await call(() => callLab(endpoint, 'sweeps.create', read.spec));
    if (json) io.out(JSON.stringify(created));
    else io.out(`sweep ${created.sweep_id}: ${created.runs.length} runs queued (experiments ${created.runs[0]}-${created.runs.at(-1)})`);
    return EXIT.ok;
  }
  if (action === 'status') {
    const endpoint = endpointOf(args);
    const sweeps: SweepDetail[] = [];
    for (const id of ids(args, 1)) sweeps.push(await call(() => callLab(endpoint, 'sweeps.get', { id })));
    if (json) io.out(JSON.stringify(sweeps.map((s) => ({ sweep_id: s.id, name: s.name, stopped: s.stopped, counts: s.counts, runs: s.runs }))));
    else io.out(sweeps.flatMap(statusLines).join('\n'));
    return EXIT.ok;
  }
  if (action === 'stop') {
    const endpoint = endpointOf(args);
    for (const id of ids(args, 1)) {
      const summary = await call(() => callLab(endpoint, 'sweeps.stop', { id }));
      io.out(json ? JSON.stringify(summary) : `sweep ${id} stopped`);
    }
    return EXIT.ok;
  }
  if (action === 'token') {
    const endpoint = endpointOf(args);
    const [, verb, arg] = args.positionals;
    if (verb === 'create') {
      const made = await call(() => callLab(endpoint, 'workerTokens.create', { name: arg ?? 'worker' }));
      io.out(json ? JSON.stringify(made) : `worker token ${made.id}: ${made.token}`);
    } else if (verb === 'revoke' && arg) {
      const done = await call(() => callLab(endpoint, 'workerTokens.revoke', { id: Number(arg) }));
      io.out(json ? JSON.stringify(done) : done.revoked ? `worker token ${arg} revoked` : `worker token ${arg} was already revoked or unknown`);
    } else if (verb === 'list' || verb === undefined) {
      const tokens = await call(() => callLab(endpoint, 'workerTokens.list', {}));
      io.out(json ? JSON.stringify(tokens) : tokens.map((t) => `${t.id}  ${t.name}${t.revoked_at ? `  (revoked ${t.revoked_at})` : ''}`).join('\n'));
    } else throw new UsageError('lab sweep token [list | create NAME | revoke ID]');
    return EXIT.ok;
  }
  throw new UsageError(action ? `unknown sweep action "${action}"` : 'expected an action: create, status, stop or token');
}

export const sweepCommand: Command = {
  name: 'sweep',
  summary: 'create, watch and stop sweeps run by workers (a lab started with --queue)',
  usage: `usage: lab sweep create FILE --lab URL --token TOKEN [--json]
       lab sweep status ID... --lab URL --token TOKEN [--json]
       lab sweep stop ID... --lab URL --token TOKEN
       lab sweep token [list | create NAME | revoke ID] --lab URL --token TOKEN

A sweep file names a base config (a preset path or an inline config), a problem set, a method
(grid or random) and the parameters to vary, in the conventions of W&B sweeps:
  name: lr-by-seed
  base: data/presets/fast.yaml
  problems: seed-train
  method: grid
  parameters:
    agent.learning_rate: {values: [0.0001, 0.0005]}
    training.seed: {values: [1, 2, 3]}
Random sweeps take count: N and ranges {min, max, distribution: uniform|log_uniform|int_uniform}.
  --lab URL      the lab server (the URL \`lab serve\` printed; its token is used when --token is absent)
  --token TOKEN  the lab's launch token
  --json         create prints {sweep_id, runs}; status prints each run's status and attempts`,
  options: { lab: { type: 'string' }, token: { type: 'string' } },
  run: runSweep,
};
