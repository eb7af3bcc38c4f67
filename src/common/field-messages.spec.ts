import 'reflect-metadata';
import { describe, expect, it } from '@jest/globals';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { getMetadataStorage } from 'class-validator';
import type { ValidationMetadata } from 'class-validator/types/metadata/ValidationMetadata.js';
import fc from 'fast-check';
import { CreateCaseRequest, DecisionRequest, UpdateCaseRequest } from '../cases/case.dto.js';
import { CreateUserRequest } from '../users/user.dto.js';
import { refusalSentence } from './field-messages.js';
import { PageQuery } from './pagination.js';
import { ProblemException } from './problem.js';
import { validationPipe } from './validation.js';

type Dto = new () => object;
interface Refusal {
  status: number;
  detail: string;
  errors: { field: string; message: string }[];
}

const pipe = validationPipe();

/** What the validation pipe answers for this body (or query), or undefined when it passes. */
async function refusalOf(dto: Dto, value: unknown): Promise<Refusal | undefined> {
  const type = dto.name.endsWith('Query') ? 'query' : 'body';
  const error = await pipe.transform(value, { type, metatype: dto }).then(
    () => undefined,
    (e: unknown) => e,
  );
  if (error === undefined) return undefined;
  if (!(error instanceof ProblemException)) throw error;
  return error.getResponse() as Refusal;
}

async function errorsOf(dto: Dto, value: unknown): Promise<Refusal['errors']> {
  return (await refusalOf(dto, value))?.errors ?? [];
}

/** class-validator's own words, and the pieces of them, that no caseworker should meet. */
const DEFAULT_WORDING =
  /must be a string|should not exist|instance|following values|regular expression|conforming|^property |unknown value|longer than or equal|shorter than or equal|elements|integer number|boolean value|must be an array|must be an email|URL address|either object or array|should not be/;

const SUBJECT = { role: 'victim', fullName: 'Ada Quill' };
const A_CASE = { partnershipId: '6f1c1c1e-1d7a-4c52-9b8e-0b1c2d3e4f50', notifiedOn: '2026-03-01', notificationSource: 'Police letter', subjects: [SUBJECT] };

describe('the messages of a refused request', () => {
  it('says a missing field is required, and only that', async () => {
    const { partnershipId, notificationSource, ...rest } = A_CASE;
    expect(partnershipId && notificationSource).toBeTruthy();
    const refusal = await refusalOf(CreateCaseRequest, rest);
    expect(refusal?.errors).toEqual([
      { field: 'partnershipId', message: 'partnershipId is required' },
      { field: 'notificationSource', message: 'notificationSource is required' },
    ]);
    expect(refusal?.detail).toBe('partnershipId is required; and notificationSource is required.');
  });

  it('gives a wrongly typed field its type, not its length or text complaints', async () => {
    expect(await errorsOf(CreateCaseRequest, { ...A_CASE, notificationSource: 42 })).toEqual([
      { field: 'notificationSource', message: 'notificationSource must be text' },
    ]);
    expect(await errorsOf(CreateCaseRequest, { ...A_CASE, notificationSource: 'x'.repeat(501) })).toEqual([
      { field: 'notificationSource', message: 'notificationSource must be at most 500 characters long' },
    ]);
    expect(await errorsOf(CreateCaseRequest, { ...A_CASE, notificationSource: '  ' })).toEqual([
      { field: 'notificationSource', message: 'notificationSource must not be empty' },
    ]);
  });

  it('names the values a field may take, dates by an example, and uuids as such', async () => {
    expect(await errorsOf(CreateCaseRequest, { ...A_CASE, reviewType: 'XYZ', notifiedOn: '01/03/2026', partnershipId: 'exeter' })).toEqual(
      expect.arrayContaining([
        { field: 'reviewType', message: 'reviewType must be one of: DHR, DARDR' },
        { field: 'notifiedOn', message: 'notifiedOn must be a date such as 2026-03-01, between 1900 and 2999' },
        { field: 'partnershipId', message: 'partnershipId must be a UUID' },
      ]),
    );
  });

  it('names nested fields by their path', async () => {
    expect(await errorsOf(CreateCaseRequest, { ...A_CASE, subjects: [SUBJECT, { role: 'victim' }, { ...SUBJECT, colour: 'blue' }] })).toEqual([
      { field: 'subjects.1.fullName', message: 'subjects.1.fullName is required' },
      { field: 'subjects.2.colour', message: 'subjects.2.colour is not a field of this request' },
    ]);
    expect(await errorsOf(CreateCaseRequest, { ...A_CASE, subjects: ['Ada'] })).toEqual([
      { field: 'subjects', message: 'every item of subjects must be an object of fields' },
    ]);
    expect(await errorsOf(CreateCaseRequest, { ...A_CASE, subjects: [] })).toEqual([{ field: 'subjects', message: 'subjects must have at least 1 item' }]);
    expect(await errorsOf(CreateCaseRequest, { ...A_CASE, subjects: 'Ada' })).toEqual([{ field: 'subjects', message: 'subjects must be a list' }]);
  });

  it('says an unknown property is not a field of this request', async () => {
    const refusal = await refusalOf(CreateCaseRequest, { ...A_CASE, colour: 'blue' });
    expect(refusal?.errors).toEqual([{ field: 'colour', message: 'colour is not a field of this request' }]);
    expect(refusal?.detail).toBe('colour is not a field of this request.');
  });

  it('reads a body that is no object of fields as one without its fields', async () => {
    const required = ['partnershipId', 'notifiedOn', 'notificationSource', 'subjects'].map((field) => ({ field, message: `${field} is required` }));
    for (const body of ['a case', 42]) expect(await errorsOf(CreateCaseRequest, body)).toEqual(required);
    expect(await errorsOf(CreateCaseRequest, [A_CASE])).toEqual([{ field: '0', message: '0 is not a field of this request' }, ...required]);
  });

  it('words the query string: limit and cursor', async () => {
    expect(await errorsOf(PageQuery, { limit: '500' })).toEqual([{ field: 'limit', message: 'limit must be at most 200' }]);
    expect(await errorsOf(PageQuery, { limit: '0' })).toEqual([{ field: 'limit', message: 'limit must be at least 1' }]);
    expect(await errorsOf(PageQuery, { limit: 'ten' })).toEqual([{ field: 'limit', message: 'limit must be a whole number' }]);
    expect(await errorsOf(PageQuery, { cursor: 'x'.repeat(501) })).toEqual([{ field: 'cursor', message: 'cursor must be at most 500 characters long' }]);
    expect(await errorsOf(PageQuery, { cursor: ['a', 'b'] })).toEqual([{ field: 'cursor', message: 'cursor must be text' }]);
  });

  it('words booleans, e-mail addresses and a decision', async () => {
    expect(await errorsOf(UpdateCaseRequest, { subjects: null })).toEqual([{ field: 'subjects', message: 'subjects must be a list' }]);
    expect(await errorsOf(CreateUserRequest, { email: 'nobody', name: 'Ada Quill', role: 'boss' })).toEqual(
      expect.arrayContaining([
        { field: 'email', message: 'email must be an e-mail address' },
        { field: 'role', message: 'role must be one of: sdp_admin, csp_chair, review_chair, agency_lead' },
      ]),
    );
    expect(await errorsOf(DecisionRequest, { outcome: 'commission', decidedOn: '2026-02-30' })).toEqual([
      { field: 'decidedOn', message: 'decidedOn must be a date such as 2026-03-01, between 1900 and 2999' },
      { field: 'rationale', message: 'rationale is required' },
    ]);
  });

  it('builds one sentence from the messages', () => {
    expect(refusalSentence([])).toBe('The request is not valid.');
    expect(refusalSentence([{ field: 'a', message: 'a is required' }])).toBe('a is required.');
    expect(
      refusalSentence([
        { field: 'a', message: 'a is required' },
        { field: 'b', message: 'b must be text' },
        { field: 'c', message: 'c must be one of: x, y' },
      ]),
    ).toBe('a is required; b must be text; and c must be one of: x, y.');
    const many = Array.from({ length: 200 }, (_, i) => ({ field: `field${i}`, message: `field${i} must be at most 500 characters long` }));
    const sentence = refusalSentence(many);
    expect(sentence.length).toBeLessThanOrEqual(2000);
    expect(sentence).toMatch(/^field0 must be at most 500 characters long; field1 .*; and \d+ more, listed in errors\.$/);
  });
});

/** Every request class the API validates, read from class-validator's storage once every DTO module is loaded. */
async function everyRequestClass(): Promise<Map<Dto, ValidationMetadata[]>> {
  const root = fileURLToPath(new URL('..', import.meta.url));
  const modules = readdirSync(root, { recursive: true, encoding: 'utf8' }).filter((file) => file.endsWith('.dto.ts'));
  for (const file of modules) await import(join(root, file));
  const storage = getMetadataStorage() as unknown as { validationMetadatas: Map<Dto, ValidationMetadata[]> };
  return storage.validationMetadatas;
}

/** A value as a client might send it in a body: of any JSON type, or left out (undefined). */
const bodyValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.constant(undefined),
  fc.constant(null),
  fc.string({ maxLength: 30 }),
  fc.constantFrom('', ' ', 'x'.repeat(600), '2026-03-01', '6f1c1c1e-1d7a-4c52-9b8e-0b1c2d3e4f50', 'victim'),
  fc.integer({ min: -5, max: 500 }),
  fc.boolean(),
  fc.array(fc.oneof(fc.string({ maxLength: 5 }), fc.integer(), fc.dictionary(fc.constantFrom('role', 'fullName', 'x'), fc.string({ maxLength: 5 }))), { maxLength: 3 }),
  fc.dictionary(fc.constantFrom('role', 'fullName', 'colour'), fc.oneof(fc.string({ maxLength: 5 }), fc.integer())),
);

/** A value as a query string carries it: text, or the same name repeated. */
const queryValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.constant(undefined),
  fc.string({ maxLength: 30 }),
  fc.constantFrom('', '0', '500', 'true', 'x'.repeat(600), '2026-03-01'),
  fc.array(fc.string({ maxLength: 5 }), { minLength: 2, maxLength: 3 }),
);

/** The request's fields drawn from the class's own (each of them given, wrongly given or left out) and an unknown one. */
function requests(fields: string[], value: fc.Arbitrary<unknown>): fc.Arbitrary<Record<string, unknown>> {
  const record = Object.fromEntries(fields.map((field) => [field, value]));
  return fc.tuple(fc.record(record), fc.option(fc.constantFrom('colour', 'Role', 'extra_field'), { nil: undefined })).map(([body, unknown]) => {
    const given = Object.fromEntries(Object.entries(body).filter(([, v]) => v !== undefined));
    return unknown ? { ...given, [unknown]: 'x' } : given;
  });
}

describe('every refusal of every request class, over generated inputs', () => {
  it('is one plain message per field, starting with its path, and a left-out field is only required', async () => {
    let classes = 0;
    for (const [dto, metadata] of await everyRequestClass()) {
      const fields = [...new Set(metadata.map((m) => m.propertyName))];
      if (fields.length === 0) continue;
      classes += 1;
      const isQuery = dto.name.endsWith('Query');
      await fc.assert(
        fc.asyncProperty(requests(fields, isQuery ? queryValue : bodyValue), async (input) => {
          const refusal = await refusalOf(dto, input);
          if (!refusal) return;
          expect(refusal.status).toBe(400);
          expect(refusal.errors.length).toBeGreaterThan(0);
          const named = refusal.errors.map((e) => e.field);
          expect(new Set(named).size).toBe(named.length);
          for (const { field, message } of refusal.errors) {
            expect(message).not.toMatch(DEFAULT_WORDING);
            expect(message.startsWith(`${field} `) || message.startsWith(`every item of ${field} `)).toBe(true);
            const top = field.split('.')[0];
            if (fields.includes(top) && field === top && !(top in input)) expect(message).toBe(`${field} is required`);
            if (!fields.includes(top)) expect(message).toBe(`${field} is not a field of this request`);
          }
          expect(refusal.detail).not.toMatch(DEFAULT_WORDING);
          expect(refusal.detail.endsWith('.')).toBe(true);
        }),
        { numRuns: 40, seed: 20261206 },
      );
    }
    expect(classes).toBeGreaterThan(30);
  });
});

describe('a field the client named', () => {
  it('is shown on one line and at most 200 characters long, however long or odd the key sent', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ minLength: 1, maxLength: 2000, unit: 'binary' }), async (key) => {
        // the page's own fields, and the names an object already has (Object.prototype's), which the validator passes over
        fc.pre(!['limit', 'cursor', 'prototype'].includes(key) && !(key in Object.prototype));
        const errors = await errorsOf(PageQuery, { [key]: 'x' });
        expect(errors).toHaveLength(1);
        const [{ field, message }] = errors;
        expect(field.length).toBeLessThanOrEqual(200);
        // eslint-disable-next-line no-control-regex -- no control character may reach the answer's field
        expect(field).not.toMatch(/[\u0000-\u001f\u007f]/);
        expect(message).toContain(field);
        expect(message).not.toContain('\n');
        expect(message.length).toBeLessThanOrEqual(2000);
      }),
      { numRuns: 300 },
    );
  });

  it('is cut with an ellipsis only when it is longer than 200 characters', async () => {
    expect((await errorsOf(PageQuery, { ['a'.repeat(200)]: 1 }))[0].field).toBe('a'.repeat(200));
    expect((await errorsOf(PageQuery, { ['a'.repeat(256)]: 1 }))[0].field).toBe(`${'a'.repeat(199)}…`);
    expect((await errorsOf(PageQuery, { 'two\nlines': 1 }))[0].field).toBe('two\\u000alines');
  });
});
