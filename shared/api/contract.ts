import type { z } from 'zod';
import { catalogMethods } from './catalog-api.ts';
import { compareMethods } from './compare-api.ts';
import { diagnosticsMethods } from './diagnostics-api.ts';
import { episodeMethods } from './episodes-api.ts';
import { experimentMethods } from './experiments-api.ts';
import { labMethods } from './lab-api.ts';
import type { LabEvent, LabEventName, LabEventPayload } from './events.ts';
import { problemSetMethods } from './problem-sets-api.ts';
import { runMethods } from './runs-api.ts';
import { settingsMethods } from './settings-api.ts';
import { solveMethods } from './solves-api.ts';
import { sweepMethods } from './sweeps-api.ts';

/** The whole request side of the API: `noun.verb` -> input and output schemas. */
export const apiMethods = {
  ...catalogMethods,
  ...experimentMethods,
  ...runMethods,
  ...labMethods,
  ...compareMethods,
  ...episodeMethods,
  ...diagnosticsMethods,
  ...problemSetMethods,
  ...settingsMethods,
  ...sweepMethods,
  ...solveMethods,
};

export type ApiMethods = typeof apiMethods;
export type ApiMethodName = keyof ApiMethods;
/** What a caller passes (defaults may be left out). */
export type ApiInput<M extends ApiMethodName> = z.input<ApiMethods[M]['input']>;
/** What a handler receives after validation. */
export type ApiParsedInput<M extends ApiMethodName> = z.output<ApiMethods[M]['input']>;
export type ApiOutput<M extends ApiMethodName> = z.output<ApiMethods[M]['output']>;

export const API_METHOD_NAMES = Object.keys(apiMethods) as ApiMethodName[];

export function isApiMethod(name: string): name is ApiMethodName {
  return Object.hasOwn(apiMethods, name);
}

/**
 * What every transport implements (IPC bridge, HTTP + WebSocket, in-process): the renderer and the
 * tests hold one of these and cannot tell which.
 */
export interface LabClient {
  call<M extends ApiMethodName>(method: M, ...input: undefined extends ApiInput<M> ? [ApiInput<M>?] : [ApiInput<M>]): Promise<ApiOutput<M>>;
  listen<N extends LabEventName>(name: N, handler: (payload: LabEventPayload<N>) => void): () => void;
}

/** The raw, untyped surface a transport moves: what the preload exposes as `window.lab`. */
export interface LabBridge {
  call(method: string, input: unknown): Promise<unknown>;
  listen(handler: (event: LabEvent) => void): () => void;
}

export type { LabEvent, LabEventName, LabEventPayload };
