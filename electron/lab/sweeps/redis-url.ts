/** Connection settings from `redis://[[USER]:PASSWORD@]HOST:PORT[/DB]`. */
export interface RedisTarget {
  host: string;
  port: number;
  username?: string;
  password?: string;
  db?: number;
}

export function parseRedisUrl(text: string): RedisTarget {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new Error(`"${text}" is not a queue URL: expected redis://[[USER]:PASSWORD@]HOST:PORT`);
  }
  if (url.protocol !== 'redis:') throw new Error(`"${text}": only redis:// queues are supported`);
  if (!url.hostname) throw new Error(`"${text}": the queue URL needs a host`);
  const db = url.pathname.replace(/^\//, '');
  if (db && !/^\d+$/.test(db)) throw new Error(`"${text}": the path must be a database number`);
  return {
    host: url.hostname.replace(/^\[(.*)\]$/, '$1'),
    port: url.port ? Number(url.port) : 6379,
    ...(url.username ? { username: decodeURIComponent(url.username) } : {}),
    ...(url.password ? { password: decodeURIComponent(url.password) } : {}),
    ...(db ? { db: Number(db) } : {}),
  };
}

/** The URL with its password hidden, for logs. */
export function redactRedisUrl(text: string): string {
  return text.replace(/\/\/([^@/]*)@/, (_, auth: string) => `//${auth.includes(':') ? `${auth.split(':')[0]}:***` : '***'}@`);
}
