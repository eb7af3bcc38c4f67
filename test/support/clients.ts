import type { TestApp } from './test-app.js';
import type { World } from './world.js';

export interface RegisteredClient {
  id: string;
  clientId: string;
  clientSecret: string;
}

/** Registers a REST client as the SDP admin does, over HTTP. */
export async function registerClient(w: World, body: { name?: string; scopes: string[]; partnershipId?: string; expiresOn?: string }): Promise<RegisteredClient> {
  const res = await w.http
    .post('/api/clients')
    .set(w.cast.admin.auth)
    .send({ name: 'Board dashboard', ...body });
  if (res.status !== 201) throw new Error(`registering a client answered ${res.status}: ${JSON.stringify(res.body)}`);
  return res.body;
}

/** A bearer token from the client-credentials grant, form-encoded as OAuth clients send it; the Authorization header to use it with. */
export async function clientAuth(t: TestApp, client: { clientId: string; clientSecret: string }, scope?: string): Promise<{ Authorization: string }> {
  const res = await t.http
    .post('/api/auth/token')
    .type('form')
    .send({ grant_type: 'client_credentials', client_id: client.clientId, client_secret: client.clientSecret, ...(scope ? { scope } : {}) });
  if (res.status !== 200) throw new Error(`the token request answered ${res.status}: ${JSON.stringify(res.body)}`);
  return { Authorization: `Bearer ${res.body.access_token}` };
}
