import { spawn } from 'node:child_process';
import { defaultDatabasePath } from '#lab/store/data-dir.ts';
import { ensureRendererBuilt } from '../../server/renderer-build.ts';
import { parseRedisUrl, redactRedisUrl } from '#lab/sweeps/redis-url.ts';
import { EXIT, UsageError, type Command, type CommandIo, type ParsedArgs } from '../command.ts';

export const DEFAULT_PORT = 5273;

/** Tries the desktop's browser; a headless box simply has none, and the URL is printed anyway. */
function openBrowser(url: string): void {
  const opener = process.platform === 'darwin' ? 'open' : process.platform === 'win32' ? 'explorer' : 'xdg-open';
  if (process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) return;
  try {
    spawn(opener, [url], { stdio: 'ignore', detached: true }).on('error', () => {}).unref();
  } catch {
    // no opener: the printed URL is enough
  }
}

function portOf(args: ParsedArgs): number {
  const raw = args.values.port;
  if (raw === undefined) return DEFAULT_PORT;
  const port = Number(raw);
  if (typeof raw !== 'string' || !Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`--port must be a port number, got "${String(raw)}"`);
  return port;
}

/** Runs the lab server until SIGINT/SIGTERM; shared by `serve` and by `start` without Electron. */
export async function serveLab(args: ParsedArgs, io: CommandIo): Promise<number> {
  const port = portOf(args);
  const host = typeof args.values.host === 'string' ? args.values.host : '127.0.0.1';
  const dbPath = typeof args.values.db === 'string' ? args.values.db : defaultDatabasePath();
  const queue = typeof args.values.queue === 'string' ? args.values.queue : process.env.LAB_QUEUE || undefined;
  if (queue) {
    try {
      parseRedisUrl(queue);
    } catch (error) {
      throw new UsageError(`--queue: ${(error as Error).message}`);
    }
  }
  ensureRendererBuilt((line) => io.err(line));
  // Loaded here, not at the top: the HTTP stack costs every other command its start-up time.
  const { startLabServer } = await import('../../server/lab-server.ts');
  const reconcileMs = Number(process.env.LAB_RECONCILE_MS) || undefined;
  const server = await startLabServer({ dbPath, port, host, ...(queue ? { queue, reconcileMs } : {}) });
  if (args.values.json) io.out(JSON.stringify({ url: server.url, port: server.port, db: dbPath, ...(server.workerToken ? { worker_token: server.workerToken } : {}) }));
  else {
    io.out(`RL Code Lab is running at ${server.url}\n  database: ${dbPath}\n  stop with Ctrl+C`);
    if (queue) io.out(`  sweeps through ${redactRedisUrl(queue)}; workers start with:\n  lab worker --queue ${redactRedisUrl(queue)} --lab ${server.url.split('?')[0]} --token ${server.workerToken}`);
  }
  if (!args.values['no-open']) openBrowser(server.url);
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  io.err('stopping the lab server (running trainers checkpoint first)...');
  await server.close();
  return EXIT.ok;
}

export const SERVE_OPTIONS = {
  port: { type: 'string' },
  host: { type: 'string' },
  'no-open': { type: 'boolean', default: false },
  queue: { type: 'string' },
} as const;

export const serveCommand: Command = {
  name: 'serve',
  summary: 'the lab server: the lab UI and its API in a browser, on 127.0.0.1',
  usage: `usage: lab serve [--port N] [--host 127.0.0.1] [--db PATH] [--no-open] [--queue redis://[[USER]:PASSWORD@]HOST:PORT] [--json]

Serves the lab UI and its API over HTTP and WebSocket. The printed URL carries a per-launch
token; requests without it, or from other origins or host names, are refused.
  --port N     port to listen on (default ${DEFAULT_PORT}; a free one when that is taken; 0: any)
  --host H     address to bind (default 127.0.0.1)
  --no-open    do not open a browser
  --queue URL  run sweeps through this Redis (also LAB_QUEUE); prints a worker token for \`lab worker\`
  --json       print {url, port, db, worker_token} as JSON`,
  options: SERVE_OPTIONS,
  run: serveLab,
};
