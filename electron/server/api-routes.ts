import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ApiErrorCode, ApiResponse } from '#shared/api/api-error.ts';
import type { LabApi } from '#lab/api/create-lab-api.ts';

const STATUS_OF: Record<ApiErrorCode, number> = {
  unknown_method: 404,
  invalid_input: 400,
  not_found: 404,
  conflict: 409,
  not_running: 409,
  unauthorized: 401,
  internal: 500,
};

export function sendApiResponse(reply: FastifyReply, status: number, body: ApiResponse): FastifyReply {
  return reply.code(status).header('cache-control', 'no-store').type('application/json').send(JSON.stringify(body));
}

export function refuse(reply: FastifyReply, status: number, code: ApiErrorCode, message: string): FastifyReply {
  return sendApiResponse(reply, status, { ok: false, error: { code, message } });
}

/**
 * The API over HTTP: every method of the contract at `POST /api/<method>` with a JSON body (empty
 * for no input), answered with the API's own response and the status its error code maps to.
 */
export function apiRoutes(api: LabApi) {
  return async (app: FastifyInstance): Promise<void> => {
    app.removeAllContentTypeParsers();
    app.addContentTypeParser('application/json', { parseAs: 'string' }, (_request, text, done) => {
      if ((text as string).trim() === '') return done(null, undefined);
      try {
        done(null, JSON.parse(text as string));
      } catch (error) {
        done(Object.assign(new Error(`the body is not JSON: ${(error as Error).message}`), { statusCode: 400 }), undefined);
      }
    });
    app.post<{ Params: { method: string } }>('/api/:method', async (request, reply) => {
      if (!(request.headers['content-type'] ?? '').startsWith('application/json')) {
        return refuse(reply, 415, 'invalid_input', 'API calls need content-type: application/json');
      }
      const answer = await api.call(request.params.method, request.body);
      return sendApiResponse(reply, answer.ok ? 200 : STATUS_OF[answer.error.code], answer);
    });
    // What the method route cannot take: another HTTP method, or a name past the router's length limit.
    app.all('/api/*', async (request, reply) =>
      request.method === 'POST'
        ? refuse(reply, 404, 'unknown_method', `no API method "${request.url.slice('/api/'.length, 60)}..."`)
        : refuse(reply, 405, 'invalid_input', 'API calls are POST requests with a JSON body'),
    );
  };
}
