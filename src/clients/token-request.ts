/**
 * Reading a token request of the OAuth 2.0 client-credentials grant
 * (RFC 6749 §4.4): the parameters from a form-encoded or JSON body, the
 * client's credentials from the body or from HTTP Basic (§2.3.1), never
 * both. Pure, so that every malformed shape is tested without a server.
 */

/** The OAuth error codes this endpoint answers with (RFC 6749 §5.2). */
export type OAuthError = 'invalid_request' | 'invalid_client' | 'unsupported_grant_type' | 'invalid_scope';

export const CLIENT_CREDENTIALS_GRANT = 'client_credentials';

export interface TokenRequest {
  clientId: string;
  clientSecret: string;
  /** The scopes asked for (`scope`), or null for all the client's. */
  scopes: string[] | null;
}

export interface TokenRequestRefusal {
  error: OAuthError;
  description: string;
}

/** Whether the client tried HTTP Basic: a 401 then names the scheme in WWW-Authenticate (RFC 6749 §5.2). */
export function triedBasic(authorization: string | undefined): boolean {
  return /^basic\s/i.test(authorization ?? '');
}

const MAX_CREDENTIAL_LENGTH = 200;
/** Scope names (`reports:read`) separated by spaces, as RFC 6749 §3.3 writes them. */
const SCOPE_LIST = /^[a-z:]+( +[a-z:]+)*$/;

type Params = Record<string, string | undefined>;

/** The body's parameters, each a single string; a repeated or structured one is refused (RFC 6749 §3.2). */
function paramsOf(body: unknown): Params | TokenRequestRefusal {
  if (body === undefined || body === null) return {};
  if (typeof body !== 'object' || Array.isArray(body)) return refusal('invalid_request', 'The body must be form-encoded parameters or a JSON object.');
  const params: Params = {};
  for (const [name, value] of Object.entries(body as Record<string, unknown>)) {
    if (typeof value !== 'string') return refusal('invalid_request', `${name} must be given once, as text.`);
    params[name] = value;
  }
  return params;
}

function refusal(error: OAuthError, description: string): TokenRequestRefusal {
  return { error, description };
}

/** `client_id:client_secret`, each form-encoded, then base64 (RFC 6749 §2.3.1); null when malformed. */
function basicCredentials(authorization: string): { clientId: string; clientSecret: string } | null {
  const encoded = authorization.replace(/^basic\s+/i, '').trim();
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(encoded)) return null;
  const decoded = Buffer.from(encoded, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return null;
  try {
    const formDecode = (part: string) => decodeURIComponent(part.replace(/\+/g, ' '));
    return { clientId: formDecode(decoded.slice(0, colon)), clientSecret: formDecode(decoded.slice(colon + 1)) };
  } catch {
    return null;
  }
}

const unauthenticated = (description: string) => refusal('invalid_client', description);

export function readTokenRequest(body: unknown, authorization: string | undefined): TokenRequest | TokenRequestRefusal {
  const params = paramsOf(body);
  if ('error' in params) return params as TokenRequestRefusal;
  const grantType = params.grant_type;
  if (!grantType) return refusal('invalid_request', 'grant_type is required.');
  if (grantType !== CLIENT_CREDENTIALS_GRANT) return refusal('unsupported_grant_type', `Only grant_type=${CLIENT_CREDENTIALS_GRANT} is supported.`);

  let clientId = params.client_id;
  let clientSecret = params.client_secret;
  if (triedBasic(authorization)) {
    if (clientSecret !== undefined) return refusal('invalid_request', 'Send the client secret either with HTTP Basic or in the body, not both.');
    const basic = basicCredentials(authorization!);
    if (!basic) return unauthenticated('The HTTP Basic credentials are malformed.');
    if (clientId !== undefined && clientId !== basic.clientId) return refusal('invalid_request', 'client_id differs from the HTTP Basic user name.');
    ({ clientId, clientSecret } = basic);
  }
  if (!clientId || !clientSecret) return unauthenticated('Authenticate the client with client_id and client_secret, or with HTTP Basic.');
  if (clientId.length > MAX_CREDENTIAL_LENGTH || clientSecret.length > MAX_CREDENTIAL_LENGTH) return unauthenticated('The client credentials are not valid.');

  const scope = params.scope?.trim();
  if (scope !== undefined && (params.scope!.length > MAX_CREDENTIAL_LENGTH || (scope !== '' && !SCOPE_LIST.test(scope)))) {
    return refusal('invalid_scope', 'scope is a list of scope names separated by spaces.');
  }
  return { clientId, clientSecret, scopes: scope ? [...new Set(scope.split(/ +/))] : null };
}

export function isRefusal(read: TokenRequest | TokenRequestRefusal): read is TokenRequestRefusal {
  return 'error' in read;
}
