import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { ACTION_STATUSES, RECOMMENDATION_SCOPES } from '../src/actions/action-plan.entities.js';
import { CLIENT_SCOPES } from '../src/access/client-principal.js';
import { ROLES } from '../src/access/roles.js';
import { SECTORS } from '../src/agencies/agency.entity.js';
import { DECISION_OUTCOMES, HOLD_REASONS, REVIEW_TYPES, SUBJECT_ROLES } from '../src/cases/case.entities.js';
import { STAGES } from '../src/cases/stages.js';
import { LINK_KINDS } from '../src/case-links/case-link.entity.js';
import { CORRESPONDENCE_DIRECTIONS, CORRESPONDENCE_KINDS, RESPONSE_OUTCOMES } from '../src/home-office-correspondence/home-office-correspondence.entity.js';
import { MANNERS_OF_DEATH, RELATIONSHIPS } from '../src/cases/library-facts.js';
import { DATE_PRECISIONS } from '../src/chronologies/chronology.entities.js';
import { CONTRIBUTION_KINDS, CONTRIBUTION_STATUSES } from '../src/contributions/contribution-request.entity.js';
import { dataSourceOptions } from '../src/database/data-source-options.js';
import { entitiesOf } from '../src/common/feature-manifest.js';
import { APPEND_ONLY_TABLES } from '../src/database/database.queries.js';
import { FEATURES } from '../src/features.js';
import { DOCUMENT_KINDS } from '../src/documents/case-document.entity.js';
import { CONTACT_METHODS, CONTACT_PARTIES } from '../src/family-contacts/family-contact.entity.js';
import { ALERT_STATES } from '../src/milestones/sweep.service.js';
import { OUTBOX_STATUSES } from '../src/notifications/mail.service.js';
import { EMAIL_DELIVERIES } from '../src/notifications/notification.entity.js';
import { QA_OUTCOMES } from '../src/qa/qa-outcomes.js';
import { createTestDatabase } from './support/test-database.js';

/**
 * Every `column IN (...)` check constraint of the schema, by `table.column`,
 * and the TypeScript constant that must list the same values. A new check
 * list must be added here, so none goes unchecked.
 *
 * review_case.regime has no check on purpose (the Milestones migration
 * dropped it): REGIMES in src/milestones/regimes.ts is the only list.
 */
const VOCABULARIES: Record<string, readonly string[]> = {
  'agency.sector': SECTORS,
  'app_user.role': ROLES,
  'review_case.review_type': REVIEW_TYPES,
  'review_case.stage': STAGES,
  'review_case.decision_outcome': DECISION_OUTCOMES,
  'case_subject.role': SUBJECT_ROLES,
  'case_hold.reason': HOLD_REASONS,
  'contribution_request.kind': CONTRIBUTION_KINDS,
  'contribution_request.status': CONTRIBUTION_STATUSES,
  'family_contact.method': CONTACT_METHODS,
  'milestone_alert.state': ALERT_STATES,
  'email_outbox.status': OUTBOX_STATUSES,
  'notification_setting.email_delivery': EMAIL_DELIVERIES,
  'chronology_entry.date_precision': DATE_PRECISIONS,
  'case_document.kind': DOCUMENT_KINDS,
  'recommendation.scope': RECOMMENDATION_SCOPES,
  'plan_action.status': ACTION_STATUSES,
  'plan_action_progress.status_from': ACTION_STATUSES,
  'plan_action_progress.status_to': ACTION_STATUSES,
  'plan_action_progress.actor_role': ROLES,
  'qa_submission.outcome': QA_OUTCOMES,
  'api_client_scope.scope': CLIENT_SCOPES,
  'case_link.kind': LINK_KINDS,
  'family_contact.party': CONTACT_PARTIES,
  'home_office_correspondence.kind': CORRESPONDENCE_KINDS,
  'home_office_correspondence.direction': CORRESPONDENCE_DIRECTIONS,
  'home_office_correspondence.outcome': RESPONSE_OUTCOMES,
  'review_case.manner_of_death': MANNERS_OF_DEATH,
  'review_case.relationship': RELATIONSHIPS,
};


/** TypeORM column types used by the entities, as information_schema.columns.data_type names them. */
const DATA_TYPES: Record<string, string> = {
  uuid: 'uuid',
  text: 'text',
  date: 'date',
  timestamptz: 'timestamp with time zone',
  integer: 'integer',
  bigint: 'bigint',
  boolean: 'boolean',
  jsonb: 'jsonb',
  bytea: 'bytea',
  time: 'time without time zone',
};

interface CheckList {
  constraint: string;
  /** `table.column` */
  key: string;
  values: string[];
}

/**
 * PostgreSQL keeps `col IN ('a','b')` as `(col = ANY (ARRAY['a'::text, 'b'::text]))`.
 * A one-value IN becomes `col = 'a'`, which cannot be told from any other equality.
 */
const IN_LIST = /\(?(\w+)\)?(?:::[\w ]+)?\s*=\s*ANY\s*\(\(?ARRAY\[([^\]]*)\]/g;
const LITERAL = /'((?:[^']|'')*)'(?:::[\w ]+)?/g;

/** The check lists of one constraint; null when it holds a list this reader cannot make out. */
function parseCheckLists(table: string, constraint: string, definition: string): CheckList[] | null {
  const matches = [...definition.matchAll(IN_LIST)];
  const arrays = definition.split('ARRAY[').length - 1;
  if (matches.length !== arrays) return null;
  const lists: CheckList[] = [];
  for (const [, column, items] of matches) {
    const onlyLiterals = items.replace(LITERAL, '').replace(/[\s,]/g, '') === '';
    const values = [...items.matchAll(LITERAL)].map(([, value]) => value.replace(/''/g, "'"));
    if (!onlyLiterals || values.length === 0) return null;
    lists.push({ constraint, key: `${table}.${column}`, values });
  }
  return lists;
}

const sorted = (values: readonly string[]) => [...values].sort();

describe('reading a check constraint', () => {
  it('finds each IN list, on text and on cast columns, with quotes inside values', () => {
    const definition =
      "CHECK (((kind = ANY (ARRAY['a'::text, 'it''s'::text])) AND ((mode)::text = ANY ((ARRAY['x'::character varying, 'y'::character varying])::text[]))))";
    expect(parseCheckLists('t', 't_check', definition)).toEqual([
      { constraint: 't_check', key: 't.kind', values: ['a', "it's"] },
      { constraint: 't_check', key: 't.mode', values: ['x', 'y'] },
    ]);
  });

  it('finds no list where there is none', () => {
    expect(parseCheckLists('t', 't_check', "CHECK (((status = 'waived'::text) = (waived_reason IS NOT NULL)))")).toEqual([]);
  });

  it('gives up, rather than skip, on a list it cannot read', () => {
    expect(parseCheckLists('t', 't_check', "CHECK ((kind <> ALL (ARRAY['a'::text, 'b'::text])))")).toBeNull();
    expect(parseCheckLists('t', 't_check', "CHECK ((kind = ANY (ARRAY[lower('a'::text)])))")).toBeNull();
  });
});

describe('the schema and the code agree', () => {
  let dataSource: DataSource;
  let checkLists: CheckList[];
  let unreadable: string[];
  let columns: Map<string, { data_type: string; is_nullable: 'YES' | 'NO' }>;

  beforeAll(async () => {
    const url = await createTestDatabase();
    dataSource = await new DataSource(dataSourceOptions({ url, poolSize: 2, statementTimeoutMs: 15_000 })).initialize();
    const constraints: { table: string; constraint: string; definition: string }[] = await dataSource.query(`
      SELECT c.conrelid::regclass::text AS table, c.conname AS constraint, pg_get_constraintdef(c.oid) AS definition
        FROM pg_constraint c
       WHERE c.contype = 'c' AND c.connamespace = 'public'::regnamespace
       ORDER BY 1, 2`);
    checkLists = [];
    unreadable = [];
    for (const { table, constraint, definition } of constraints) {
      const lists = parseCheckLists(table, constraint, definition);
      if (lists) checkLists.push(...lists);
      else unreadable.push(`${table}.${constraint}: ${definition}`);
    }
    const rows: { table_name: string; column_name: string; data_type: string; is_nullable: 'YES' | 'NO' }[] =
      await dataSource.query(`
        SELECT table_name, column_name, data_type, is_nullable
          FROM information_schema.columns
         WHERE table_schema = 'public'`);
    columns = new Map(rows.map((r) => [`${r.table_name}.${r.column_name}`, r]));
  });
  afterAll(() => dataSource?.destroy());

  describe('check constraints that list values', () => {
    it('are all read, and each is mapped to a TypeScript constant or listed as not yet mapped', () => {
      expect(unreadable).toEqual([]);
      expect(checkLists.length).toBeGreaterThan(0);
      const known = new Set(Object.keys(VOCABULARIES));
      expect(checkLists.filter((l) => !known.has(l.key)).map((l) => `${l.key} (${l.constraint})`)).toEqual([]);
    });

    it.each(Object.entries(VOCABULARIES))('%s lists the same values as its constant', (key, constant) => {
      const lists = checkLists.filter((l) => l.key === key);
      expect(lists.map((l) => l.constraint)).not.toEqual([]);
      for (const list of lists) expect(sorted(list.values)).toEqual(sorted(constant));
    });
  });

  describe('every entity column', () => {
    it.each(entitiesOf(FEATURES).map((entity) => [entity.name, entity] as const))('%s exists in its table, with the same type and nullability', (_name, entity) => {
      const metadata = dataSource.getMetadata(entity);
      const mismatches: string[] = [];
      for (const column of metadata.columns) {
        const key = `${metadata.tableName}.${column.databaseName}`;
        const found = columns.get(key);
        const type = typeof column.type === 'string' ? column.type : column.type.name;
        if (!found) {
          mismatches.push(`${key}: no such column`);
          continue;
        }
        if (!(type in DATA_TYPES)) mismatches.push(`${key}: entity type ${type} is not in DATA_TYPES`);
        else if (DATA_TYPES[type] !== found.data_type) mismatches.push(`${key}: entity ${type}, database ${found.data_type}`);
        const nullable = found.is_nullable === 'YES';
        if (column.isNullable !== nullable) {
          mismatches.push(`${key}: entity ${column.isNullable ? 'nullable' : 'not nullable'}, database ${nullable ? 'nullable' : 'NOT NULL'}`);
        }
      }
      expect(mismatches).toEqual([]);
    });
  });

  it('refuses changes on exactly the append-only tables the feature modules declare', async () => {
    // A trigger on each refuses UPDATE, DELETE and TRUNCATE; the grants (database.queries.ts) follow the declarations.
    const rows: { table: string }[] = await dataSource.query(`
      SELECT DISTINCT t.tgrelid::regclass::text AS table
        FROM pg_trigger t
        JOIN pg_proc p ON p.oid = t.tgfoid
        JOIN pg_class c ON c.oid = t.tgrelid
       WHERE p.proname LIKE '%\\_is\\_append\\_only' AND NOT c.relispartition`);
    expect(rows.map((r) => r.table).sort()).toEqual([...APPEND_ONLY_TABLES].sort());
  });
});
