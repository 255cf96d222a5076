import { ApiError, apiResponseSchema } from '#shared/api/api-error.ts';
import type { ApiInput, ApiMethodName, ApiOutput } from '#shared/api/contract.ts';

/** The lab did not answer (down, paused, unreachable, timed out): try again later. */
export class LabUnreachableError extends Error {
  override name = 'LabUnreachableError';
}

export interface LabEndpoint {
  /** http://HOST:PORT of the lab server (a `?token=` part is ignored). */
  url: string;
  /** The lab's launch token, for the user's own calls; workers authenticate inside the body instead. */
  bearer?: string;
  timeoutMs?: number;
}

/**
 * Calls one API method of a lab server over `POST /api/<method>`. A refusal rejects with the
 * server's ApiError; no answer at all rejects with LabUnreachableError.
 */
export async function callLab<M extends ApiMethodName>(endpoint: LabEndpoint, method: M, input: ApiInput<M>): Promise<ApiOutput<M>> {
  const base = new URL(endpoint.url);
  const target = new URL(`/api/${method}`, `${base.protocol}//${base.host}`);
  let response: Response;
  let text: string;
  try {
    response = await fetch(target, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(endpoint.bearer ? { authorization: `Bearer ${endpoint.bearer}` } : {}) },
      body: JSON.stringify(input),
      signal: AbortSignal.timeout(endpoint.timeoutMs ?? 10_000),
    });
    text = await response.text();
  } catch (error) {
    throw new LabUnreachableError(`the lab at ${target.host} did not answer ${method}: ${(error as Error).message}`);
  }
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new LabUnreachableError(`the lab at ${target.host} answered ${method} with HTTP ${response.status} and no JSON`);
  }
  const parsed = apiResponseSchema.safeParse(body);
  if (!parsed.success) throw new LabUnreachableError(`the lab at ${target.host} answered ${method} with something other than an API response`);
  if (!parsed.data.ok) throw new ApiError(parsed.data.error.code, parsed.data.error.message, parsed.data.error.issues);
  return parsed.data.result as ApiOutput<M>;
}
