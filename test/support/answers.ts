import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import addFormatsImport from 'ajv-formats';

/**
 * Every answer of the end-to-end tier checked against the OpenAPI document
 * the same application serves (docs/architecture.md, "Tests"): its status is
 * one the operation documents, its required headers are there and every
 * documented header it sends has the documented form, its content type is
 * one the document lists, and a JSON body matches the schema, closed objects
 * and all. test/support/test-app.ts runs the check on every request a test
 * makes through `t.http`; the first answer that does not match fails the
 * test, naming the operation, the status and where the body differs.
 */

type Schema = Record<string, unknown>;

interface HeaderObject {
  required?: boolean;
  schema?: Schema;
}

interface ResponseObject {
  $ref?: string;
  headers?: Record<string, HeaderObject | { $ref: string }>;
  content?: Record<string, { schema?: Schema }>;
}

interface Operation {
  responses: Record<string, ResponseObject>;
}

export interface OpenApiDocument {
  paths: Record<string, Record<string, Operation>>;
  components?: { schemas?: Record<string, Schema>; responses?: Record<string, ResponseObject> };
}

/** What the check reads of an answer: supertest's response has all of it. */
export interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: unknown;
  text?: string;
}

/** Routes the application serves that the document does not describe: the document itself and its page. */
const UNDESCRIBED = /^\/api\/docs(-json|-yaml)?(\/|$)/;

const DOCUMENT_ID = 'dhr-openapi';

/** ajv-formats, whichever way the module system hands over its default export. */
const addFormats = ((addFormatsImport as unknown as { default?: unknown }).default ?? addFormatsImport) as unknown as (ajv: Ajv) => Ajv;

/**
 * An OpenAPI 3.0 schema as JSON Schema: `nullable: true` admits null (an
 * `enum` must still list null itself, as OpenAPI 3.0 has it), references
 * point into the document, and what is only annotation goes.
 */
export function jsonSchemaOf(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(jsonSchemaOf);
  if (!node || typeof node !== 'object') return node;
  const { nullable, example: _example, examples: _examples, xml: _xml, discriminator: _discriminator, ...rest } = node as Schema;
  const out: Schema = {};
  for (const [key, value] of Object.entries(rest)) {
    if (key === '$ref' && typeof value === 'string') out.$ref = value.startsWith('#') ? `${DOCUMENT_ID}${value}` : value;
    else if (key === 'properties' && value && typeof value === 'object') {
      out.properties = Object.fromEntries(Object.entries(value).map(([name, schema]) => [name, jsonSchemaOf(schema)]));
    } else out[key] = jsonSchemaOf(value);
  }
  if (nullable !== true) return out;
  const composed = ['allOf', 'anyOf', 'oneOf', '$ref'].some((key) => key in out);
  if (typeof out.type === 'string' && !composed) return { ...out, type: [out.type, 'null'] };
  return { anyOf: [out, { type: 'null' }] };
}

/** An operation of the document, found from a request's method and path. */
interface Found {
  template: string;
  operation: Operation;
}

/** Each document path as a matcher; the fewer parameters, the more specific (`/cases/next-steps` before `/cases/{id}`). */
function pathMatchers(document: OpenApiDocument): { template: string; matcher: RegExp; parameters: number }[] {
  return Object.keys(document.paths)
    .map((template) => {
      const parameters = (template.match(/\{[^}]+\}/g) ?? []).length;
      const source = template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\\?\{[^}]+\\?\}/g, '[^/]+');
      return { template, matcher: new RegExp(`^${source}$`), parameters };
    })
    .sort((a, b) => a.parameters - b.parameters);
}

const mediaType = (header: string | string[] | undefined) =>
  String(Array.isArray(header) ? header[0] : (header ?? ''))
    .split(';')[0]
    .trim()
    .toLowerCase();

const isJson = (type: string) => type === 'application/json' || type.endsWith('+json');

function describeErrors(errors: ErrorObject[] | null | undefined, whole = '(body)'): string {
  return (errors ?? [])
    .slice(0, 5)
    .map((e) => `${e.instancePath || whole} ${e.message}${e.params && Object.keys(e.params).length ? ` ${JSON.stringify(e.params)}` : ''}`)
    .join('; ');
}

/** A JSON body as the server wrote it, also where the test read it with a parser of its own (as bytes or text). */
function parsedBody(body: unknown): unknown {
  const text = Buffer.isBuffer(body) ? body.toString('utf8') : typeof body === 'string' ? body : undefined;
  if (text === undefined) return body;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return body;
  }
}

export class AnswerCheck {
  private readonly ajv: Ajv;
  private readonly matchers: ReturnType<typeof pathMatchers>;
  private readonly compiled = new Map<string, ValidateFunction>();

  constructor(private readonly document: OpenApiDocument) {
    // The document's patterns are written for ECMA-262 without the `u` flag (src/common/portable-pattern.ts).
    // The document is checked by Spectral (test/openapi.e2e-spec.ts), not again here; each component is compiled once, shared by
    // every answer that refers to it; Ajv's code optimiser costs more than it saves on schemas each used a few times per file.
    this.ajv = new Ajv({
      strict: false,
      allErrors: true,
      unicodeRegExp: false,
      validateSchema: false,
      inlineRefs: false,
      code: { optimize: false },
    });
    addFormats(this.ajv);
    for (const format of ['int32', 'int64', 'float', 'double', 'password', 'binary', 'byte']) this.ajv.addFormat(format, true);
    this.ajv.addSchema({ $id: DOCUMENT_ID, components: jsonSchemaOf({ schemas: document.components?.schemas ?? {} }) } as Schema);
    this.matchers = pathMatchers(document);
  }

  /** The operation a request reached, or undefined where the document has no such path or method. */
  find(method: string, path: string): Found | undefined {
    const lower = method.toLowerCase();
    for (const { template, matcher } of this.matchers) {
      const operation = matcher.test(path) ? this.document.paths[template][lower] : undefined;
      if (operation) return { template, operation };
    }
    return undefined;
  }

  /** What is wrong with the answer, against the document; undefined when nothing is. */
  problemsOf(method: string, url: string, answer: Answer): string | undefined {
    const path = new URL(url, 'http://localhost').pathname;
    if (UNDESCRIBED.test(path)) return undefined;
    const found = this.find(method, path);
    const name = `${method.toUpperCase()} ${found?.template ?? path}`;
    if (!found) {
      // an unknown route (or method) is a 404 problem, or 405; anything else would be an undescribed route
      if (answer.status < 400) return `${name} answered ${answer.status}, but the document has no such operation`;
      return this.checkBody(`${name} ${answer.status}`, 'Problem', { $ref: '#/components/schemas/Problem' }, answer);
    }
    const status = String(answer.status);
    const declared = found.operation.responses[status] ?? found.operation.responses[`${status[0]}XX`];
    const response = this.resolve(declared ?? (answer.status >= 400 ? found.operation.responses.default : undefined));
    if (!response) return `${name} answered ${status}, which the document does not list (it lists ${Object.keys(found.operation.responses).join(', ')})`;
    const where = `${name} ${status}`;
    return this.checkHeaders(where, response, answer) ?? this.checkContent(where, found.template, method, status, response, answer);
  }

  private resolve(response: ResponseObject | undefined): ResponseObject | undefined {
    if (!response?.$ref) return response;
    const name = response.$ref.replace('#/components/responses/', '');
    return this.document.components?.responses?.[name];
  }

  private checkHeaders(where: string, response: ResponseObject, answer: Answer): string | undefined {
    for (const [name, declared] of Object.entries(response.headers ?? {})) {
      if ('$ref' in declared) continue;
      const value = answer.headers[name.toLowerCase()];
      if (value === undefined) {
        if (declared.required) return `${where}: the header ${name} is required, and was not sent`;
        continue;
      }
      if (!declared.schema) continue;
      const text = Array.isArray(value) ? value.join(', ') : value;
      const schema = jsonSchemaOf(declared.schema) as Schema;
      const typed = schema.type === 'integer' || schema.type === 'number' ? (/^-?\d+(\.\d+)?$/.test(text) ? Number(text) : text) : text;
      const validate = this.compile(`header ${where} ${name}`, schema);
      if (!validate(typed)) return `${where}: the header ${name}: ${JSON.stringify(text)} ${describeErrors(validate.errors, '(value)')}`;
    }
    return undefined;
  }

  private checkContent(where: string, template: string, method: string, status: string, response: ResponseObject, answer: Answer): string | undefined {
    const type = mediaType(answer.headers['content-type']);
    const content = response.content ?? {};
    const sentBody = type !== '' || (answer.text ?? '').length > 0;
    if (Object.keys(content).length === 0) {
      if (method.toLowerCase() === 'head' || !sentBody) return undefined;
      return `${where}: the document says this answer has no body, and it sent ${type || 'one'}`;
    }
    if (!sentBody) return method.toLowerCase() === 'head' ? undefined : `${where}: the document describes a body (${Object.keys(content).join(', ')}), and none was sent`;
    const media = Object.keys(content).find((listed) => listed.toLowerCase() === type) ?? (Object.keys(content).includes('*/*') ? '*/*' : undefined);
    if (!media) return `${where}: the content type ${type} is not one the document lists (${Object.keys(content).join(', ')})`;
    const schema = content[media].schema;
    if (!schema || !isJson(type)) return undefined;
    return this.checkBody(where, `${method} ${template} ${status} ${media}`, schema, answer);
  }

  private checkBody(where: string, key: string, schema: Schema, answer: Answer): string | undefined {
    const validate = this.compile(key, jsonSchemaOf(schema) as Schema);
    if (validate(parsedBody(answer.body))) return undefined;
    return `${where}: the body does not match the document: ${describeErrors(validate.errors)}`;
  }

  /** Each schema compiled once per document (by operation, status and media type, or by header). */
  private compile(key: string, schema: Schema): ValidateFunction {
    let validate = this.compiled.get(key);
    if (!validate) {
      validate = this.ajv.compile(schema);
      this.compiled.set(key, validate);
    }
    return validate;
  }
}

/** One check per document: every application of a test file serves the same one, built the same way. */
const checks = new Map<string, AnswerCheck>();

export function answerCheckFor(document: OpenApiDocument): AnswerCheck {
  const key = JSON.stringify(document);
  let check = checks.get(key);
  if (!check) {
    check = new AnswerCheck(document);
    checks.set(key, check);
  }
  return check;
}
