import { describe, expect, it } from '@jest/globals';
import { AnswerCheck, jsonSchemaOf, type OpenApiDocument } from './support/answers.js';

/** A small document of the shape the application's has: a closed view, a nullable enum, a required header, problems. */
const document: OpenApiDocument = {
  paths: {
    '/api/things/{id}': {
      get: {
        responses: {
          '200': {
            headers: { ETag: { required: true, schema: { type: 'string', pattern: '^"\\d+"$' } } },
            content: { 'application/json': { schema: { $ref: '#/components/schemas/ThingView' } } },
          },
          '304': {},
          default: { $ref: '#/components/responses/ProblemDefault' },
        },
      },
    },
    '/api/things/export.csv': {
      get: { responses: { '200': { content: { 'text/csv': { schema: { type: 'string' } } } } } },
    },
  },
  components: {
    schemas: {
      ThingView: {
        type: 'object',
        additionalProperties: false,
        required: ['id', 'rag', 'owner'],
        properties: {
          id: { type: 'string', format: 'uuid' },
          rag: { type: 'string', enum: ['red', 'amber', 'green', null], nullable: true },
          owner: { nullable: true, allOf: [{ $ref: '#/components/schemas/Owner' }] },
        },
      },
      Owner: { type: 'object', additionalProperties: false, required: ['name'], properties: { name: { type: 'string' } } },
      Problem: {
        type: 'object',
        additionalProperties: false,
        required: ['type', 'title', 'status', 'detail'],
        properties: { type: { type: 'string' }, title: { type: 'string' }, status: { type: 'integer' }, detail: { type: 'string' } },
      },
    },
    responses: { ProblemDefault: { content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } } } },
  },
};

const ID = '0b7c3f1e-8d4a-4c1b-9a57-2f6e1d3c4b5a';
const json = { 'content-type': 'application/json; charset=utf-8', etag: '"3"' };
const thing = { id: ID, rag: 'amber', owner: { name: 'Team A' } };
const problem = { type: 'urn:dhr:problem:not-found', title: 'Not found', status: 404, detail: 'No such thing.' };

describe('the check of an answer against the OpenAPI document', () => {
  const check = new AnswerCheck(document);
  const get = (path: string, answer: { status: number; headers: Record<string, string>; body: unknown; text?: string }) =>
    check.problemsOf('GET', `http://127.0.0.1:1234${path}?page=2`, answer);

  it('passes an answer the document describes, null where it may be null', () => {
    expect(get(`/api/things/${ID}`, { status: 200, headers: json, body: thing })).toBeUndefined();
    expect(get(`/api/things/${ID}`, { status: 200, headers: json, body: { ...thing, rag: null, owner: null } })).toBeUndefined();
    expect(get(`/api/things/${ID}`, { status: 304, headers: {}, body: {}, text: '' })).toBeUndefined();
    expect(get(`/api/things/${ID}`, { status: 404, headers: { 'content-type': 'application/problem+json' }, body: problem })).toBeUndefined();
  });

  it('fails a body with a field the view does not have, naming the operation, the status and the path', () => {
    expect(get(`/api/things/${ID}`, { status: 200, headers: json, body: { ...thing, realName: 'x' } })).toBe(
      'GET /api/things/{id} 200: the body does not match the document: (body) must NOT have additional properties {"additionalProperty":"realName"}',
    );
  });

  it('fails a body without a required field, or with a value the enum does not list', () => {
    expect(get(`/api/things/${ID}`, { status: 200, headers: json, body: { id: ID, rag: 'red' } })).toBe(
      'GET /api/things/{id} 200: the body does not match the document: (body) must have required property \'owner\' {"missingProperty":"owner"}',
    );
    expect(get(`/api/things/${ID}`, { status: 200, headers: json, body: { ...thing, rag: 'blue' } })).toMatch(
      /^GET \/api\/things\/\{id\} 200: the body does not match the document: \/rag must be equal to one of the allowed values/,
    );
    expect(get(`/api/things/${ID}`, { status: 200, headers: json, body: { ...thing, owner: { name: 'Team A', email: 'a@example.org' } } })).toMatch(
      /\/owner must NOT have additional properties/,
    );
  });

  it('fails a success status the operation does not list', () => {
    expect(get(`/api/things/${ID}`, { status: 201, headers: json, body: thing })).toBe(
      'GET /api/things/{id} answered 201, which the document does not list (it lists 200, 304, default)',
    );
  });

  it('fails a required header that is missing or malformed, and a content type not listed', () => {
    expect(get(`/api/things/${ID}`, { status: 200, headers: { 'content-type': 'application/json' }, body: thing })).toBe(
      'GET /api/things/{id} 200: the header ETag is required, and was not sent',
    );
    expect(get(`/api/things/${ID}`, { status: 200, headers: { ...json, etag: 'W/"x"' }, body: thing })).toMatch(
      /^GET \/api\/things\/\{id\} 200: the header ETag: "W\/\\"x\\"" \(value\) must match pattern/,
    );
    expect(get('/api/things/export.csv', { status: 200, headers: { 'content-type': 'text/html' }, body: {}, text: '<p>' })).toBe(
      'GET /api/things/export.csv 200: the content type text/html is not one the document lists (text/csv)',
    );
    expect(get('/api/things/export.csv', { status: 200, headers: { 'content-type': 'text/csv; charset=utf-8' }, body: {}, text: 'a,b' })).toBeUndefined();
  });

  it('fails a problem that is not one, and a route the document does not have', () => {
    expect(get(`/api/things/${ID}`, { status: 404, headers: { 'content-type': 'application/problem+json' }, body: { message: 'Not Found' } })).toMatch(
      /^GET \/api\/things\/\{id\} 404: the body does not match the document: \(body\) must have required property 'type'/,
    );
    expect(get('/api/others', { status: 200, headers: json, body: {} })).toBe('GET /api/others answered 200, but the document has no such operation');
  });

  it('reads OpenAPI 3.0 `nullable` as JSON Schema: a type admits null, a composed schema gains a null alternative', () => {
    expect(jsonSchemaOf({ type: 'string', nullable: true, example: 'x' })).toEqual({ type: ['string', 'null'] });
    expect(jsonSchemaOf({ nullable: true, allOf: [{ $ref: '#/components/schemas/Owner' }] })).toEqual({
      anyOf: [{ allOf: [{ $ref: 'dhr-openapi#/components/schemas/Owner' }] }, { type: 'null' }],
    });
  });
});
