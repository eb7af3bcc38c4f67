import 'reflect-metadata';
import { describe, expect, it } from '@jest/globals';
import { plainToInstance } from 'class-transformer';
import { getMetadataStorage, validate } from 'class-validator';
import { AgencyQuery, CreateAgencyRequest, UpdateAgencyRequest } from '../agencies/agency.dto.js';
import { AuditQuery } from '../audit/audit.dto.js';
import { LoginRequest, RefreshRequest } from '../auth/auth.dto.js';
import {
  CaseQuery,
  CreateCaseRequest,
  DecisionRequest,
  EndHoldRequest,
  NewSubject,
  StartHoldRequest,
  SubjectUpdate,
  TransitionRequest,
  UpdateCaseRequest,
} from '../cases/case.dto.js';
import { CreateContributionRequest, WaiveContributionRequest } from '../contributions/contribution.dto.js';
import { CreateFamilyContactRequest } from '../family-contacts/family-contact.dto.js';
import { AsOfQuery, MilestoneQuery } from '../milestones/milestone.dto.js';
import { NotificationQuery } from '../notifications/notification.dto.js';
import { AddPanelAgencyRequest } from '../panel/panel.dto.js';
import { CreateUserRequest, UpdateUserRequest } from '../users/user.dto.js';
import { PageQuery } from './pagination.js';

type Dto = new () => object;

/** Every request body and query the API validates. */
const REQUESTS: Dto[] = [
  PageQuery,
  CreateAgencyRequest,
  UpdateAgencyRequest,
  AgencyQuery,
  AuditQuery,
  LoginRequest,
  RefreshRequest,
  NewSubject,
  CreateCaseRequest,
  SubjectUpdate,
  UpdateCaseRequest,
  CaseQuery,
  DecisionRequest,
  TransitionRequest,
  StartHoldRequest,
  EndHoldRequest,
  CreateContributionRequest,
  WaiveContributionRequest,
  CreateFamilyContactRequest,
  AsOfQuery,
  MilestoneQuery,
  NotificationQuery,
  AddPanelAgencyRequest,
  CreateUserRequest,
  UpdateUserRequest,
];

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
  const REFUSED = Object.entries(CONTROLS).filter(([what]) => !['CR LF', 'LF', 'tab'].includes(what));

  it.each(MULTI_LINE.flatMap(([dto, field]) => REFUSED.map(([what, value]) => [dto.name, field, what, dto, value] as const)))(
    '%s.%s refuses %s',
    async (_name, field, _what, dto, value) => {
      expect(await constraintsOn(dto, field, value)).toContain('multiLineText');
    },
  );

  it.each(MULTI_LINE.map(([dto, field]) => [dto.name, field, dto] as const))('%s.%s keeps line breaks and tabs', async (_name, field, dto) => {
    expect(await constraintsOn(dto, field, 'First line\r\nSecond line\n\tindented')).not.toContain('multiLineText');
  });
});

describe('every text field of every request', () => {
  it('is declared single-line or multi-line, credentials apart', () => {
    const storage = getMetadataStorage();
    const undeclared: string[] = [];
    for (const dto of REQUESTS) {
      const metadata = storage.getTargetValidationMetadatas(dto, '', true, false);
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
