import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { Redis } from 'ioredis';
import type { ApiInput, ApiMethodName, ApiOutput } from '#shared/api/contract.ts';
import { callLab } from '#lab/sweeps/lab-http-client.ts';
import { queueAclUser } from '#lab/sweeps/queue-acl.ts';
import { parseRedisUrl } from '#lab/sweeps/redis-url.ts';
import { PROJECT_ROOT } from '#lab/paths.ts';

/**
 * A whole sweep setup on loopback (for the sweep tests and bench), every part its own process as on real hosts: redis-server (with
 * a password, appendonly, noeviction), `lab serve --queue`, and `lab worker`s. Test settings shorten
 * the queue's lock and stall check and the reconciler's period.
 */
// The lock must outlast a busy moment of a worker's event loop on a loaded 2-core machine: at 3 s,
// live workers lost their runs to the stall check.
export const TEST_SETTINGS = { lockMs: 8000, stallMs: 2000, reconcileMs: 2000 };
const LAB_CLI = join(PROJECT_ROOT, 'electron', 'cli', 'lab.js');

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

export function waitForLine(child: ChildProcess, stream: 'stdout' | 'stderr', pattern: RegExp, timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    let seen = '';
    const timer = setTimeout(() => reject(new Error(`no line matching ${pattern} within ${timeoutMs} ms; got:\n${seen.slice(-2000)}`)), timeoutMs);
    const onData = (chunk: Buffer) => {
      seen += chunk.toString();
      const line = seen.split('\n').find((l) => pattern.test(l));
      if (line) {
        clearTimeout(timer);
        child[stream]!.off('data', onData);
        resolve(line);
      }
    };
    child[stream]!.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`exited (${code}) before printing ${pattern}:\n${seen.slice(-2000)}`));
    });
  });
}

export function exited(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolve) => child.once('exit', (code) => resolve(code)));
}

/** The pids of a process's descendants, from /proc (for the no-orphan checks). */
export function descendants(pid: number): number[] {
  const children = new Map<number, number[]>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      children.set(ppid, [...(children.get(ppid) ?? []), Number(name)]);
    } catch {
      // gone meanwhile
    }
  }
  const out: number[] = [];
  const walk = (p: number) => {
    for (const c of children.get(p) ?? []) {
      out.push(c);
      walk(c);
    }
  };
  walk(pid);
  return out;
}

export function isAlive(pid: number): boolean {
  try {
    const state = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return state.slice(state.lastIndexOf(')') + 2, state.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}

/** The Redis user of the lab and its workers, limited by the queue's ACL rules. */
export const QUEUE_USER = 'lab';

/**
 * redis-server as the README sets it up: the default user behind an admin password, and the queue's
 * own ACL user (limited to the queue's keys) for the lab and the workers.
 */
export class RedisProcess {
  child!: ChildProcess;
  readonly adminPassword = `admin-${Math.random().toString(36).slice(2)}`;
  constructor(
    readonly dir: string,
    readonly port: number,
    readonly password: string,
  ) {}

  /** The queue URL of the lab and its workers: the ACL user. */
  get url(): string {
    return this.urlAs(QUEUE_USER, this.password);
  }

  /** A URL with other credentials (user '' is the default user; password '' sends none). */
  urlAs(user: string, password: string): string {
    const auth = user || password ? `${user}${password ? `:${password}` : ''}@` : '';
    return `redis://${auth}127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    mkdirSync(this.dir, { recursive: true });
    this.child = spawn(
      'redis-server',
      [
        ...['--port', String(this.port), '--bind', '127.0.0.1', '--dir', this.dir, '--appendonly', 'yes', '--maxmemory-policy', 'noeviction'],
        ...['--requirepass', this.adminPassword, '--user', ...queueAclUser(QUEUE_USER, this.password), '--save', '', '--protected-mode', 'yes'],
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    await waitForLine(this.child, 'stdout', /Ready to accept connections/, 20_000);
  }

  /** What Redis refused anyone since it started (ACL LOG), as "user: reason object (context)". */
  async aclDenials(): Promise<string[]> {
    const admin = new Redis({ ...parseRedisUrl(this.urlAs('', this.adminPassword)), lazyConnect: true, maxRetriesPerRequest: 0 });
    try {
      await admin.connect();
      const entries = (await admin.call('ACL', 'LOG', '1000')) as (string | number)[][];
      return entries.map((entry) => {
        const field = (name: string) => String(entry[entry.indexOf(name) + 1]);
        return `${field('username')}: ${field('reason')} ${field('object')} (${field('context')})`;
      });
    } finally {
      admin.disconnect();
    }
  }

  async kill9(): Promise<void> {
    this.child.kill('SIGKILL');
    await exited(this.child);
  }
}

export interface LabProcess {
  child: ChildProcess;
  url: string;
  token: string;
  workerToken: string;
  dbPath: string;
  log: string[];
}

export interface Cluster {
  dir: string;
  redis: RedisProcess;
  lab: LabProcess;
  workers: ChildProcess[];
  call<M extends ApiMethodName>(method: M, input: ApiInput<M>): Promise<ApiOutput<M>>;
  startWorker(options?: { concurrency?: number; token?: string; queue?: string; env?: Record<string, string> }): ChildProcess;
  /** Starts a worker and waits until it says it takes runs. */
  readyWorker(options?: { concurrency?: number }): Promise<ChildProcess>;
  createSweep(yaml: string): Promise<{ sweep_id: number; runs: number[] }>;
  waitForSweep(id: number, timeoutMs: number): Promise<ApiOutput<'sweeps.get'>>;
  /** The lab's database, read-only, for the storage checks. */
  readDb(): Database.Database;
  /** What a worker wrote on stderr so far. */
  workerLog(pid: number): string;
  close(): Promise<void>;
}

export async function startLab(dbPath: string, queue: string, reconcileMs = TEST_SETTINGS.reconcileMs): Promise<LabProcess> {
  const child = spawn(process.execPath, [LAB_CLI, 'serve', '--port', '0', '--db', dbPath, '--queue', queue, '--json', '--no-open'], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, LAB_RECONCILE_MS: String(reconcileMs) },
  });
  const log: string[] = [];
  child.stderr!.on('data', (chunk: Buffer) => log.push(chunk.toString()));
  const line = await waitForLine(child, 'stdout', /^\{/, 120_000);
  const info = JSON.parse(line) as { url: string; worker_token: string };
  const url = new URL(info.url);
  return { child, url: `${url.protocol}//${url.host}`, token: url.searchParams.get('token')!, workerToken: info.worker_token, dbPath, log };
}

export async function startCluster(name: string): Promise<Cluster> {
  const dir = mkdtempSync(join(tmpdir(), `lab-sweep-${name}-`));
  const redis = new RedisProcess(join(dir, 'redis'), await freePort(), `pw-${Math.random().toString(36).slice(2)}`);
  await redis.start();
  const lab = await startLab(join(dir, 'lab.sqlite'), redis.url);
  const workers: ChildProcess[] = [];
  const cluster: Cluster = {
    dir,
    redis,
    lab,
    workers,
    call: (method, input) => callLab({ url: cluster.lab.url, bearer: cluster.lab.token, timeoutMs: 30_000 }, method, input),
    startWorker(options = {}) {
      const child = spawn(
        process.execPath,
        [LAB_CLI, 'worker', '--queue', options.queue ?? redis.url, '--lab', cluster.lab.url, '--token', options.token ?? cluster.lab.workerToken, '--concurrency', String(options.concurrency ?? 1)],
        {
          stdio: ['ignore', 'pipe', 'pipe'],
          env: { ...process.env, LAB_WORKER_LOCK_MS: String(TEST_SETTINGS.lockMs), LAB_WORKER_STALL_MS: String(TEST_SETTINGS.stallMs), ...options.env },
        },
      );
      child.stdout!.resume();
      const log = createWriteStream(join(dir, `worker-${child.pid}.log`));
      child.stderr!.pipe(log);
      workers.push(child);
      return child;
    },
    async readyWorker(options = {}) {
      const child = cluster.startWorker(options);
      await waitForLine(child, 'stderr', /is taking runs/, 60_000);
      return child;
    },
    async createSweep(yaml) {
      const file = join(dir, `sweep-${Date.now()}.yaml`);
      writeFileSync(file, yaml);
      const result = await new Promise<{ code: number | null; out: string; err: string }>((resolve) => {
        const child = spawn(process.execPath, [LAB_CLI, 'sweep', 'create', file, '--lab', cluster.lab.url, '--token', cluster.lab.token, '--json'], { stdio: ['ignore', 'pipe', 'pipe'] });
        let out = '';
        let err = '';
        child.stdout.on('data', (c: Buffer) => (out += c.toString()));
        child.stderr.on('data', (c: Buffer) => (err += c.toString()));
        child.on('exit', (code) => resolve({ code, out, err }));
      });
      if (result.code !== 0) throw new Error(`lab sweep create exited ${result.code}: ${result.err}`);
      return JSON.parse(result.out) as { sweep_id: number; runs: number[] };
    },
    async waitForSweep(id, timeoutMs) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const sweep = await cluster.call('sweeps.get', { id });
        const open = sweep.runs.filter((r) => !['done', 'failed', 'stopped'].includes(r.status));
        if (open.length === 0) return sweep;
        if (Date.now() > deadline) throw new Error(`sweep ${id} not finished after ${timeoutMs} ms: ${JSON.stringify(sweep.counts)}\nlab log:\n${lab.log.join('').slice(-3000)}`);
        await new Promise((resolve) => setTimeout(resolve, 500));
      }
    },
    workerLog: (pid) => {
      try {
        return readFileSync(join(dir, `worker-${pid}.log`), 'utf8');
      } catch {
        return '';
      }
    },
    readDb: () => new Database(cluster.lab.dbPath, { readonly: true, fileMustExist: true }),
    async close() {
      for (const w of workers) if (w.exitCode === null && w.signalCode === null) w.kill('SIGKILL');
      await Promise.all(workers.map(exited));
      cluster.lab.child.kill('SIGCONT');
      cluster.lab.child.kill('SIGTERM');
      await Promise.race([exited(cluster.lab.child), new Promise((r) => setTimeout(r, 10_000))]);
      if (cluster.lab.child.exitCode === null) cluster.lab.child.kill('SIGKILL');
      await redis.kill9();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return cluster;
}

/**
 * A short DQN sweep on the seed's training problems: real trainers, tiny network, few episodes.
 * `training` adds or replaces keys of the base's training section.
 */
export function tinySweep(name: string, runs: number, episodes: number, extra = '', training: Record<string, number> = {}): string {
  const section = { num_episodes: episodes, save_frequency: 10, eval_frequency: 1000, keep_checkpoints: 2, ...training };
  return `name: ${name}
base:
  agent: {type: dqn, hidden_dim: 16, batch_size: 8, learning_starts: 20, buffer_capacity: 500}
  environment: {max_steps: 12}
  training: {${Object.entries(section).map(([key, value]) => `${key}: ${value}`).join(', ')}}
problems: seed-train
method: grid
parameters:
  training.seed: {values: [${Array.from({ length: runs }, (_, i) => i + 1).join(', ')}]}
${extra}`;
}
