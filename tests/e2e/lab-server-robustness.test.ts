import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LabApi } from '../../electron/lab/api/create-lab-api.ts';
import { startLabServer, type LabServer } from '../../electron/server/lab-server.ts';
import { ensureRendererBuilt } from '../../electron/server/renderer-build.ts';
import { rawRequest, tryWebSocket } from './support/raw-request.ts';
import { rawExchange } from './support/raw-socket.ts';

/** No request, however malformed, takes the lab server down; each gets a 4xx or is dropped. */
describe('lab server under bad requests', { timeout: 30_000 }, () => {
  let dir: string;
  let server: LabServer;
  const logged: string[] = [];
  const TOKEN = 'robust-token';

  const head = (method: string, path: string, extra = '') =>
    `${method} ${path} HTTP/1.1\r\nHost: 127.0.0.1:${server.port}\r\nAuthorization: Bearer ${TOKEN}\r\n${extra}`;
  const get = (path: string) => rawExchange(server.port, [`${head('GET', path)}Connection: close\r\n\r\n`]);
  const api = (method: string, body = '') =>
    rawRequest(server.port, `/api/${method}`, { host: `127.0.0.1:${server.port}`, 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` }, body);

  /** The server still does its job: the page, an API call, the event stream. */
  async function expectServing(): Promise<void> {
    expect(await get('/')).toBe('HTTP/1.1 200 OK');
    expect(await api('settings.get')).toEqual({ status: 200, body: '{"ok":true,"result":{"theme":"system"}}' });
    expect(await tryWebSocket(server.port, { authorization: `Bearer ${TOKEN}` })).toBe('open');
  }

  beforeAll(async () => {
    ensureRendererBuilt();
    dir = mkdtempSync(join(tmpdir(), 'lab-robust-'));
    server = await startLabServer({
      dbPath: join(dir, 'lab.sqlite'),
      port: 0,
      token: TOKEN,
      log: (line) => logged.push(line),
      routes: async (app) => {
        app.get('/broken', async () => {
          throw new TypeError("Cannot read properties of undefined (reading 'rows')");
        });
      },
    });
  }, 60_000);

  afterAll(async () => {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('answers malformed percent-encoding and NUL bytes in the address with 400', async () => {
    for (const path of ['/%E0', '/assets/%', '/%00', '/api/%E0', '/assets/%E0%A4%A']) {
      expect({ path, status: await get(path) }).toEqual({ path, status: 'HTTP/1.1 400 Bad Request' });
    }
    await expectServing();
  });

  it('answers an over-long address with 431 and a long method name with 404', async () => {
    expect(await get(`/${'a'.repeat(20_000)}`)).toBe('HTTP/1.1 431 Request Header Fields Too Large');
    const long = await api(`settings.${'x'.repeat(5_000)}`, '{}');
    expect([long.status, JSON.parse(long.body).error.code]).toEqual([404, 'unknown_method']);
    await expectServing();
  });

  it('answers unknown and wrong HTTP methods with 400 and 405', async () => {
    expect(await rawExchange(server.port, [`${head('BREW', '/')}\r\n`])).toBe('HTTP/1.1 400 Bad Request');
    expect(await rawExchange(server.port, [`${head('DELETE', '/api/settings.get')}Connection: close\r\n\r\n`])).toBe('HTTP/1.1 405 Method Not Allowed');
    expect(await rawExchange(server.port, ['\x00\x01\x02 garbage\r\n\r\n'])).toBe('HTTP/1.1 400 Bad Request');
    await expectServing();
  });

  it('refuses a body over 10 MB, declared or streamed, with 413', async () => {
    const declared = await rawExchange(server.port, [`${head('POST', '/api/problemSets.import', 'Content-Type: application/json\r\n')}Content-Length: 20000000\r\n\r\n{"files":`]);
    expect(declared).toBe('HTTP/1.1 413 Payload Too Large');
    const chunk = Buffer.alloc(1024 * 1024, 0x20);
    const streamed = await rawExchange(server.port, [
      `${head('POST', '/api/problemSets.import', 'Content-Type: application/json\r\n')}Transfer-Encoding: chunked\r\n\r\n`,
      ...Array.from({ length: 12 }, () => Buffer.concat([Buffer.from(`${chunk.length.toString(16)}\r\n`), chunk, Buffer.from('\r\n')])),
    ]);
    expect(streamed).toBe('HTTP/1.1 413 Payload Too Large');
    await expectServing();
  });

  it('drops truncated bodies and aborted connections, and keeps serving', async () => {
    const truncated = await rawExchange(server.port, [`${head('POST', '/api/settings.set', 'Content-Type: application/json\r\n')}Content-Length: 200\r\n\r\n{"theme":`], { hangUp: true });
    expect(truncated).toBe('dropped');
    expect(await rawExchange(server.port, [`GET / HTTP/1.1\r\nHost: 127.0.0.1:${server.port}\r\nAuthor`], { hangUp: true })).toBe('dropped');
    expect(await rawExchange(server.port, [`${head('GET', '/events')}Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\n`], { hangUp: true })).toBe('dropped');
    await expectServing();
    expect(logged).toEqual([]);
  });

  it('turns an error thrown inside an API handler into a 500 with a short message and a log line', async () => {
    const real = server.api.call;
    (server.api as { call: LabApi['call'] }).call = () => {
      throw new RangeError('the store is on fire\n    at somewhere (store.ts:1:1)');
    };
    try {
      const answer = await api('settings.get');
      expect(answer).toEqual({ status: 500, body: '{"ok":false,"error":{"code":"internal","message":"internal error: the store is on fire"}}' });
    } finally {
      (server.api as { call: LabApi['call'] }).call = real;
    }
    expect(logged).toEqual([expect.stringMatching(/^lab server: POST \/api\/settings\.get failed: RangeError: the store is on fire\n/)]);
    await expectServing();
  });

  it('turns an error thrown inside any other route into a 500 as well', async () => {
    logged.length = 0;
    expect(await get('/broken')).toBe('HTTP/1.1 500 Internal Server Error');
    expect(logged).toEqual([expect.stringMatching(/^lab server: GET \/broken failed: TypeError: Cannot read properties of undefined \(reading 'rows'\)/)]);
    await expectServing();
  });
});
