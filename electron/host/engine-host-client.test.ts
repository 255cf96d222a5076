import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EngineHost } from './engine-host-client.ts';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('EngineHost', () => {
  let dir: string;
  let host: EngineHost;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'lab-host-'));
    host = await EngineHost.start({ nodePath: process.execPath, dbPath: join(dir, 'lab.sqlite') });
  }, 60_000);

  afterAll(async () => {
    await host.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('answers API calls with the API response, refusals included', async () => {
    expect(await host.call('settings.get', undefined)).toEqual({ ok: true, result: { theme: 'system' } });
    const refused = await host.call('experiments.get', { id: -1 });
    expect(refused).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    expect(await host.call('no.such', {})).toEqual({ ok: false, error: { code: 'unknown_method', message: 'no API method "no.such"' } });
  });

  it('pushes the engine events', async () => {
    const seen: unknown[] = [];
    const unsubscribe = host.subscribe((event) => seen.push(event));
    await host.call('settings.set', { theme: 'dark' });
    await expect.poll(() => seen).toEqual([{ name: 'SettingsChanged', payload: { theme: 'dark' } }]);
    unsubscribe();
  });

  it('stops, after which calls are refused with the reason instead of hanging', async () => {
    const pid = host.pid!;
    await host.stop();
    expect(alive(pid)).toBe(false);
    expect(await host.call('settings.get', undefined)).toEqual({ ok: false, error: { code: 'internal', message: 'the lab engine stopped (exit code 0)' } });
  });
});

describe('EngineHost.start', () => {
  it('says why when the store cannot be opened', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'lab-host-bad-')), 'not-a-folder');
    await import('node:fs').then((fs) => fs.writeFileSync(file, 'x'));
    await expect(EngineHost.start({ nodePath: process.execPath, dbPath: join(file, 'lab.sqlite') })).rejects.toThrow(/^the lab engine could not start: /);
  }, 60_000);

  it('says which executable could not be run', async () => {
    await expect(EngineHost.start({ nodePath: '/nonexistent/node', dbPath: '/tmp/x.sqlite' })).rejects.toThrow(
      'the lab engine could not start (/nonexistent/node): spawn /nonexistent/node ENOENT',
    );
  });
});
