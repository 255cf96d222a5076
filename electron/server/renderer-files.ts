import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';
import { existsSync } from 'node:fs';
import { join, sep } from 'node:path';

/**
 * The built renderer: its files, and index.html for any other path (the app routes itself).
 * Hashed files under assets/ never change, so browsers may keep them.
 */
export function rendererFiles(root: string) {
  return async (app: FastifyInstance): Promise<void> => {
    await app.register(fastifyStatic, {
      root,
      cacheControl: false,
      setHeaders: (response, path) =>
        response.setHeader('cache-control', path.includes(`${sep}assets${sep}`) ? 'public, max-age=31536000, immutable' : 'no-cache'),
    });
    app.setNotFoundHandler((request, reply) => {
      if (request.method !== 'GET' && request.method !== 'HEAD') return reply.code(404).type('text/plain').send('not found');
      if (!existsSync(join(root, 'index.html'))) {
        return reply.code(503).type('text/plain').send('the renderer is not built: run `npx electron-vite build`');
      }
      return reply.sendFile('index.html');
    });
  };
}
