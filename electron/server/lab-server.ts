import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import type { ApiErrorCode, ApiResponse } from '#shared/api/api-error.ts';
import { WORKER_METHOD_NAMES } from '#shared/api/sweeps-api.ts';
import { createLabApi, type LabApi } from '#lab/api/create-lab-api.ts';
import { installBundledSets } from '#lab/problems/bundled-sets.ts';
import { openDatabase, type LabDatabase } from '#lab/store/database.ts';
import { TrainerManager, type TrainerSpawner } from '#lab/training/trainer-manager.ts';
import { checkRequest, tokenCookieName, type GuardOptions } from './request-guard.ts';
import { RENDERER_OUT_DIR } from './renderer-build.ts';
import { serveStatic } from './static-files.ts';

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
  /** `redis://[:PASSWORD@]HOST:PORT`: run sweeps through this queue (workers on other hosts). */
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
const STATUS_OF: Record<ApiErrorCode, number> = {
  unknown_method: 404,
  invalid_input: 400,
  not_found: 404,
  conflict: 409,
  not_running: 409,
  unauthorized: 401,
  internal: 500,
};

const SECURITY_HEADERS = {
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
};

function sendJson(response: ServerResponse, status: number, body: ApiResponse): void {
  response.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' }).end(JSON.stringify(body));
}

function refuse(response: ServerResponse, status: number, code: ApiErrorCode, message: string): void {
  sendJson(response, status, { ok: false, error: { code, message } });
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(new Error(`request body over ${MAX_BODY_BYTES} bytes`));
        request.destroy();
      } else chunks.push(chunk);
    });
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}

async function handleApi(api: LabApi, method: string, request: IncomingMessage, response: ServerResponse): Promise<void> {
  if (request.method !== 'POST') return refuse(response, 405, 'invalid_input', 'API calls are POST requests with a JSON body');
  if (!(request.headers['content-type'] ?? '').startsWith('application/json')) {
    return refuse(response, 415, 'invalid_input', 'API calls need content-type: application/json');
  }
  let input: unknown;
  try {
    const text = await readBody(request);
    input = text.trim() === '' ? undefined : JSON.parse(text);
  } catch (error) {
    return refuse(response, 400, 'invalid_input', `the body is not JSON: ${(error as Error).message}`);
  }
  const answer = await api.call(method, input);
  sendJson(response, answer.ok ? 200 : STATUS_OF[answer.error.code], answer);
}

/**
 * The lab server: the built renderer, the API over `POST /api/<method>`, and the event stream over
 * a WebSocket at `/events`, on 127.0.0.1 with a per-launch token.
 */
export async function startLabServer(options: LabServerOptions): Promise<LabServer> {
  const db: LabDatabase = openDatabase(options.dbPath);
  await installBundledSets(db);
  const trainers = new TrainerManager(options.dbPath, options.spawner);
  // BullMQ loads only when a queue is asked for: every other start of the lab stays as quick as it was.
  const sweeps = options.queue ? (await import('#lab/sweeps/start-sweep-queue.ts')).startSweepQueue(db, options.queue, { reconcileMs: options.reconcileMs }) : undefined;
  const api = createLabApi({ db, dbPath: options.dbPath, trainers, ...(sweeps ? { sweeps: sweeps.controller } : {}) });
  const token = options.token ?? randomBytes(24).toString('base64url');
  const host = options.host ?? '127.0.0.1';
  const rendererDir = options.rendererDir ?? RENDERER_OUT_DIR;
  const guard: GuardOptions = { token, port: 0, hostNames: [host] };
  const sockets = new WebSocketServer({ noServer: true, maxPayload: 64 * 1024 });

  const server: Server = createServer((request, response) => {
    for (const [name, value] of Object.entries(SECURITY_HEADERS)) response.setHeader(name, value);
    const verdict = checkRequest(request, guard);
    const url = new URL(request.url ?? '/', 'http://lab.invalid');
    // Workers hold their own token, checked by the worker methods themselves, never the launch token.
    const workerCall = WORKER_METHOD_NAMES.includes(url.pathname.slice('/api/'.length));
    if (!verdict.ok && !(workerCall && verdict.status === 401)) {
      if (url.pathname.startsWith('/api/')) return refuse(response, verdict.status, 'unauthorized', verdict.reason);
      response.writeHead(verdict.status, { 'content-type': 'text/plain; charset=utf-8' }).end(`RL Code Lab: ${verdict.reason}\n`);
      return;
    }
    if (verdict.ok && verdict.viaQuery) {
      // Keep the token in a cookie and out of the address bar, history and Referer headers.
      url.searchParams.delete('token');
      response.writeHead(302, {
        'set-cookie': `${tokenCookieName(guard.port)}=${encodeURIComponent(token)}; HttpOnly; SameSite=Strict; Path=/`,
        location: `${url.pathname}${url.search}`,
      });
      response.end();
      return;
    }
    if (url.pathname.startsWith('/api/')) {
      void handleApi(api, url.pathname.slice('/api/'.length), request, response).catch((error: unknown) =>
        refuse(response, 500, 'internal', (error as Error).message),
      );
      return;
    }
    serveStatic(rendererDir, url.pathname, response);
  });

  server.on('upgrade', (request, socket, head) => {
    const verdict = checkRequest(request, guard);
    const path = new URL(request.url ?? '/', 'http://lab.invalid').pathname;
    if (!verdict.ok || path !== '/events') {
      socket.end(`HTTP/1.1 ${verdict.ok ? '404 Not Found' : `${verdict.status} Refused`}\r\nconnection: close\r\n\r\n`);
      return;
    }
    sockets.handleUpgrade(request, socket, head, (ws) => sockets.emit('connection', ws, request));
  });

  const unsubscribe = api.subscribe((event) => {
    const frame = JSON.stringify(event);
    for (const client of sockets.clients) if (client.readyState === 1) client.send(frame);
  });
  sockets.on('connection', (ws: WebSocket) => {
    ws.on('message', () => {}); // the stream is one-way; requests go over HTTP
    ws.on('error', () => ws.terminate());
  });

  await listen(server, options.port ?? 0, host);
  const port = (server.address() as AddressInfo).port;
  guard.port = port;
  const shownHost = host.includes(':') ? `[${host}]` : host;
  return {
    url: `http://${shownHost}:${port}/?token=${token}`,
    port,
    token,
    ...(sweeps ? { workerToken: sweeps.workerToken } : {}),
    api,
    async close() {
      unsubscribe();
      for (const client of sockets.clients) client.terminate();
      sockets.close();
      await trainers.stopAll();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await api.close();
      db.close();
    },
  };
}

function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException) => {
      if (error.code === 'EADDRINUSE' && port !== 0) {
        // The usual port is taken (another lab?): take any free one rather than fail.
        server.listen(0, host, () => resolve());
      } else reject(error);
    };
    server.once('error', onError);
    server.listen(port, host, () => {
      server.off('error', onError);
      resolve();
    });
  });
}
