import type { ParseArgsConfig } from 'node:util';

/** Exit codes every command keeps: 0 success, 1 refused input, 2 usage error. */
export const EXIT = { ok: 0, refused: 1, usage: 2 } as const;

/** Where a command writes: the result on stdout (JSON with --json), human progress on stderr. */
export interface CommandIo {
  out(text: string): void;
  err(text: string): void;
  /** True when stderr is a terminal (progress bars only then). */
  readonly interactive: boolean;
}

export interface ParsedArgs {
  values: Record<string, string | boolean | (string | boolean)[] | undefined>;
  positionals: string[];
}

export interface Command {
  name: string;
  /** One line for `lab --help`. */
  summary: string;
  /** The usage line(s) and options, for `lab <command> --help`. */
  usage: string;
  options: NonNullable<ParseArgsConfig['options']>;
  run(args: ParsedArgs, io: CommandIo): Promise<number>;
}

/** A usage error: the command line itself is wrong (exit 2). */
export class UsageError extends Error {
  override name = 'UsageError';
}

/** Input was refused (exit 1); the message already holds every precise error. */
export class RefusedError extends Error {
  override name = 'RefusedError';
}
