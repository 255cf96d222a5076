import { BENCHES, type BenchReport } from '#lab/bench/registry.ts';
import { EXIT, UsageError, type Command } from '../command.ts';

function table(report: BenchReport): string {
  const width = Math.max(...report.rows.map(([label]) => label.length));
  return [`${report.name}`, ...report.rows.map(([label, value, unit]) => `  ${label.padEnd(width)}  ${String(value).padStart(10)}  ${unit}`)].join('\n');
}

export const benchCommand: Command = {
  name: 'bench',
  summary: 'benchmarks, each beside its baseline: a table on stderr, JSON with --json',
  usage: `usage: lab bench [${[...BENCHES.map((b) => b.name), 'all'].join('|')}] [--json]

${BENCHES.map((b) => `  ${b.name}: ${b.summary}`).join('\n')}
Numbers are ratios against a baseline measured in the same run; the table goes to stderr, and with
--json the results go to stdout as one JSON object keyed by bench name.`,
  options: {},
  async run(args, io) {
    const [which = 'all', ...extra] = args.positionals;
    if (extra.length) throw new UsageError('name one bench, or all');
    const chosen = which === 'all' ? BENCHES : BENCHES.filter((b) => b.name === which);
    if (!chosen.length) throw new UsageError(`unknown bench "${which}" (known: ${BENCHES.map((b) => b.name).join(', ')}, all)`);
    const results: Record<string, unknown> = {};
    for (const bench of chosen) {
      io.err(`bench ${bench.name}: running...`);
      const report = await bench.run();
      io.err(table(report));
      results[bench.name] = report.json;
      Object.assign(results, report.sections ?? {});
    }
    if (args.values.json) io.out(JSON.stringify(results, null, 2));
    return EXIT.ok;
  },
};
