import fastifyWebsocket from '@fastify/websocket';
import type { FastifyInstance } from 'fastify';
import type { WebSocket } from 'ws';
import type { LabApi } from '#lab/api/create-lab-api.ts';

/** The API's events, one JSON frame each, to every WebSocket open at `/events` (one-way). */
export function eventStream(api: LabApi) {
  return async (app: FastifyInstance): Promise<void> => {
    const clients = new Set<WebSocket>();
    await app.register(fastifyWebsocket, { options: { maxPayload: 64 * 1024 } });
    const unsubscribe = api.subscribe((event) => {
      const frame = JSON.stringify(event);
      for (const client of clients) if (client.readyState === 1) client.send(frame);
    });
    app.addHook('preClose', async () => {
      unsubscribe();
      for (const client of clients) client.terminate();
    });
    app.get('/events', { websocket: true }, (socket) => {
      clients.add(socket);
      socket.on('close', () => clients.delete(socket));
      socket.on('message', () => {}); // requests go over HTTP
      socket.on('error', () => socket.terminate());
    });
  };
}
