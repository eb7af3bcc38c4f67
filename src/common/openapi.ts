import { ApiProperty, type SwaggerModule } from '@nestjs/swagger';
import { getMetadataStorage } from 'class-validator';
import type { ValidationMetadata } from 'class-validator/types/metadata/ValidationMetadata.js';
import { CLIENT_CREDENTIALS_SCHEME } from '../access/access.decorators.js';
import { RATE_LIMIT_HEADERS } from '../access/rate-limits.js';
import { REFERENCE_PATTERN } from '../cases/case-reference.js';
import { portablePattern } from './portable-pattern.js';

/**
 * The OpenAPI document says what the server enforces, from the one place
 * that enforces it: a request field's limits, formats and patterns come
 * from its class-validator decorators, and every operation's error answers
 * from the problems the server can send. Checked by Spectral with the OWASP
 * API ruleset (.spectral.yaml, test/openapi.e2e-spec.ts).
 */

type OpenApiDocument = ReturnType<typeof SwaggerModule.createDocument>;
type Schema = Record<string, unknown>;
/** A validated class, as class-validator keys its rules. */
type ValidatedClass = abstract new (...args: never[]) => unknown;

/** A schema fragment from one class-validator constraint, by the constraint's name. */
const FROM_CONSTRAINT: Record<string, (constraints: unknown[]) => Schema> = {
  maxLength: ([max]) => ({ maxLength: max }),
  minLength: ([min]) => ({ minLength: min }),
  isUuid: () => ({ format: 'uuid', maxLength: 36 }),
  isEmail: () => ({ format: 'email' }),
  isUrl: () => ({ format: 'uri' }),
  // ISO 8601 admits a bare date, which the format date-time does not: the field's own @Matches says which it takes.
  isIso8601: () => ({}),
  isCalendarDate: () => ({ format: 'date', maxLength: 10 }),
  singleLineText: ([pattern]) => ({ pattern: portablePattern((pattern as RegExp).source) }),
  multiLineText: ([pattern]) => ({ pattern: portablePattern((pattern as RegExp).source) }),
  matches: ([pattern]) => ({ pattern: portablePattern(pattern instanceof RegExp ? pattern.source : String(pattern)) }),
  isIn: ([values]) => ({ enum: values }),
  isInt: () => ({ format: 'int32' }),
  min: ([min]) => ({ minimum: min }),
  max: ([max]) => ({ maximum: max }),
  arrayMaxSize: ([max]) => ({ maxItems: max }),
  arrayMinSize: ([min]) => ({ minItems: min }),
};

function constraintName(meta: ValidationMetadata): string | undefined {
  if (meta.name) return meta.name;
  const [constraint] = getMetadataStorage().getTargetValidatorConstraints(meta.constraintCls);
  return constraint?.name;
}

/** Every validated class's rules, grouped by class and property: [class, property, rules]. */
function validatedProperties(): [ValidatedClass, string, ValidationMetadata[]][] {
  const all = (getMetadataStorage() as unknown as { validationMetadatas: Map<ValidatedClass, ValidationMetadata[]> }).validationMetadatas;
  const grouped: [ValidatedClass, string, ValidationMetadata[]][] = [];
  for (const [target, metas] of all) {
    const byProperty = new Map<string, ValidationMetadata[]>();
    for (const meta of metas) byProperty.set(meta.propertyName, [...(byProperty.get(meta.propertyName) ?? []), meta]);
    for (const [property, rules] of byProperty) grouped.push([target, property, rules]);
  }
  return grouped;
}

/** What a property's rules say about its value (or, for `each` rules, about each item of it). */
export function schemaFromRules(rules: ValidationMetadata[]): { own: Schema; items: Schema } {
  const own: Schema = {};
  const items: Schema = {};
  // A field's own @Matches says more than the text rule every text field has: it is applied last, and wins.
  const ordered = [...rules].sort((a, b) => Number(constraintName(a) === 'matches') - Number(constraintName(b) === 'matches'));
  for (const rule of ordered) {
    const name = constraintName(rule);
    const fragment = name ? FROM_CONSTRAINT[name]?.(rule.constraints ?? []) : undefined;
    if (fragment) Object.assign(rule.each ? items : own, fragment);
  }
  return { own, items };
}

/**
 * Copies every request field's validation rules into its Swagger metadata,
 * so that the document's maxLength, maxItems, format, pattern, enum and
 * bounds are the ones the validation pipe enforces. Run once, before the
 * document is built.
 */
export function describeValidatedFields(): void {
  for (const [target, property, rules] of validatedProperties()) {
    const { own, items } = schemaFromRules(rules);
    const extra: Schema = { ...own };
    if (Object.keys(items).length > 0) extra.items = { type: 'string', ...items };
    if (Object.keys(extra).length > 0) ApiProperty(extra as never)(target.prototype as object, property);
  }
}

/** Where the problem schema lists the codes `unmet` may hold: filled in from the feature modules' declarations. */
const UNMET_CODES_SLOT: Schema = {};

const PROBLEM_SCHEMA: Schema = {
  type: 'object',
  additionalProperties: false,
  required: ['type', 'title', 'status', 'detail'],
  properties: {
    type: { type: 'string', format: 'uri', maxLength: 200, example: 'urn:dhr:problem:step-refused' },
    title: { type: 'string', maxLength: 200, pattern: '^[^\\n]*$', example: 'Conflict' },
    status: { type: 'integer', format: 'int32', minimum: 400, maximum: 599, example: 409 },
    detail: { type: 'string', maxLength: 2000, pattern: '^[^\\n]*$' },
    // the request's path, as long as the server's 16 KiB limit on a request's head lets it be
    instance: { type: 'string', format: 'uri-reference', maxLength: 16_384 },
    errors: {
      type: 'array',
      maxItems: 1000,
      description: '400: the fields at fault; 422: the rows and columns at fault',
      items: {
        type: 'object',
        additionalProperties: false,
        properties: {
          field: { type: 'string', maxLength: 200, pattern: '^[^\\n]*$' },
          row: { type: 'integer', format: 'int32', minimum: 1, maximum: 1_000_000 },
          column: { type: 'string', maxLength: 200, pattern: '^[^\\n]*$' },
          message: { type: 'string', maxLength: 2000, pattern: '^[^\\n]*$' },
        },
      },
    },
    moreErrors: {
      type: 'integer',
      format: 'int32',
      minimum: 0,
      maximum: 1_000_000,
      description: '422: how many more rows are invalid than `errors` lists',
    },
    checks: {
      type: 'object',
      additionalProperties: false,
      description: '503 from the health check: each check and its status',
      properties: {
        database: {
          type: 'object',
          additionalProperties: false,
          required: ['status'],
          properties: {
            status: { type: 'string', enum: ['up', 'down'] },
            message: { type: 'string', maxLength: 2000 },
            responseTime: { type: 'number', minimum: 0, description: 'Milliseconds the ping took, or waited before it failed' },
          },
        },
      },
    },
    unmet: UNMET_CODES_SLOT,
    requestId: {
      type: 'string',
      maxLength: 100,
      pattern: '^[A-Za-z0-9._-]{1,100}$',
      description: '5xx: the id of the request, as its X-Request-Id header gives it; quote it when reporting the fault',
    },
    nameHits: {
      type: 'array',
      maxItems: 1000,
      description: '409 on publishing: where the anonymisation check found a real name',
      items: { $ref: '#/components/schemas/NameHitView' },
    },
  },
};

const INTEGER_HEADER = { type: 'integer', format: 'int32', minimum: 0, maximum: 1_000_000 };

/** The headers of an answer counted against a rate limit (public routes, sign-in, refused tokens). */
const RATE_LIMIT_HEADER_OBJECTS = {
  [RATE_LIMIT_HEADERS.limit]: { description: 'Requests allowed in the window', schema: INTEGER_HEADER },
  [RATE_LIMIT_HEADERS.remaining]: { description: 'Requests left in the window', schema: INTEGER_HEADER },
  [RATE_LIMIT_HEADERS.reset]: { description: 'Seconds until the window ends', schema: INTEGER_HEADER },
};

/** An ETag answer header: a version ("<n>") or a digest, always sent with the answer that declares it. */
export function etagHeader(description: string): Schema {
  return { description, required: true, schema: { type: 'string', maxLength: 200, pattern: '^(W/)?"[^"]*"$' } };
}

/** Content-Disposition naming a file to save (src/documents/content-disposition.ts); `required` where every such answer has one. */
export function attachmentHeader(description: string, required = true): Schema {
  return { description, required, schema: { type: 'string', maxLength: 4000, pattern: '^attachment; filename="[^"]*"; filename\\*=UTF-8\'\'\\S*$' } };
}

/** A Cache-Control answer header with the one value the server sends. */
export function cacheControlHeader(value: string): Schema {
  return { description: value, required: true, schema: { type: 'string', enum: [value] } };
}

/** The answers of an operation counted against a rate limit (public, sign-in, open to REST clients) may carry these. */
function countedAnswerHeaders(operation: Operation): Record<string, unknown> {
  const security = operation.security as Record<string, unknown>[] | undefined;
  const counted = !security || security.length === 0 || security.some((scheme) => CLIENT_CREDENTIALS_SCHEME in scheme);
  return counted ? RATE_LIMIT_HEADER_OBJECTS : {};
}

/** Every error answer, by status: described once as a component, referenced by every operation. */
const PROBLEMS: Record<string, { description: string; headers?: Record<string, unknown> }> = {
  '400': { description: 'The request is invalid: `errors` lists the fields at fault' },
  '401': { description: 'Nobody is signed in, or the token is invalid or expired', headers: RATE_LIMIT_HEADER_OBJECTS },
  '403': { description: 'The object may be read, but not changed by this role' },
  '404': { description: 'No such object, or it is outside the caller’s scope (the two answers are the same)' },
  '409': { description: 'Refused by a rule of the review: `unmet` lists every precondition still unmet' },
  '412': { description: 'If-Match names a version that is no longer current' },
  '413': { description: 'The upload is larger than the server accepts' },
  '415': { description: 'The upload’s content is not of a type accepted here' },
  '422': { description: 'The uploaded file was read, but rows in it are invalid: `errors` lists them' },
  '428': { description: 'If-Match is required here' },
  '429': {
    description: 'Too many requests from this address: retry after `Retry-After` seconds',
    headers: { 'Retry-After': { description: 'Seconds to wait', schema: INTEGER_HEADER }, ...RATE_LIMIT_HEADER_OBJECTS },
  },
  '500': { description: 'An unexpected fault; the detail says nothing of it, the request id finds it in the logs' },
  '503': { description: 'The database is unreachable for now' },
  Default: { description: 'Any other error: an RFC 9457 problem' },
};

/** The statuses every operation can answer; the others where the operation reads If-Match or takes a file. */
const ALWAYS = ['400', '401', '403', '404', '409', '429', '500', '503'];
const WITH_IF_MATCH = ['412', '428'];
const WITH_UPLOAD = ['413', '415', '422'];

const METHODS = ['get', 'put', 'post', 'patch', 'delete'] as const;
type Operation = NonNullable<OpenApiDocument['paths'][string]['get']>;

function statusesOf(operation: Operation): string[] {
  const parameters = (operation.parameters ?? []) as { name?: string; in?: string }[];
  const readsIfMatch = parameters.some((p) => p.in === 'header' && p.name?.toLowerCase() === 'if-match');
  const takesFile = Object.keys(operation.requestBody && 'content' in operation.requestBody ? operation.requestBody.content : {}).includes(
    'multipart/form-data',
  );
  return [...ALWAYS, ...(readsIfMatch ? WITH_IF_MATCH : []), ...(takesFile ? WITH_UPLOAD : [])].sort();
}

const PROBLEM_CONTENT = { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } };

/**
 * The shared answer for the status; where the route describes its own (which codes a 409 lists, say), that description is kept,
 * and where its answers are counted against a rate limit, they say so.
 */
function problemAnswer(status: string, declared: unknown, counted: Record<string, unknown>): Schema {
  const { description, content, headers } = (declared ?? {}) as { description?: string; content?: Record<string, unknown>; headers?: Schema };
  if (!description && Object.keys(counted).length === 0) return { $ref: `#/components/responses/Problem${status}` };
  // a route whose problems carry more (the token endpoint's OAuth error) declares their schema itself
  const ownProblem = content?.['application/problem+json'] ? content : undefined;
  return {
    description: description ?? PROBLEMS[status].description,
    headers: { ...counted, ...PROBLEMS[status].headers, ...headers },
    content: ownProblem ?? PROBLEM_CONTENT,
  };
}

/** A successful answer of a counted operation carries the rate limit's headers too. */
function withCountedHeaders(answer: unknown, counted: Record<string, unknown>): unknown {
  if (Object.keys(counted).length === 0 || !answer || typeof answer !== 'object' || '$ref' in answer) return answer;
  const headers = (answer as { headers?: Record<string, unknown> }).headers;
  return { ...answer, headers: { ...counted, ...headers } };
}

/** A UUID of any version, as ParseUUIDPipe reads one. */
const UUID_PATTERN = '[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}';

/** A case in a path: its id, or its reference in any letter case (access/case-id.pipe.ts). */
const CASE_ID_PARAMETER = {
  description: 'The case: its id (a UUID) or its reference, such as DHR-2026-001',
  schema: { type: 'string', pattern: `^(${UUID_PATTERN}|${REFERENCE_PATTERN})$`, maxLength: 36, example: 'DHR-2026-001' },
};

/**
 * Every path parameter is an id read through UuidParam, or a case, read
 * through CaseIdPipe: the `id` of every path under /api/cases/{id}
 * (test/openapi.e2e-spec.ts holds the controllers to it); but a published
 * review's reference on the public page, which declares its own pattern.
 */
function describeParameters(path: string, operation: Operation): void {
  for (const parameter of (operation.parameters ?? []) as { name: string; in: string; description?: string; schema?: Schema }[]) {
    if (parameter.in === 'path' && parameter.name === 'id' && path.startsWith('/api/cases/{id}')) Object.assign(parameter, CASE_ID_PARAMETER);
    else if (parameter.in === 'path' && parameter.name !== 'reference') parameter.schema = { ...parameter.schema, type: 'string', format: 'uuid', maxLength: 36 };
    if (parameter.in === 'header' && parameter.name.toLowerCase() === 'if-match') {
      parameter.schema = { ...parameter.schema, type: 'string', pattern: IF_MATCH_PATTERN, maxLength: 16 };
    }
  }
}

/** What ifMatchVersion (src/common/if-match.ts) reads: a version number, quoted or not. */
export const IF_MATCH_PATTERN = '^"?\\d{1,14}"?$';

/** A file in a multipart body: its size limit, in bytes, as its maxLength (413 beyond it). */
function limitFiles(schema: unknown, maxBytes: number): void {
  if (!schema || typeof schema !== 'object') return;
  const node = schema as Schema;
  if (node.type === 'string' && node.format === 'binary') node.maxLength = maxBytes;
  for (const value of Object.values(node)) limitFiles(value, maxBytes);
}

/**
 * Adds the shared Problem schema, the error answers and the parameters'
 * formats to every operation; `uploadMaxBytes` is the largest file any
 * upload accepts.
 */
/** The problem schema, with every code `unmet` may hold (cases/unmet-codes.ts). */
function problemSchema(unmetCodes: readonly string[]): Schema {
  const properties = PROBLEM_SCHEMA.properties as Record<string, Schema>;
  const unmet = {
    type: 'array',
    maxItems: unmetCodes.length,
    description: '409: every precondition still unmet, as codes',
    items: { type: 'string', enum: [...unmetCodes] },
  };
  return { ...PROBLEM_SCHEMA, properties: Object.fromEntries(Object.entries(properties).map(([key, value]) => [key, value === UNMET_CODES_SLOT ? unmet : value])) };
}

export function completeOpenApi(document: OpenApiDocument, uploadMaxBytes: number, unmetCodes: readonly string[]): void {
  const components = (document.components ??= {});
  const problem = problemSchema(unmetCodes);
  components.schemas = { ...components.schemas, Problem: problem as never, OAuthProblem: oauthProblemSchema(problem) as never };
  limitFiles(components.schemas, uploadMaxBytes);
  closeObjects(components.schemas);
  components.responses = {
    ...components.responses,
    ...Object.fromEntries(
      Object.entries(PROBLEMS).map(([status, { description, headers }]) => [
        `Problem${status}`,
        { description, headers, content: PROBLEM_CONTENT } as never,
      ]),
    ),
  };
  const tags = new Set<string>();
  for (const [path, item] of Object.entries(document.paths)) {
    for (const method of METHODS) {
      const operation = item[method];
      if (!operation) continue;
      describeParameters(path, operation);
      for (const tag of operation.tags ?? []) tags.add(tag);
      if (operation.requestBody && 'content' in operation.requestBody) limitFiles(operation.requestBody.content, uploadMaxBytes);
      const counted = countedAnswerHeaders(operation);
      const errors = Object.fromEntries(statusesOf(operation).map((status) => [status, problemAnswer(status, operation.responses[status], counted)]));
      const answers = Object.entries(operation.responses)
        .filter(([status]) => !(status in errors))
        .map(([status, answer]) => [status, withCountedHeaders(answer, counted)]);
      const anyOther = problemAnswer('Default', undefined, counted);
      operation.responses = { ...Object.fromEntries(answers), ...errors, default: anyOther } as Operation['responses'];
    }
  }
  document.tags = [...tags].sort().map((name) => ({ name }));
  // Relative: the API is served under /api of the host that serves this document, in production as on staging or a local run.
  // Not internal: the public page's routes are for anyone, and the document says which operations need a token.
  document.servers = [{ url: '/', description: 'The host serving this document: production, staging or local alike', 'x-internal': false } as never];
}

/**
 * The token endpoint's refusals (RFC 6749 §5.2): a problem that also carries
 * `error` and `error_description`, for OAuth libraries.
 */
function oauthProblemSchema(problem: Schema): Schema {
  const properties = problem.properties as Record<string, Schema>;
  return {
    ...problem,
    required: [...(problem.required as string[]), 'error', 'error_description'],
    properties: {
      ...properties,
      error: { type: 'string', enum: [...OAUTH_ERRORS] },
      error_description: { type: 'string', maxLength: 2000, pattern: '^[^\\n]*$' },
    },
  };
}

/** The `error` codes of the token endpoint (src/clients/token-request.ts). */
const OAUTH_ERRORS = ['invalid_request', 'invalid_client', 'unsupported_grant_type', 'invalid_scope'] as const;

/**
 * Every object with named properties is closed: the validation pipe refuses
 * a field it does not know (forbidNonWhitelisted), and the views are the
 * whole of what the server writes. A property that may be null and lists
 * its values lists null too (OpenAPI 3.0: `nullable` does not add null to an
 * `enum`).
 */
function closeObjects(node: unknown): void {
  if (!node || typeof node !== 'object') return;
  const schema = node as Schema;
  if (schema.properties && typeof schema.properties === 'object' && schema.additionalProperties === undefined) schema.additionalProperties = false;
  if (schema.nullable === true && Array.isArray(schema.enum) && !schema.enum.includes(null)) schema.enum = [...(schema.enum as unknown[]), null];
  for (const value of Object.values(schema)) closeObjects(value);
}
