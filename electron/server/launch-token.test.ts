import { parseArgs } from 'node:util';
import { describe, expect, it } from 'vitest';
import { newLaunchToken } from './launch-token.ts';

describe('the launch token', () => {
  it('passes as the value of --token on a command line, every time', () => {
    for (let k = 0; k < 2000; k++) {
      const token = newLaunchToken();
      const { values } = parseArgs({ args: ['--token', token], options: { token: { type: 'string' } } });
      expect(values.token).toBe(token);
    }
  });

  it('carries 24 random bytes', () => {
    expect(newLaunchToken()).toMatch(/^lt_[A-Za-z0-9_-]{32}$/);
  });
});
