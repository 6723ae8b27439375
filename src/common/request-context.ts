import { AsyncLocalStorage } from 'node:async_hooks';

/** Correlation ids carried through a request or a worker job, so every log line can name them. */
export interface RequestContext {
  requestId?: string;
  conversationId?: string;
}

export const requestContext = new AsyncLocalStorage<RequestContext>();
