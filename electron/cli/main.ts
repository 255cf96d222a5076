import { parseArgs } from 'node:util';
import { EXIT, RefusedError, UsageError, type Command, type CommandIo } from './command.ts';
import { COMMANDS } from './commands/index.ts';

const GLOBAL_OPTIONS = {
  db: { type: 'string' },
  json: { type: 'boolean', default: false },
  help: { type: 'boolean', short: 'h', default: false },
} as const;

function overview(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  return [
    'lab: RL Code Lab from the command line',
    '',
    'usage: lab <command> [options]   (also: npm run lab -- <command> [options])',
    '',
    ...COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    'global options:',
    '  --db PATH   the SQLite database (default: the app data folder, see `lab problems --help`)',
    '  --json      machine-readable result on stdout; progress stays on stderr',
    '  -h, --help  this text, or a command\'s own with `lab <command> --help`',
    '',
    'exit codes: 0 success, 1 refused input, 2 usage error',
  ].join('\n');
}

const processIo: CommandIo = {
  out: (text) => process.stdout.write(text.endsWith('\n') ? text : `${text}\n`),
  err: (text) => process.stderr.write(text.endsWith('\n') ? text : `${text}\n`),
  interactive: Boolean(process.stderr.isTTY),
};

/** Runs one command line; returns the exit code. */
export async function main(argv: string[], io: CommandIo = processIo): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    io.out(overview());
    return name === undefined ? EXIT.usage : EXIT.ok;
  }
  const command: Command | undefined = COMMANDS.find((c) => c.name === name);
  if (!command) {
    io.err(`lab: unknown command "${name}". Commands: ${COMMANDS.map((c) => c.name).join(', ')}`);
    return EXIT.usage;
  }
  let parsed;
  try {
    parsed = parseArgs({
      args: rest,
      options: { ...GLOBAL_OPTIONS, ...command.options },
      allowPositionals: true,
      strict: true,
    });
  } catch (error) {
    io.err(`lab ${name}: ${(error as Error).message}\n\n${command.usage}`);
    return EXIT.usage;
  }
  if (parsed.values.help) {
    io.out(command.usage);
    return EXIT.ok;
  }
  try {
    return await command.run(parsed, io);
  } catch (error) {
    if (error instanceof UsageError) {
      io.err(`lab ${name}: ${error.message}\n\n${command.usage}`);
      return EXIT.usage;
    }
    if (error instanceof RefusedError) {
      io.err(error.message);
      return EXIT.refused;
    }
    throw error;
  }
}
