import { fork } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { TrainerEvent } from '#shared/training/trainer-events.ts';
import { TrainerHandle } from './trainer-client.ts';

/** A child that sends one malformed message, then one trainer event, then ends. */
function childSending(messages: unknown[]): TrainerHandle {
  const script = join(mkdtempSync(join(tmpdir(), 'lab-trainer-msg-')), 'child.cjs');
  writeFileSync(script, `const m = ${JSON.stringify(messages)};\nlet i = 0;\nconst next = () => i < m.length ? process.send(m[i++], next) : process.disconnect();\nnext();\n`);
  return new TrainerHandle(7, fork(script, [], { stdio: ['ignore', 'ignore', 'ignore', 'ipc'], serialization: 'advanced' }));
}

describe('TrainerHandle', () => {
  it('logs a message that is not a trainer event, naming what is wrong, and keeps relaying', async () => {
    const handle = childSending([
      { type: 'progress', progress: { experiment_id: 7, episode: 'three' } },
      { type: 'log', experiment_id: 7, level: 'info', message: 'after' },
    ]);
    const events: TrainerEvent[] = [];
    handle.on('event', (e) => events.push(e));
    await handle.done;
    expect(events).toHaveLength(2);
    expect(events[0]).toMatchObject({ type: 'log', experiment_id: 7, level: 'error' });
    expect((events[0] as { message: string }).message).toMatch(/^the trainer sent a message that is not a trainer event \(progress\.episode: .+\), ignored: \{"type":"progress"/);
    expect(events[1]).toEqual({ type: 'log', experiment_id: 7, level: 'info', message: 'after' });
  });
});
