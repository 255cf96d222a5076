import { describe, expect, it } from 'vitest';
import { parseRedisUrl, redactRedisUrl } from './redis-url.ts';

describe('queue URLs', () => {
  it('log in as an ACL user when the URL names one', () => {
    expect(parseRedisUrl('redis://lab:s3cret@queue-host:6380')).toEqual({ host: 'queue-host', port: 6380, username: 'lab', password: 's3cret' });
  });

  it('log in as the default user when only a password is given', () => {
    expect(parseRedisUrl('redis://:s3cret@queue-host')).toEqual({ host: 'queue-host', port: 6379, password: 's3cret' });
  });

  it('decode escaped characters of the user and password', () => {
    expect(parseRedisUrl('redis://lab%2Dworkers:p%40ss%3Aword@[::1]:6379/2')).toEqual({ host: '::1', port: 6379, username: 'lab-workers', password: 'p@ss:word', db: 2 });
  });

  it('say what was expected of a URL that is not one', () => {
    expect(() => parseRedisUrl('queue-host:6379')).toThrow('"queue-host:6379": only redis:// queues are supported');
    expect(() => parseRedisUrl('not a url')).toThrow('"not a url" is not a queue URL: expected redis://[[USER]:PASSWORD@]HOST:PORT');
  });

  it('hide the password in logs, keeping the user', () => {
    expect(redactRedisUrl('redis://lab:s3cret@queue-host:6380')).toBe('redis://lab:***@queue-host:6380');
    expect(redactRedisUrl('redis://:s3cret@queue-host:6380')).toBe('redis://:***@queue-host:6380');
  });
});
