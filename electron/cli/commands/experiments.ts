import { writeFileSync } from 'node:fs';
import { getExperiment, listExperiments } from '#lab/store/experiments.ts';
import { metricsLongCsv } from '#shared/compare/export-format.ts';
import { allMetrics } from '#lab/store/compare-series.ts';
import { metricNames, metricsCsv, readMetrics } from '#lab/store/metrics.ts';
import { EXIT, RefusedError, UsageError, type Command } from '../command.ts';
import { openStore } from '../open-store.ts';

function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return rows.map((r) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]!))).join('  ')).join('\n');
}

const percent = (x: number | null) => (x === null ? '' : `${(x * 100).toFixed(0)}%`);

export const experimentsCommand: Command = {
  name: 'experiments',
  summary: 'list experiments, show one, or export its metrics as CSV or JSON',
  usage: `usage: lab experiments [list]
       lab experiments show ID
       lab experiments export ID [--format csv|json] [--out FILE]   (default: csv to stdout)
       lab experiments export ID ID... [--format csv|json] [--out FILE]
         several runs, as the compare view exports them: CSV in long format
         (experiment_id, experiment, metric, step, episode, wall_time, value), JSON with each run's config`,
  options: { format: { type: 'string' }, out: { type: 'string' } },
  async run(args, io) {
    const [action = 'list', idText, ...extra] = args.positionals;
    if (extra.length && action !== 'export') throw new UsageError(`unexpected argument "${extra[0]}"`);
    const db = await openStore(args);
    try {
      if (action === 'list') {
        const experiments = listExperiments(db);
        if (args.values.json) io.out(JSON.stringify(experiments, null, 2));
        else
          io.out(table([
            ['ID', 'NAME', 'AGENT', 'PROBLEMS', 'STATUS', 'EPISODES', 'BEST', 'BACKEND'],
            ...experiments.map((e) => [String(e.id), e.name, e.agent, e.problem_set_name, e.status, `${e.episodes_done}/${e.episodes_total}`, percent(e.best_success_rate), e.backend ?? '']),
          ]));
        return EXIT.ok;
      }
      if (!idText || !/^\d+$/.test(idText)) throw new UsageError(`"${action}" needs an experiment id`);
      const experiment = getExperiment(db, Number(idText));
      if (!experiment) throw new RefusedError(`no experiment ${idText} (see \`lab experiments\`)`);
      if (action === 'show') {
        const names = metricNames(db, experiment.id);
        if (args.values.json) io.out(JSON.stringify({ experiment, metrics: names }, null, 2));
        else {
          const { config, ...rest } = experiment;
          io.out(Object.entries(rest).map(([k, v]) => `${k.padEnd(18)} ${Array.isArray(v) ? v.join(', ') : String(v ?? '')}`).join('\n'));
          io.out(`metrics            ${names.join(', ')}`);
          io.out(`config             ${JSON.stringify(config)}`);
        }
        return EXIT.ok;
      }
      if (action === 'export' && extra.length) return exportSeveral(db, [experiment.id, ...extra], args, io);
      if (action === 'export') {
        const format = args.values.format ?? 'csv';
        if (format !== 'csv' && format !== 'json') throw new UsageError('--format must be csv or json');
        const points = readMetrics(db, experiment.id);
        const text = format === 'csv' ? metricsCsv(points) : `${JSON.stringify({ experiment, metrics: points }, null, 2)}\n`;
        if (typeof args.values.out === 'string') {
          writeFileSync(args.values.out, text);
          io.err(`wrote ${points.length} metric points to ${args.values.out}`);
        } else io.out(text);
        return EXIT.ok;
      }
      throw new UsageError(`unknown action "${action}" (list, show, export)`);
    } finally {
      db.close();
    }
  },
};

/** `lab experiments export 1 2 3`: what the compare view's "all metrics" export writes. */
function exportSeveral(db: Awaited<ReturnType<typeof openStore>>, ids: (number | string)[], args: Parameters<Command['run']>[0], io: Parameters<Command['run']>[1]): number {
  const format = args.values.format ?? 'csv';
  if (format !== 'csv' && format !== 'json') throw new UsageError('--format must be csv or json');
  const experiments = ids.map((raw) => {
    if (!/^\d+$/.test(String(raw))) throw new UsageError(`"${raw}" is not an experiment id`);
    const found = getExperiment(db, Number(raw));
    if (!found) throw new RefusedError(`no experiment ${raw} (see \`lab experiments\`)`);
    return found;
  });
  const points = allMetrics(db, experiments.map((e) => e.id));
  const nameOf = new Map(experiments.map((e) => [e.id, e.name]));
  const text =
    format === 'csv'
      ? metricsLongCsv(points.map((p) => ({ ...p, experiment: nameOf.get(p.experiment_id) ?? '' })))
      : `${JSON.stringify({ runs: experiments.map((e) => ({ experiment: e, metrics: points.filter((p) => p.experiment_id === e.id) })) }, null, 2)}\n`;
  if (typeof args.values.out === 'string') {
    writeFileSync(args.values.out, text);
    io.err(`wrote ${points.length} metric points of ${experiments.length} runs to ${args.values.out}`);
  } else io.out(text);
  return EXIT.ok;
}
