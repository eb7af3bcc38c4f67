import 'reflect-metadata';
import { describe, expect, it } from '@jest/globals';
import { plainToInstance } from 'class-transformer';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { getMetadataStorage, validate } from 'class-validator';
import type { ValidationMetadata } from 'class-validator/types/metadata/ValidationMetadata.js';
import fc from 'fast-check';
import { CreateRecommendationRequest } from '../actions/action-plan.dto.js';
import { CreateAgencyRequest, UpdateAgencyRequest } from '../agencies/agency.dto.js';
import { AuditQuery } from '../audit/audit.dto.js';
import { LoginRequest } from '../auth/auth.dto.js';
import {
  CaseQuery,
  CreateCaseRequest,
  DecisionRequest,
  NewSubject,
  StartHoldRequest,
  SubjectUpdate,
  TransitionRequest,
  UpdateCaseRequest,
} from '../cases/case.dto.js';
import { WaiveContributionRequest } from '../contributions/contribution.dto.js';
import { CreateFamilyContactRequest } from '../family-contacts/family-contact.dto.js';
import { CreateUserRequest, UpdateUserRequest } from '../users/user.dto.js';
import { oneLineBreaks, refusedEverywhere, word } from '../../test/support/text-characters.js';
import { PageQuery } from './pagination.js';
import { ProblemException } from './problem.js';
import { validationPipe } from './validation.js';
import { asFreeText, asOneLine, MULTI_LINE as MULTI_LINE_RULE, SINGLE_LINE as SINGLE_LINE_RULE } from './text-rules.js';

type Dto = new () => object;

/** Names, pseudonyms, addresses, sources, e-mails, search terms: one line, no control character. */
const SINGLE_LINE: [Dto, string][] = [
  [PageQuery, 'cursor'],
  [CreateAgencyRequest, 'name'],
  [UpdateAgencyRequest, 'name'],
  [AuditQuery, 'action'],
  [LoginRequest, 'email'],
  [NewSubject, 'fullName'],
  [NewSubject, 'pseudonym'],
  [NewSubject, 'address'],
  [CreateCaseRequest, 'notificationSource'],
  [SubjectUpdate, 'fullName'],
  [SubjectUpdate, 'pseudonym'],
  [SubjectUpdate, 'address'],
  [CaseQuery, 'q'],
  [CreateFamilyContactRequest, 'advocacyProvider'],
  [CreateUserRequest, 'email'],
  [CreateUserRequest, 'name'],
  [UpdateUserRequest, 'name'],
  [CreateRecommendationRequest, 'addressee'],
];

/** Notes, summaries, rationales, comments, reasons: line breaks and tabs, nothing else. */
const MULTI_LINE: [Dto, string][] = [
  [CreateCaseRequest, 'summary'],
  [UpdateCaseRequest, 'summary'],
  [DecisionRequest, 'rationale'],
  [TransitionRequest, 'comment'],
  [StartHoldRequest, 'note'],
  [WaiveContributionRequest, 'reason'],
  [CreateFamilyContactRequest, 'notes'],
];

/** Credentials are compared, never shown or sent on: any character a person typed is theirs. */
const CREDENTIALS = new Set(['password', 'refreshToken']);

async function constraintsOn(dto: Dto, field: string, value: string): Promise<string[]> {
  const errors = await validate(plainToInstance(dto, { [field]: value }));
  return Object.keys(errors.find((e) => e.property === field)?.constraints ?? {});
}

const CONTROLS = {
  'CR LF': 'Anna\r\nBcc: someone@example.org',
  LF: 'Anna\nSmith',
  CR: 'Anna\rSmith',
  tab: 'Anna\tSmith',
  NUL: 'Anna\u0000Smith',
  BEL: 'Anna\u0007Smith',
  ESC: 'Anna\u001b[31mSmith',
  DEL: 'Anna\u007fSmith',
  'C1 NEL': 'Anna\u0085Smith',
  'C1 CSI': 'Anna\u009bSmith',
  'line separator': 'Anna\u2028Smith',
  'paragraph separator': 'Anna\u2029Smith',
  'right-to-left override': 'Anna\u202EX',
  'left-to-right embedding': 'Anna\u202ASmith',
  'first strong isolate': 'Anna\u2068Smith\u2069',
  'right-to-left mark': 'Anna\u200FSmith',
  'Arabic letter mark': 'Anna\u061CSmith',
  'zero-width space': 'Anna\u200BSmith',
  'zero-width joiner': 'Anna\u200DSmith',
  'zero-width non-joiner': 'Anna\u200CSmith',
  'word joiner': 'Anna\u2060Smith',
  'invisible times': 'Anna\u2062Smith',
  'soft hyphen': 'Anna\u00ADSmith',
  // a leading BOM is trimmed away like a space; inside a word it stays, and is refused
  BOM: 'An\uFEFFna',
  'tag character': 'Anna\u{E0041}Smith',
  'Mongolian vowel separator': 'Anna\u180ESmith',
  'Hangul filler': 'Anna\u3164',
  'Hangul choseong filler': '\u115F',
  'combining grapheme joiner': 'Anna\u034FSmith',
  'variation selector': 'Anna\uFE0FSmith',
};

describe('single-line text fields', () => {
  it.each(SINGLE_LINE.flatMap(([dto, field]) => Object.entries(CONTROLS).map(([what, value]) => [dto.name, field, what, dto, value] as const)))(
    '%s.%s refuses %s',
    async (_name, field, _what, dto, value) => {
      expect(await constraintsOn(dto, field, value)).toContain('singleLineText');
    },
  );

  it.each(SINGLE_LINE.map(([dto, field]) => [dto.name, field, dto] as const))('%s.%s keeps ordinary text', async (_name, field, dto) => {
    expect(await constraintsOn(dto, field, 'Anna O’Brien-Smith, 12 High St. (Exeter) =1+1 <b>')).not.toContain('singleLineText');
  });
});

describe('multi-line text fields', () => {
  const REFUSED_HERE = Object.entries(CONTROLS).filter(([what]) => !['CR LF', 'LF', 'tab'].includes(what));

  it.each(MULTI_LINE.flatMap(([dto, field]) => REFUSED_HERE.map(([what, value]) => [dto.name, field, what, dto, value] as const)))(
    '%s.%s refuses %s',
    async (_name, field, _what, dto, value) => {
      expect(await constraintsOn(dto, field, value)).toContain('multiLineText');
    },
  );

  it.each(MULTI_LINE.map(([dto, field]) => [dto.name, field, dto] as const))('%s.%s keeps line breaks and tabs', async (_name, field, dto) => {
    expect(await constraintsOn(dto, field, 'First line\r\nSecond line\n\tindented')).not.toContain('multiLineText');
  });
});

/**
 * Every request class the API validates: every DTO module is loaded, so that
 * class-validator's storage holds them all, and the classes are read from
 * it, not from a list a new field could be missing from.
 */
async function everyRequestClass(): Promise<Map<Dto, ValidationMetadata[]>> {
  const root = fileURLToPath(new URL('..', import.meta.url));
  const modules = readdirSync(root, { recursive: true, encoding: 'utf8' }).filter((file) => file.endsWith('.dto.ts'));
  expect(modules.length).toBeGreaterThan(15);
  for (const file of modules) await import(join(root, file));
  const storage = getMetadataStorage() as unknown as { validationMetadatas: Map<Dto, ValidationMetadata[]> };
  return storage.validationMetadatas;
}

/** The fields that take a string: what a client can put a character in. */
const STRING_RULES = new Set(['isString', 'singleLineText', 'multiLineText', 'isEmail', 'isUrl', 'matches', 'isIn', 'isUUID', 'isCalendarDate']);

function stringFields(metadata: ValidationMetadata[]): { field: string; oneLine: boolean }[] {
  const byField = new Map<string, Set<string>>();
  for (const m of metadata) byField.set(m.propertyName, (byField.get(m.propertyName) ?? new Set()).add(m.name ?? ''));
  return [...byField]
    .filter(([field, names]) => !CREDENTIALS.has(field) && [...names].some((name) => STRING_RULES.has(name)))
    .map(([field, names]) => ({ field, oneLine: !names.has('multiLineText') }));
}

const ordinary = fc.constantFrom('', 'Anna', 'O’Brien-Smith', 'Zoë', '12 High St.', 'شريف', '张伟', 'Ада');

describe('the text rule, through the validation pipe, on every string field of every request', () => {
  it('refuses each refused character anywhere in any field with 400 naming the field; a one-line field refuses line breaks and tabs too', async () => {
    const pipe = validationPipe();
    const classes = await everyRequestClass();
    let fields = 0;
    for (const [dto, metadata] of classes) {
      const type = dto.name.endsWith('Query') ? 'query' : 'body';
      for (const { field, oneLine } of stringFields(metadata)) {
        fields += 1;
        const refused = oneLine ? fc.oneof(refusedEverywhere, oneLineBreaks) : refusedEverywhere;
        await fc.assert(
          // between words: a tab or line break at either end would be trimmed away, not refused
          fc.asyncProperty(word, refused, word, async (before, bad, after) => {
            const error = await pipe.transform({ [field]: `${before}${bad}${after}` }, { type, metatype: dto }).then(
              () => undefined,
              (e: unknown) => e,
            );
            expect(error).toBeInstanceOf(ProblemException);
            const problem = (error as ProblemException).getResponse() as { status: number; errors: { field: string }[] };
            expect(problem.status).toBe(400);
            expect(problem.errors.map((e) => e.field)).toContain(field);
          }),
          { numRuns: 25, seed: 20261206 },
        );
      }
    }
    expect(fields).toBeGreaterThan(60);
  });

  it('keeps every character the rule does not name: letters of any script, punctuation, emoji, spaces', () => {
    for (const good of ['Ada Quill — Zoë 👋', 'شريف', '张伟', 'O’Brien-Smith', 'a\u00A0b', 'e\u0301']) {
      expect(SINGLE_LINE_RULE.test(good)).toBe(true);
      expect(MULTI_LINE_RULE.test(good)).toBe(true);
    }
  });
});

describe('every text field of every request', () => {
  it('is declared single-line or multi-line, credentials apart', async () => {
    const undeclared: string[] = [];
    for (const [dto, metadata] of await everyRequestClass()) {
      const byField = new Map<string, Set<string>>();
      for (const m of metadata) byField.set(m.propertyName, (byField.get(m.propertyName) ?? new Set()).add(m.name ?? ''));
      for (const [field, names] of byField) {
        if (!names.has('isString') || CREDENTIALS.has(field)) continue;
        if (!names.has('singleLineText') && !names.has('multiLineText')) undeclared.push(`${dto.name}.${field}`);
      }
    }
    expect(undeclared).toEqual([]);
  });
});

describe('stored text on its way out', () => {
  it('loses every refused character: a line break becomes a space in one line, invisible characters go', () => {
    fc.assert(
      fc.property(ordinary, refusedEverywhere, ordinary, (before, bad, after) => {
        expect(SINGLE_LINE_RULE.test(asOneLine(`${before}${bad}${after}`))).toBe(true);
        expect(MULTI_LINE_RULE.test(asFreeText(`${before}${bad}\n\t${after}`))).toBe(true);
      }),
      { numRuns: 500, seed: 20261206 },
    );
    expect(asOneLine('Anna\u202EX')).toBe('AnnaX');
    expect(asOneLine('Anna\r\nBcc: x')).toBe('Anna  Bcc: x');
    expect(asFreeText('one\r\ntwo\u2028three\u200B')).toBe('one\ntwo three');
  });
});
