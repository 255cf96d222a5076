import Fastify, { type FastifyError, type FastifyInstance } from 'fastify';
import { newLaunchToken } from './launch-token.ts';
import type { AddressInfo } from 'node:net';
import { WORKER_METHOD_NAMES } from '#shared/api/sweeps-api.ts';
import type { LabApi } from '#lab/api/create-lab-api.ts';
import { openLabEngine } from '#lab/api/lab-engine.ts';
import type { TrainerSpawner } from '#lab/training/trainer-manager.ts';
import { apiRoutes, refuse } from './api-routes.ts';
import { eventStream } from './event-stream.ts';
import { RENDERER_OUT_DIR } from './renderer-build.ts';
import { rendererFiles } from './renderer-files.ts';
import { checkRequest, tokenCookieName, type GuardOptions } from './request-guard.ts';

export interface LabServerOptions {
  dbPath: string;
  /** 0 picks a free port. */
  port?: number;
  host?: string;
  /** Fixed only in tests; a fresh random token per launch otherwise. */
  token?: string;
  rendererDir?: string;
  /** How trainers start (tests pass a scripted one). */
  spawner?: TrainerSpawner;
  /** More routes, registered behind the same access checks and error handling. */
  routes?: (app: FastifyInstance) => Promise<void>;
  /** Where a failed request is logged (stderr by default). */
  log?: (line: string) => void;
  /** `redis://[[USER]:PASSWORD@]HOST:PORT`: run sweeps through this queue (workers on other hosts). */
  queue?: string;
  /** How often the sweep reconciler runs (tests shorten it). */
  reconcileMs?: number;
}

export interface LabServer {
  url: string;
  port: number;
  token: string;
  /** With a queue: a fresh worker token for `lab worker --token` (shown once). */
  workerToken?: string;
  api: LabApi;
  close(): Promise<void>;
}

const MAX_BODY_BYTES = 10 * 1024 * 1024;

const SECURITY_HEADERS = {
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
};

/** What a browser or a client sees of an error: its first line, never a stack. */
function shortMessage(error: Error): string {
  const line = (error.message || error.name).split('\n')[0]!;
  return line.length > 200 ? `${line.slice(0, 200)}...` : line;
}

/**
 * The lab server: the built renderer, the API over `POST /api/<method>`, and the event stream over
 * a WebSocket at `/events`, on 127.0.0.1 with a per-launch token. No request takes it down: a
 * malformed one gets a 4xx (or its connection dropped), an error inside a handler a 500 and a
 * log line.
 */
export async function startLabServer(options: LabServerOptions): Promise<LabServer> {
  const engine = await openLabEngine({
    dbPath: options.dbPath,
    ...(options.spawner ? { spawner: options.spawner } : {}),
    ...(options.queue ? { queue: options.queue, ...(options.reconcileMs ? { reconcileMs: options.reconcileMs } : {}) } : {}),
  });
  const token = options.token ?? newLaunchToken();
  const host = options.host ?? '127.0.0.1';
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const guard: GuardOptions = { token, port: 0, hostNames: [host] };
  const server: LabServer = { url: '', port: 0, token, api: engine.api, ...(engine.workerToken ? { workerToken: engine.workerToken } : {}), close: async () => {} };

  const app = Fastify({
    logger: false,
    bodyLimit: MAX_BODY_BYTES,
    forceCloseConnections: true,
    // A URL the router cannot decode (`/%E0`) is the client's error, said the API's way.
    frameworkErrors: (error, _request, reply) => refuse(reply, 400, 'invalid_input', shortMessage(error)),
  });

  app.setErrorHandler((error: FastifyError, request, reply) => {
    const status = error.statusCode !== undefined && error.statusCode >= 400 && error.statusCode < 500 ? error.statusCode : 500;
    if (status === 500) log(`lab server: ${request.method} ${request.url.slice(0, 200)} failed: ${error.stack ?? error.message}`);
    if (reply.sent || request.socket.destroyed) return;
    return refuse(reply, status, status === 500 ? 'internal' : 'invalid_input', status === 500 ? `internal error: ${shortMessage(error)}` : shortMessage(error));
  });

  app.addHook('onRequest', async (request, reply) => {
    reply.headers(SECURITY_HEADERS);
    if (/%00|\0/.test(request.url)) return refuse(reply, 400, 'invalid_input', 'the address contains a NUL byte');
    const verdict = checkRequest(request.raw, guard);
    // Workers hold their own token, checked by the worker methods themselves, never the launch token.
    const workerCall = request.url.startsWith('/api/') && WORKER_METHOD_NAMES.includes(request.url.slice('/api/'.length).split('?')[0]!);
    if (!verdict.ok && workerCall && verdict.status === 401) return;
    if (!verdict.ok && request.headers.upgrade) {
      // A refused WebSocket upgrade owns its socket: close it once the refusal is written.
      reply.header('connection', 'close');
      reply.raw.once('finish', () => request.raw.socket.destroy());
    }
    if (!verdict.ok) {
      if (request.url.startsWith('/api/')) return refuse(reply, verdict.status, 'unauthorized', verdict.reason);
      return reply.code(verdict.status).type('text/plain; charset=utf-8').send(`RL Code Lab: ${verdict.reason}\n`);
    }
    if (verdict.viaQuery) {
      // Keep the token in a cookie and out of the address bar, history and Referer headers.
      const url = new URL(request.url, 'http://lab.invalid');
      url.searchParams.delete('token');
      return reply
        .code(302)
        .header('set-cookie', `${tokenCookieName(guard.port)}=${encodeURIComponent(token)}; HttpOnly; SameSite=Strict; Path=/`)
        .header('location', `${url.pathname}${url.search}`)
        .send();
    }
  });

  await app.register(eventStream(engine.api));
  await app.register(apiRoutes(engine.api));
  if (options.routes) await app.register(options.routes);
  await app.register(rendererFiles(options.rendererDir ?? RENDERER_OUT_DIR));

  await listen(app, options.port ?? 0, host);
  const port = (app.server.address() as AddressInfo).port;
  guard.port = port;
  const shownHost = host.includes(':') ? `[${host}]` : host;
  server.url = `http://${shownHost}:${port}/?token=${token}`;
  server.port = port;
  server.close = async () => {
    await engine.trainers.stopAll();
    await app.close();
    await engine.close();
  };
  return server;
}

async function listen(app: FastifyInstance, port: number, host: string): Promise<void> {
  try {
    await app.listen({ port, host });
  } catch (error) {
    // The usual port is taken (another lab?): take any free one rather than fail.
    if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE' || port === 0) throw error;
    await app.listen({ port: 0, host });
  }
}
