import { readFileSync, statSync } from 'node:fs';
import { importProblemFiles, type ImportSource } from '#lab/problems/import-problems.ts';
import { ProblemSetExistsError, saveProblemSet } from '#lab/store/problem-sets.ts';
import { formatImportMessage, type ImportReport } from '#shared/problems/import-report.ts';
import { EXIT, UsageError, type Command, type CommandIo } from '../command.ts';
import { openStore } from '../open-store.ts';

function readSources(paths: string[]): ImportSource[] {
  return paths.map((path) => {
    let isFile = false;
    try {
      isFile = statSync(path).isFile();
    } catch {
      throw new UsageError(`${path}: no such file`);
    }
    if (!isFile) throw new UsageError(`${path}: not a file`);
    return { path, bytes: readFileSync(path) };
  });
}

function printReport(report: ImportReport, io: CommandIo): void {
  for (const file of report.files) {
    const extras = [
      file.asserts_kept ? `${file.asserts_kept} asserts kept as assert tests` : '',
      file.tests_skipped ? `${file.tests_skipped} tests skipped` : '',
    ].filter(Boolean);
    io.err(`${file.file}: ${file.format}, ${file.problems} problems, ${file.test_pairs} test pairs${extras.length ? `, ${extras.join(', ')}` : ''}`);
  }
  for (const warning of report.warnings) io.err(formatImportMessage(warning));
  if (report.warning_count > report.warnings.length) {
    io.err(`... and ${report.warning_count - report.warnings.length} more warnings`);
  }
  for (const error of report.errors) io.err(formatImportMessage(error));
  if (report.error_count > report.errors.length) io.err(`... and ${report.error_count - report.errors.length} more errors`);
}

export const importCommand: Command = {
  name: 'import',
  summary: 'import problem files (seed JSON, JSONL, HumanEval, MBPP) into a problem set, all or nothing',
  usage: `usage: lab import FILE... [--set NAME] [--replace] [--dry-run] [--db PATH] [--json]

Formats are detected: the seed's JSON (an array of problems or { "problems": [...] }), JSON Lines
with one problem per line, HumanEval JSONL (prompt/test/entry_point, also .jsonl.gz) and MBPP JSONL
(text/code/test_list). All files of one command go into one set; one bad problem and nothing is
stored, with every error listed as file:line:column: path: message.

  --set NAME   the set's name (default: the file's "name" field, else the first file's name)
  --replace    replace an existing set of that name instead of refusing
  --dry-run    check and report, store nothing`,
  options: {
    set: { type: 'string' },
    replace: { type: 'boolean', default: false },
    'dry-run': { type: 'boolean', default: false },
  },
  async run(args, io) {
    if (args.positionals.length === 0) throw new UsageError('name at least one file to import');
    const setName = typeof args.values.set === 'string' ? args.values.set.trim() : undefined;
    if (setName === '') throw new UsageError('--set needs a non-empty name');
    const dryRun = args.values['dry-run'] === true;
    const sources = readSources(args.positionals);
    const outcome = await importProblemFiles(sources, setName ? { setName } : {});
    const report: ImportReport = { ...outcome.report, dry_run: dryRun };
    if (report.ok && !dryRun) {
      const db = await openStore(args);
      try {
        report.set_id = saveProblemSet(db, {
          name: report.set,
          description: outcome.description,
          sourceFiles: sources.map((s) => s.path),
          problems: outcome.problems,
          replace: args.values.replace === true,
        });
      } catch (error) {
        if (!(error instanceof ProblemSetExistsError)) throw error;
        report.ok = false;
        report.errors.push({ severity: 'error', file: sources[0]!.path, message: error.message });
        report.error_count++;
        report.problems = [];
      } finally {
        db.close();
      }
    }
    printReport(report, io);
    if (report.ok) {
      const count = report.problems.length;
      io.err(dryRun ? `${count} problems would be imported into "${report.set}" (dry run: nothing stored)` : `imported ${count} problems into set "${report.set}" (id ${report.set_id})`);
    } else {
      io.err(`nothing imported: ${report.error_count} error${report.error_count === 1 ? '' : 's'}`);
    }
    if (args.values.json) io.out(JSON.stringify(report, null, 2));
    return report.ok ? EXIT.ok : EXIT.refused;
  },
};
