import { findProblemSet, listProblems, listProblemSets } from '#lab/store/problem-sets.ts';
import { defaultDatabasePath } from '#lab/store/data-dir.ts';
import { EXIT, RefusedError, UsageError, type Command } from '../command.ts';
import { openStore } from '../open-store.ts';

function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return rows.map((r) => r.map((cell, i) => (i === r.length - 1 ? cell : cell.padEnd(widths[i]!))).join('  ')).join('\n');
}

export const problemsCommand: Command = {
  name: 'problems',
  summary: 'list problem sets, or the problems of one set',
  usage: `usage: lab problems [SET] [--db PATH] [--json]

Without SET: every problem set (bundled ones first). With SET (a name or an id): its problems.
The database defaults to ${defaultDatabasePath()} (LAB_DATA_DIR overrides the folder).`,
  options: {},
  async run(args, io) {
    if (args.positionals.length > 1) throw new UsageError('name at most one problem set');
    const db = await openStore(args);
    try {
      const [setRef] = args.positionals;
      if (setRef === undefined) {
        const sets = listProblemSets(db);
        if (args.values.json) io.out(JSON.stringify(sets, null, 2));
        else {
          io.out(table([
            ['ID', 'NAME', 'PROBLEMS', 'BUNDLED', 'DESCRIPTION'],
            ...sets.map((s) => [String(s.id), s.name, String(s.problem_count), s.bundled ? 'yes' : '', s.description.slice(0, 70)]),
          ]));
        }
        return EXIT.ok;
      }
      const set = findProblemSet(db, setRef);
      if (!set) throw new RefusedError(`no problem set "${setRef}" (see \`lab problems\`)`);
      const problems = listProblems(db, set.id);
      if (args.values.json) io.out(JSON.stringify({ set, problems }, null, 2));
      else {
        io.out(table([
          ['NAME', 'FUNCTION', 'TESTS', 'DOCSTRING'],
          ...problems.map((p) => [
            p.name ?? p.function_name,
            `${p.function_name}(${p.parameters?.join(', ') ?? '?'})`,
            String(p.test_cases.length + (p.assert_tests?.length ?? 0)),
            (p.docstring.trim().split('\n')[0] ?? '').slice(0, 60),
          ]),
        ]));
      }
      return EXIT.ok;
    } finally {
      db.close();
    }
  },
};
