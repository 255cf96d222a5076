import { ApiError, apiResponseSchema } from './api-error.ts';
import type { ApiInput, ApiMethodName, ApiOutput, LabBridge, LabClient } from './contract.ts';
import type { LabEvent, LabEventName, LabEventPayload } from './events.ts';

/**
 * The typed client over any transport's raw bridge (IPC preload, HTTP + WebSocket, in-process).
 * A refused call rejects with an ApiError carrying the server's code, message and issues.
 */
export function createLabClient(bridge: LabBridge): LabClient {
  const handlers = new Map<LabEventName, Set<(payload: never) => void>>();
  let detach: (() => void) | undefined;

  const dispatch = (event: LabEvent) => {
    for (const handler of handlers.get(event.name) ?? []) (handler as (payload: unknown) => void)(event.payload);
  };

  return {
    async call<M extends ApiMethodName>(method: M, ...input: [ApiInput<M>?]): Promise<ApiOutput<M>> {
      const raw = await bridge.call(method, input[0]);
      const response = apiResponseSchema.safeParse(raw);
      if (!response.success) throw new ApiError('internal', `malformed response to ${method}`);
      if (!response.data.ok) {
        const { code, message, issues } = response.data.error;
        throw new ApiError(code, message, issues);
      }
      return response.data.result as ApiOutput<M>;
    },
    listen<N extends LabEventName>(name: N, handler: (payload: LabEventPayload<N>) => void): () => void {
      detach ??= bridge.listen(dispatch);
      let set = handlers.get(name);
      if (!set) handlers.set(name, (set = new Set()));
      const stored = handler as (payload: never) => void;
      set.add(stored);
      return () => set.delete(stored);
    },
  } as LabClient;
}
