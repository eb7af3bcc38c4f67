import { AsyncLocalStorage } from 'node:async_hooks';
import type { ClientActor } from '../access/client-principal.js';
import type { Actor } from '../access/roles.js';

/**
 * What every audit event needs to know about the request it happens in. The
 * context middleware opens it; the access guard adds the signed-in actor, or
 * the REST client a request comes from.
 */
export interface RequestContext {
  requestId: string | null;
  ip: string | null;
  actor: Actor | null;
  client?: ClientActor | null;
}

const storage = new AsyncLocalStorage<RequestContext>();

export function runInRequestContext<T>(context: RequestContext, fn: () => T): T {
  return storage.run(context, fn);
}

/** Outside a request (start-up, the daily sweep) there is no actor and no request id. */
export function currentRequestContext(): RequestContext {
  return storage.getStore() ?? { requestId: null, ip: null, actor: null };
}
