import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

/**
 * Who may talk to the lab server. A page on another site can reach 127.0.0.1 through the victim's
 * browser (cross-origin requests, DNS rebinding), so every request must name this server in its
 * Host, come from its own origin when a browser says where it comes from, and carry the per-launch
 * token (cookie, `?token=` or `Authorization: Bearer`), as Jupyter does.
 */
export interface GuardOptions {
  token: string;
  port: number;
  /** Host names the server answers to besides 127.0.0.1, localhost and [::1]. */
  hostNames?: string[];
}

export type GuardVerdict = { ok: true; viaQuery: boolean } | { ok: false; status: 401 | 403; reason: string };

export function tokenCookieName(port: number): string {
  // Cookies ignore ports: two labs on one machine each need their own name.
  return `lab_token_${port}`;
}

function allowedHosts(options: GuardOptions): Set<string> {
  const names = ['127.0.0.1', 'localhost', '[::1]', ...(options.hostNames ?? [])];
  return new Set(names.map((name) => `${name}:${options.port}`.toLowerCase()));
}

function sameToken(given: string | undefined, token: string): boolean {
  if (!given) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

function cookieValue(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const [key, ...rest] = part.trim().split('=');
    if (key === name) return decodeURIComponent(rest.join('='));
  }
  return undefined;
}

export function checkRequest(request: IncomingMessage, options: GuardOptions): GuardVerdict {
  const hosts = allowedHosts(options);
  const host = (request.headers.host ?? '').toLowerCase();
  if (!hosts.has(host)) return { ok: false, status: 403, reason: `host "${host}" is not this lab server` };
  const origin = request.headers.origin;
  if (origin !== undefined) {
    let originHost: string;
    try {
      const url = new URL(origin);
      originHost = url.protocol === 'http:' ? url.host.toLowerCase() : '';
    } catch {
      originHost = '';
    }
    if (!hosts.has(originHost)) return { ok: false, status: 403, reason: `origin "${origin}" may not use this lab server` };
  }
  const url = new URL(request.url ?? '/', 'http://lab.invalid');
  const queryToken = url.searchParams.get('token') ?? undefined;
  const bearer = /^Bearer (.+)$/.exec(request.headers.authorization ?? '')?.[1];
  const cookie = cookieValue(request.headers.cookie, tokenCookieName(options.port));
  if (sameToken(queryToken, options.token)) return { ok: true, viaQuery: true };
  if (sameToken(bearer, options.token) || sameToken(cookie, options.token)) return { ok: true, viaQuery: false };
  return { ok: false, status: 401, reason: 'a token is required: open the URL the lab printed when it started' };
}
