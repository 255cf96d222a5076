import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLabServer, type LabServer } from '../../electron/server/lab-server.ts';
import { rawRequest, tryWebSocket } from './support/raw-request.ts';

/** The lab server refuses anyone without the token, and browsers on other sites or host names. */
describe('lab server access checks', () => {
  let dir: string;
  let server: LabServer;
  let host: string;
  const json = { 'content-type': 'application/json' };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'lab-guard-'));
    server = await startLabServer({ dbPath: join(dir, 'lab.sqlite'), port: 0, token: 'test-token-123' });
    host = `127.0.0.1:${server.port}`;
  }, 60_000);

  afterAll(async () => {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('prints a URL carrying the token', () => {
    expect(server.url).toBe(`http://127.0.0.1:${server.port}/?token=test-token-123`);
  });

  it('answers API calls that carry the token', async () => {
    const ok = await rawRequest(server.port, '/api/settings.get', { host, ...json, authorization: 'Bearer test-token-123' }, '');
    expect([ok.status, JSON.parse(ok.body)]).toEqual([200, { ok: true, result: { theme: 'system' } }]);
  });

  it('refuses requests without the token or with a wrong one (401)', async () => {
    const none = await rawRequest(server.port, '/api/experiments.list', { host, ...json }, '');
    expect(none.status).toBe(401);
    expect(JSON.parse(none.body).error.code).toBe('unauthorized');
    expect((await rawRequest(server.port, '/', { host, cookie: `lab_token_${server.port}=wrong` })).status).toBe(401);
    expect((await rawRequest(server.port, '/api/experiments.list', { host, ...json, authorization: 'Bearer nope' }, '')).status).toBe(401);
  });

  it('refuses a foreign Host (DNS rebinding) and a foreign Origin, token or not (403)', async () => {
    const auth = { authorization: 'Bearer test-token-123', ...json };
    expect((await rawRequest(server.port, '/api/experiments.list', { host: `evil.example:${server.port}`, ...auth }, '')).status).toBe(403);
    expect((await rawRequest(server.port, '/api/experiments.list', { host, origin: 'http://evil.example', ...auth }, '')).status).toBe(403);
    expect((await rawRequest(server.port, '/api/experiments.list', { host, origin: `http://${host}`, ...auth }, '')).status).toBe(200);
  });

  it('sets the token cookie from the URL and redirects to a clean address', async () => {
    const first = await rawRequest(server.port, '/?token=test-token-123', { host });
    expect(first.status).toBe(302);
  });

  it('answers bad input with a typed error, not a crash', async () => {
    const auth = { host, authorization: 'Bearer test-token-123', ...json };
    const notJson = await rawRequest(server.port, '/api/experiments.get', auth, '{oops');
    expect([notJson.status, JSON.parse(notJson.body).error.code]).toEqual([400, 'invalid_input']);
    const wrong = await rawRequest(server.port, '/api/experiments.get', auth, '{"id": -1}');
    expect(wrong.status).toBe(400);
    expect(JSON.parse(wrong.body).error.issues[0].path).toBe('id');
    const unknown = await rawRequest(server.port, '/api/nothing.here', auth, '{}');
    expect([unknown.status, JSON.parse(unknown.body).error.code]).toEqual([404, 'unknown_method']);
  });

  it('guards the event WebSocket the same way', async () => {
    expect(await tryWebSocket(server.port, {})).toBe(401);
    expect(await tryWebSocket(server.port, { cookie: `lab_token_${server.port}=test-token-123`, origin: 'http://evil.example' })).toBe(403);
    expect(await tryWebSocket(server.port, { cookie: `lab_token_${server.port}=test-token-123`, origin: `http://${host}` })).toBe('open');
  });
});
