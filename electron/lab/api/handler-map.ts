import type { ApiMethodName, ApiOutput, ApiParsedInput } from '#shared/api/contract.ts';
import type { ApiContext } from './api-context.ts';

export type Handler<M extends ApiMethodName> = (input: ApiParsedInput<M>, ctx: ApiContext) => ApiOutput<M> | Promise<ApiOutput<M>>;

/** Handlers for some of the API's methods; the full map is checked to cover every one. */
export type HandlerMap<K extends ApiMethodName> = { [M in K]: Handler<M> };
