/**
 * npm run seed:scale -- --cases 20000 [--seed 7]
 *
 * A national-scale dataset of fictional reviews: 40 partnerships (the four
 * Devon CSPs and 36 invented ones), 300 agencies, the users in SCALE_USERS,
 * and N cases spread over every stage with everything their stage implies
 * (subjects, holds, panels, contribution requests, family contacts,
 * documents, sign-offs, QA rounds, publications, recommendations and actions
 * with their progress, chronologies, and an audit trail over each case's
 * life), then each case's stored milestone state, computed the way the
 * product computes it.
 *
 * Everything is bulk SQL (INSERT … SELECT over generate_series) whose values
 * are hashes of (seed, case number, salt): case i's rows depend on nothing
 * else, so growing the database 1k → 10k → 20k gives the rows 20k at once
 * would. Dates are counted back from a fixed day (ANCHOR), not from today.
 * The database grows: with K scale cases present it adds K+1..N. It refuses
 * a database that holds any case of another origin.
 */
import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { getDataSourceToken } from '@nestjs/typeorm';
import { pathToFileURL } from 'node:url';
import pg from 'pg';
import type { DataSource } from 'typeorm';
import { AppModule } from '../src/app.module.js';
import { hashPassword } from '../src/auth/passwords.js';
import { londonDate } from '../src/common/calendar.js';
import { loadConfig, milestoneSettingsVars, type AppConfig } from '../src/config/app-config.js';
import { commandLineTool, migrateDatabase, openDatabase } from '../src/database/open-database.js';
import { MilestoneSources } from '../src/milestones/milestone-sources.js';
import { refreshMilestoneState } from '../src/milestones/milestone-state.js';

export const SCALE_PASSWORD = 'scale-password-1';

/** The day every seeded date is counted back from: fixed, so that a case's rows never depend on the day they were made. */
export const ANCHOR = '2026-11-02';

/** The four CSPs the Foundation migration makes, then 36 invented ones (no real place is meant). */
const DEVON = ['east-mid-devon', 'exeter', 'north-devon-torridge', 'south-devon-dartmoor'];
const INVENTED = [
  'Ambervale', 'Brackenholm', 'Corrowmere', 'Dunhallow Reach', 'Elderwick', 'Fernmouth', 'Glassbrook', 'Harrowdene',
  'Ivystone', 'Juniper Flats', 'Kestrel Moor', 'Larkhollow', 'Millbeck Vale', 'Northwold Quay', 'Oakhurst Fen', 'Pellinore',
  'Quillby', 'Rushcombe', 'Saltmarren', 'Thornleigh Downs', 'Umberfield', 'Vellacott', 'Wrenhampton', 'Yarrowby',
  'Ashgrove Wold', 'Bramblecote', 'Cloudberry', 'Dovecombe', 'Emberton Sands', 'Foxmarsh', 'Greywater', 'Hollinsby',
  'Inglemere', 'Jessamy Bay', 'Kingsfold Heath', 'Lowenna',
];
export const SCALE_PARTNERSHIPS: readonly { code: string; name: string | null }[] = [
  ...DEVON.map((code) => ({ code, name: null })),
  ...INVENTED.map((name) => ({ code: name.toLowerCase().replace(/ /g, '-'), name })),
];
export const SCALE_AGENCIES = 300;
export const SCALE_REVIEWERS = 200;
const SECTORS = ['police', 'health', 'local_authority', 'probation', 'housing', 'voluntary', 'education', 'other'];
const SECTOR_LABELS = ['Police', 'Health Trust', 'Council', 'Probation Service', 'Housing', 'Domestic Abuse Service', 'Schools', 'Ambulance Service'];

export interface ScaleUser {
  email: string;
  role: 'sdp_admin' | 'csp_chair' | 'review_chair' | 'agency_lead';
  partnershipCode?: string;
  /** 1..300: the agency an agency lead leads. */
  agency?: number;
}

/** Every user the seed makes; all sign in with SCALE_PASSWORD. */
export const SCALE_USERS: readonly ScaleUser[] = [
  { email: 'admin@scale.example', role: 'sdp_admin' },
  ...SCALE_PARTNERSHIPS.map((p): ScaleUser => ({ email: `chair-${p.code}@scale.example`, role: 'csp_chair', partnershipCode: p.code })),
  ...Array.from({ length: SCALE_REVIEWERS }, (_, n): ScaleUser => ({ email: `reviewer-${n + 1}@scale.example`, role: 'review_chair' })),
  ...Array.from({ length: SCALE_AGENCIES }, (_, n): ScaleUser => ({ email: `lead-${n + 1}@scale.example`, role: 'agency_lead', agency: n + 1 })),
];

export interface ScaleOptions {
  cases: number;
  seed?: number;
  log?: (line: string) => void;
}

export interface TableFigures {
  table: string;
  rows: number;
  seconds: number;
}

export interface ScaleSummary {
  seed: number;
  casesBefore: number;
  casesAfter: number;
  tables: TableFigures[];
  seconds: number;
}

/** Why the seed will not touch a database: it is someone's real data, or another seed's. */
export class ScaleSeedRefused extends Error {}

const text = (values: readonly string[]) => `ARRAY[${values.map((v) => `'${v.replace(/'/g, "''")}'`).join(',')}]`;

/**
 * Temporary helpers of this session: h(i, salt) is a number in [0, 1) from
 * (seed, i, salt); pick(array, i, salt) one element; uid(kind, a, b) a
 * deterministic uuid of this seed, fid(kind, n) one of the fixed parts
 * (the same whatever the seed).
 */
function helpers(seed: number): string[] {
  return [
    // md5 hex shaped as a version-4 uuid (version nibble 4, variant 8), which the API's uuid checks accept
    `CREATE FUNCTION pg_temp.v4(hex text) RETURNS uuid LANGUAGE sql IMMUTABLE PARALLEL SAFE AS
       $$ SELECT overlay(overlay(hex placing '4' from 13) placing '8' from 17)::uuid $$`,
    `CREATE FUNCTION pg_temp.h(i bigint, salt int) RETURNS float8 LANGUAGE sql IMMUTABLE PARALLEL SAFE AS
       $$ SELECT (hashint8extended(i, ${seed}::bigint * 1000 + salt) & 2147483647)::float8 / 2147483648 $$`,
    `CREATE FUNCTION pg_temp.pick(a text[], i bigint, salt int) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE AS
       $$ SELECT a[1 + floor(pg_temp.h(i, salt) * array_length(a, 1))::int] $$`,
    `CREATE FUNCTION pg_temp.uid(kind text, a bigint, b bigint) RETURNS uuid LANGUAGE sql IMMUTABLE PARALLEL SAFE AS
       $$ SELECT pg_temp.v4(md5('scale:${seed}:' || kind || ':' || a || ':' || b)) $$`,
    `CREATE FUNCTION pg_temp.fid(kind text, n bigint) RETURNS uuid LANGUAGE sql IMMUTABLE PARALLEL SAFE AS
       $$ SELECT pg_temp.v4(md5('scale:' || kind || ':' || n)) $$`,
    // A moment on day d: office hours, London time.
    `CREATE FUNCTION pg_temp.at(d date, i bigint, salt int) RETURNS timestamptz LANGUAGE sql IMMUTABLE PARALLEL SAFE AS
       $$ SELECT ((d + time '08:30' + (floor(pg_temp.h(i, salt) * 540)::int * interval '1 minute')) AT TIME ZONE 'Europe/London') $$`,
  ];
}

const FIRST_NAMES = ['Ada', 'Bram', 'Cora', 'Dorian', 'Edie', 'Felix', 'Greta', 'Hugo', 'Iris', 'Jasper', 'Kit', 'Lena', 'Milo', 'Nell', 'Otto', 'Pia', 'Rufus', 'Sable', 'Tamsin', 'Ulric', 'Vera', 'Wilf', 'Xanthe', 'Yves', 'Zelda'];
const SURNAMES = ['Quill', 'Marrowby', 'Fenwright', 'Ashdown-Pike', 'Collander', 'Drewitt', 'Eastleigh', 'Farthing', 'Gorsedge', 'Hallowell', 'Inchcape', 'Jollyman', 'Kettering-Vane', 'Lumbury', 'Mossop', 'Nettleford', 'Openshaw', 'Pennicott', 'Quarrie', 'Rookwell'];
const PSEUDONYMS = ['Anna', 'Beth', 'Carla', 'Dee', 'Ellie', 'Faye', 'Gina', 'Hana', 'Isla', 'Jade', 'Kay', 'Lucy', 'Maya', 'Nina', 'Orla', 'Pam', 'Rosa', 'Sian', 'Tess', 'Una'];
const MALE_PSEUDONYMS = ['Adam', 'Ben', 'Carl', 'Dan', 'Eli', 'Finn', 'Gus', 'Hal', 'Ivan', 'Joe', 'Ken', 'Leo', 'Max', 'Ned', 'Ollie', 'Pete', 'Ray', 'Sam', 'Tom', 'Vic'];
const STREETS = ['Mill Lane', 'Church Row', 'Harbour View', 'Orchard Close', 'Station Road', 'The Crescent', 'Quarry Hill', 'Meadow Walk'];
const DETAILS = [
  'Call to report a verbal argument at the address; no offences disclosed',
  'Attended surgery with low mood; signposted to talking therapies',
  'Referral received from the school about a child disclosing shouting at home',
  'Risk assessment completed: medium risk; safety plan discussed',
  'Missed appointment; letter sent offering a new date',
  'Neighbour reported a disturbance late at night; officers attended',
  'Housing repair request for a damaged door; tenant declined to say how',
  'Case discussed at the multi-agency meeting; actions agreed',
  'Telephone contact: worried about money and being watched',
  'Attended the emergency department with a wrist injury, said to be a fall',
  'Probation supervision appointment; relationship status recorded',
  'Outreach worker home visit; victim asked not to be contacted by letter',
];
const EVENT_TYPES = ['call', 'appointment', 'referral', 'visit', 'assessment', 'meeting', 'letter', 'attendance'];
const SOURCES = ['Case record', 'Call log', 'Electronic patient record', 'Risk assessment form', 'Visit notes', 'Meeting minutes'];
const ACTIONS_TAKEN = ['Advice given', 'Referral made', 'No further action', 'Safety plan agreed', 'Follow-up booked'];
const RECOMMENDATIONS = [
  'Agencies should ask about domestic abuse at every first contact and record the answer.',
  'The partnership should refresh its training on coercive and controlling behaviour.',
  'Risk information should be shared with the MARAC within one working day.',
  'Front-line staff should consider economic abuse when a client reports money worries.',
  'Services should follow up missed appointments by someone at risk within a week.',
  'The partnership should audit how referrals from schools are acted upon.',
];
/** The departments and national bodies national recommendations are addressed to (docs/domain.md, "Family, friends and others"). */
const ADDRESSEES = ['Home Office', 'Department of Health and Social Care', 'Ministry of Justice', 'Department for Education', 'Domestic Abuse Commissioner'];
const ACTION_TEXTS = [
  'Add a routine enquiry prompt to the first-contact record.',
  'Deliver a training session to front-line staff and record attendance.',
  'Update the information-sharing protocol and circulate it.',
  'Audit a sample of cases and report the findings to the partnership.',
  'Publish a short guide for practitioners on the warning signs.',
  'Review the missed-appointment procedure and amend it.',
];
const AUDIT_ACTIONS = [
  'case.read', 'case.read', 'case.read', 'case.read', 'case.read', 'case.read', 'case.updated', 'family_contact.list_read',
  'document.list_read', 'document.list_read', 'chronology.combined_read', 'case.read', 'protected_term.list_read', 'case.read',
];
const THEMES = [
  'coercive_control', 'economic_abuse', 'stalking', 'separation', 'mental_health', 'substance_misuse', 'suicide', 'children_in_household',
  'older_victim', 'carer', 'honour_based_abuse', 'risk_assessment', 'information_sharing', 'marac', 'professional_curiosity',
];

/** The fixed parts: partnerships, agencies and users, made once (a second run finds them and adds nothing). */
function fixedParts(passwordHash: string): { table: string; sql: string; params?: unknown[] }[] {
  const invented = SCALE_PARTNERSHIPS.slice(DEVON.length);
  return [
    {
      table: 'partnership',
      sql: `INSERT INTO partnership (id, code, name, created_at)
            SELECT pg_temp.fid('partnership', n), code, name || ' Community Safety Partnership', timestamptz '${ANCHOR} 09:00+00' - interval '6 years'
              FROM unnest(${text(invented.map((p) => p.code))}, ${text(invented.map((p) => p.name!))}) WITH ORDINALITY AS p(code, name, n)
            ON CONFLICT (code) DO NOTHING`,
    },
    {
      table: 'agency',
      // Agency n belongs (for panels) to partnership 1 + (n - 1) % 40; the name says so.
      sql: `INSERT INTO agency (id, name, sector, created_at, updated_at)
            SELECT pg_temp.fid('agency', n), p.place || ' ' || (${text(SECTOR_LABELS)})[s],
                   (${text(SECTORS)})[s], timestamptz '${ANCHOR} 09:00+00' - interval '6 years', timestamptz '${ANCHOR} 09:00+00' - interval '6 years'
              FROM generate_series(1, ${SCALE_AGENCIES}) n
              CROSS JOIN LATERAL (SELECT 1 + ((n - 1) / ${SCALE_PARTNERSHIPS.length}) % 8 AS s) sector
              JOIN scale_partnership p ON p.no = 1 + (n - 1) % ${SCALE_PARTNERSHIPS.length}
            ON CONFLICT (id) DO NOTHING`,
    },
    {
      table: 'app_user',
      sql: `INSERT INTO app_user (id, email, name, role, partnership_id, agency_id, password_hash, created_at, updated_at)
            SELECT u.id, u.email, u.name, u.role, u.partnership_id, u.agency_id, $1, timestamptz '${ANCHOR} 09:00+00' - interval '6 years', timestamptz '${ANCHOR} 09:00+00' - interval '6 years'
              FROM (SELECT pg_temp.fid('user', 0) AS id, 'admin@scale.example' AS email, 'Scale Administrator' AS name, 'sdp_admin' AS role, NULL::uuid AS partnership_id, NULL::uuid AS agency_id
                    UNION ALL
                    SELECT chair_id, 'chair-' || code || '@scale.example', 'Chair of ' || place, 'csp_chair', id, NULL FROM scale_partnership
                    UNION ALL
                    SELECT pg_temp.fid('reviewer', n), 'reviewer-' || n || '@scale.example', pg_temp.pick(${text(FIRST_NAMES)}, n, 1) || ' ' || pg_temp.pick(${text(SURNAMES)}, n, 2) || ' (reviewer ' || n || ')',
                           'review_chair', NULL, NULL FROM generate_series(1, ${SCALE_REVIEWERS}) n
                    UNION ALL
                    SELECT pg_temp.fid('lead', n), 'lead-' || n || '@scale.example', pg_temp.pick(${text(FIRST_NAMES)}, n, 3) || ' ' || pg_temp.pick(${text(SURNAMES)}, n, 4) || ' (lead ' || n || ')',
                           'agency_lead', NULL, pg_temp.fid('agency', n) FROM generate_series(1, ${SCALE_AGENCIES}) n) u
             WHERE NOT EXISTS (SELECT 1 FROM app_user x WHERE lower(x.email) = u.email)`,
      params: [passwordHash],
    },
  ];
}

/** The partnerships by number (1..40) with their chair: the Devon four by code, then the invented ones in order. */
const PARTNERSHIP_MAP = `
  CREATE TEMP TABLE scale_partnership AS
  SELECT p.no, p.code, coalesce(x.id, pg_temp.fid('partnership', p.no - ${DEVON.length})) AS id,
         coalesce(p.name, x.name) AS place, pg_temp.fid('chair', p.no) AS chair_id
    FROM unnest(${text(SCALE_PARTNERSHIPS.map((p) => p.code))}, ${text(SCALE_PARTNERSHIPS.map((p) => p.name ?? ''))}) WITH ORDINALITY AS p0(code, name, no)
    CROSS JOIN LATERAL (SELECT p0.no::int AS no, p0.code, nullif(p0.name, '') AS name) p
    LEFT JOIN partnership x ON x.code = p.code`;

/**
 * One row per new case: its stage (level 0 notified … 9 closed, with
 * not_commissioned beside level 1, and discontinued from levels 1 to 4, about
 * one in twenty of those) and the day it reached each stage, counted back
 * from ANCHOR so that every date is in the past.
 */
function caseTable(from: number, to: number): string {
  // Days from notification to each step (cumulative), and how long the case has been at its stage.
  return `
  CREATE TEMP TABLE sc AS
  WITH base AS (
    -- Cases 1..12 take one stage each (the middle of its band; case 12 is discontinued from information gathering), so that even a small dataset has every stage.
    SELECT i, CASE WHEN i <= 12 THEN (ARRAY[0.025, 0.075, 0.125, 0.185, 0.295, 0.43, 0.515, 0.58, 0.64, 0.73, 0.9, 0.295])[i] ELSE pg_temp.h(i, 1) END AS r,
           5 + floor(pg_temp.h(i, 11) * 25)::int AS d1, 20 + floor(pg_temp.h(i, 12) * 40)::int AS d2,
           10 + floor(pg_temp.h(i, 13) * 20)::int AS d3, 90 + floor(pg_temp.h(i, 14) * 90)::int AS d4,
           60 + floor(pg_temp.h(i, 15) * 60)::int AS d5, 10 + floor(pg_temp.h(i, 16) * 20)::int AS d6,
           40 + floor(pg_temp.h(i, 17) * 80)::int AS d7, 20 + floor(pg_temp.h(i, 18) * 40)::int AS d8,
           366 + floor(pg_temp.h(i, 19) * 150)::int AS d9, pg_temp.h(i, 20) AS dwell
      FROM generate_series(${from}, ${to}) i
  ), levelled AS (
    SELECT *, CASE WHEN r < 0.05 THEN 0 WHEN r < 0.10 THEN 1 WHEN r < 0.15 THEN 1 WHEN r < 0.22 THEN 2 WHEN r < 0.37 THEN 3
                   WHEN r < 0.49 THEN 4 WHEN r < 0.54 THEN 5 WHEN r < 0.62 THEN 6 WHEN r < 0.66 THEN 7 WHEN r < 0.80 THEN 8 ELSE 9 END AS lvl,
              r >= 0.05 AND r < 0.10 AS refused,
              r >= 0.10 AND r < 0.54 AND (i = 12 OR (i > 12 AND pg_temp.h(i, 21) < 0.05)) AS discontinued
      FROM base
  ), offsets AS (
    SELECT *, d1 AS o1, d1 + d2 AS o2, d1 + d2 + d3 AS o3, d1 + d2 + d3 + d4 AS o4, d1 + d2 + d3 + d4 + d5 AS o5,
              d1 + d2 + d3 + d4 + d5 + d6 AS o6, d1 + d2 + d3 + d4 + d5 + d6 + d7 AS o7,
              d1 + d2 + d3 + d4 + d5 + d6 + d7 + d8 AS o8, d1 + d2 + d3 + d4 + d5 + d6 + d7 + d8 + d9 AS o9
      FROM levelled
  ), aged AS (
    SELECT *, (CASE WHEN refused THEN o1 + floor(dwell * 400)::int
                    ELSE (ARRAY[0, o1, o2, o3, o4, o5, o6, o7, o8, o9])[lvl + 1]
                       + floor(dwell * (CASE lvl WHEN 0 THEN 20 WHEN 9 THEN 400 ELSE (ARRAY[o1, o2, o3, o4, o5, o6, o7, o8, o9])[lvl + 1] - (ARRAY[0, o1, o2, o3, o4, o5, o6, o7, o8])[lvl + 1] END))::int END) AS age
      FROM offsets
  )
  SELECT i, pg_temp.uid('case', i, 0) AS id, 'SCALE-' || lpad(i::text, 6, '0') AS reference,
         1 + floor(pg_temp.h(i, 2) * ${SCALE_PARTNERSHIPS.length})::int AS pno,
         pg_temp.h(i, 3) < 0.12 AS dardr, lvl, refused, discontinued,
         CASE WHEN refused THEN 'not_commissioned' WHEN discontinued THEN 'discontinued'
              ELSE (ARRAY['notified','commissioned','panel_established','information_gathering','drafting','csp_sign_off',
                          'home_office_qa','approved_for_publication','published','closed'])[lvl + 1] END AS stage,
         n, CASE WHEN lvl >= 1 THEN n + o1 END AS decided_on,
         CASE WHEN lvl >= 1 AND NOT refused THEN n + o1 END AS commissioned_on,
         CASE WHEN lvl >= 2 THEN n + o2 END AS panel_on, CASE WHEN lvl >= 3 THEN n + o3 END AS info_on,
         CASE WHEN lvl >= 4 THEN n + o4 END AS draft_on, CASE WHEN lvl >= 5 THEN n + o5 END AS signoff_on,
         CASE WHEN lvl >= 6 THEN n + o6 END AS ho_on, CASE WHEN lvl >= 7 THEN n + o7 END AS approved_on,
         CASE WHEN lvl >= 8 THEN n + o8 END AS published_on, CASE WHEN lvl >= 9 THEN n + o9 END AS closed_on,
         CASE WHEN lvl >= 9 THEN n + o9 ELSE DATE '${ANCHOR}' END AS last_on,
         -- Discontinued some days into its last stage, never before it reached it.
         CASE WHEN discontinued THEN greatest(n + (ARRAY[0, o1, o2, o3, o4])[lvl + 1], DATE '${ANCHOR}' - floor(pg_temp.h(i, 22) * 30)::int) END AS discontinued_on,
         pg_temp.fid('reviewer', 1 + floor(pg_temp.h(i, 4) * ${SCALE_REVIEWERS})::int) AS reviewer_id,
         pg_temp.pick(${text(PSEUDONYMS)}, i, 5) AS victim_pseudonym, pg_temp.pick(${text(MALE_PSEUDONYMS)}, i, 6) AS other_pseudonym
    FROM (SELECT *, DATE '${ANCHOR}' - age AS n FROM aged) a`;
}

/**
 * The rows of the new cases, table by table, in an order the foreign keys
 * accept. Each statement reads the temporary tables sc (the cases),
 * scale_partnership and, once made, scp (each case's panel).
 */
function caseParts(): { table: string; sql: string }[] {
  const admin = `pg_temp.fid('user', 0)`;
  // A case named DARDR is judged by the 2024 regime only where it was law on the day of notification (docs/domain.md, "Review types and regimes").
  const commenced = milestoneSettingsVars().dardrCommencementDate;
  const dardrInForce = commenced ? `n >= DATE '${commenced}'` : 'FALSE';
  const lead = (agencyNo: string) => `pg_temp.fid('lead', ${agencyNo})`;
  return [
    {
      table: 'review_case',
      sql: `INSERT INTO review_case (id, reference, partnership_id, review_type, regime, stage, notified_on, notification_source, date_of_death, summary,
                                     decision_outcome, decided_on, decision_rationale, commissioned_on, home_office_notified_on, terms_of_reference_agreed_on,
                                     review_chair_id, completed_on, first_completed_on, statutory_copy_sent_on, version, created_by, created_at, updated_at)
            SELECT c.id, c.reference, p.id, CASE WHEN dardr THEN 'DARDR' ELSE 'DHR' END, CASE WHEN dardr AND ${dardrInForce} THEN 'dardr-2024' ELSE 'dhr-2016' END,
                   stage, n, pg_temp.pick(ARRAY['Police public protection unit notification','Coroner''s officer','Police major crime team'], i, 30),
                   n - 3 - floor(pg_temp.h(i, 31) * 30)::int,
                   'A fictional review for the scale dataset: ' || pg_temp.pick(ARRAY['death at home after years of coercive control','death following separation and stalking','suicide after economic abuse','death of an older victim cared for by a partner'], i, 32) || '.',
                   CASE WHEN refused THEN 'no_review' WHEN lvl >= 1 THEN 'commission' END, decided_on,
                   CASE WHEN refused THEN 'The criteria for a review are not met: the death was not related to domestic abuse.'
                        WHEN lvl >= 1 THEN 'The criteria for a review are met.' END,
                   commissioned_on,
                   CASE WHEN lvl >= 2 OR (lvl = 1 AND pg_temp.h(i, 33) < 0.8) THEN least(DATE '${ANCHOR}', decided_on + 1 + floor(pg_temp.h(i, 34) * 10)::int) END,
                   CASE WHEN lvl >= 2 THEN panel_on - 2 END,
                   CASE WHEN lvl >= 2 OR (lvl = 1 AND NOT refused AND pg_temp.h(i, 35) < 0.5) THEN reviewer_id END,
                   ho_on, ho_on,
                   CASE WHEN dardr AND lvl >= 6 AND pg_temp.h(i, 36) < 0.7 THEN least(DATE '${ANCHOR}', ho_on + 10 + floor(pg_temp.h(i, 37) * 30)::int) END,
                   1 + lvl + CASE WHEN discontinued THEN 1 ELSE 0 END, ${admin}, pg_temp.at(n, i, 38),
                   pg_temp.at(coalesce(discontinued_on, closed_on, published_on, approved_on, ho_on, signoff_on, draft_on, info_on, panel_on, decided_on, n), i, 39)
              FROM sc c JOIN scale_partnership p ON p.no = c.pno`,
    },
    {
      table: 'case_subject',
      sql: `INSERT INTO case_subject (id, case_id, position, role, full_name, pseudonym, date_of_birth, address)
            SELECT pg_temp.uid('subject', i, s.position), c.id, s.position, s.role,
                   pg_temp.pick(${text(FIRST_NAMES)}, i * 4 + s.position, 40) || ' ' || pg_temp.pick(${text(SURNAMES)}, i * 4 + s.position, 41),
                   CASE s.position WHEN 0 THEN victim_pseudonym WHEN 1 THEN other_pseudonym
                        ELSE CASE WHEN lvl < 7 AND pg_temp.h(i, 42) < 0.5 THEN NULL ELSE pg_temp.pick(${text(PSEUDONYMS)}, i, 43) END END,
                   CASE WHEN s.position = 0 THEN n - 6570 - floor(pg_temp.h(i, 44) * 20000)::int END,
                   CASE WHEN s.position = 0 THEN (1 + floor(pg_temp.h(i, 45) * 120)::int) || ' ' || pg_temp.pick(${text(STREETS)}, i, 46) || ', ' || p.place END
              FROM sc c JOIN scale_partnership p ON p.no = c.pno
              CROSS JOIN LATERAL (VALUES (0, 'victim'), (1, 'perpetrator'), (2, 'other')) s(position, role)
             WHERE s.position = 0 OR (s.position = 1 AND pg_temp.h(i, 47) < 0.75) OR (s.position = 2 AND pg_temp.h(i, 48) < 0.2)`,
    },
    {
      table: 'case_transition',
      sql: `INSERT INTO case_transition (id, case_id, from_stage, to_stage, actor_id, actor_role, comment, occurred_at)
            SELECT pg_temp.uid('transition', i, t.k), c.id, t.from_stage, t.to_stage,
                   CASE t.who WHEN 'chair' THEN p.chair_id WHEN 'reviewer' THEN reviewer_id ELSE ${admin} END,
                   CASE t.who WHEN 'chair' THEN 'csp_chair' WHEN 'reviewer' THEN 'review_chair' ELSE 'sdp_admin' END,
                   CASE WHEN t.k = 10 THEN 'Merged into a Safeguarding Adults Review run jointly.' END,
                   pg_temp.at(t.on_day, i, 50 + t.k)
              FROM sc c JOIN scale_partnership p ON p.no = c.pno
              CROSS JOIN LATERAL (VALUES
                (0, NULL, 'notified', n, 'admin'),
                (1, 'notified', CASE WHEN refused THEN 'not_commissioned' ELSE 'commissioned' END, decided_on, 'chair'),
                (2, 'commissioned', 'panel_established', panel_on, 'reviewer'),
                (3, 'panel_established', 'information_gathering', info_on, 'reviewer'),
                (4, 'information_gathering', 'drafting', draft_on, 'reviewer'),
                (5, 'drafting', 'csp_sign_off', signoff_on, 'reviewer'),
                (6, 'csp_sign_off', 'home_office_qa', ho_on, 'chair'),
                (7, 'home_office_qa', 'approved_for_publication', approved_on, 'admin'),
                (8, 'approved_for_publication', 'published', published_on, 'chair'),
                (9, 'published', 'closed', closed_on, 'chair'),
                (10, (ARRAY['notified','commissioned','panel_established','information_gathering','drafting'])[least(lvl, 4) + 1], 'discontinued', discontinued_on, 'chair'))
                t(k, from_stage, to_stage, on_day, who)
             WHERE t.k <= c.lvl OR (t.k = 10 AND c.discontinued)
             ORDER BY c.i, t.k`,
    },
    {
      table: 'case_hold',
      sql: `INSERT INTO case_hold (id, case_id, reason, started_on, ended_on, note, created_by, created_at)
            SELECT pg_temp.uid('hold', i, 0), id, reason, started_on,
                   CASE WHEN lvl <= 7 AND pg_temp.h(i, 62) < 0.35 THEN NULL
                        ELSE least(DATE '${ANCHOR}', started_on + 20 + floor(pg_temp.h(i, 63) * 150)::int) END,
                   'Paused while ' || CASE reason WHEN 'criminal_proceedings' THEN 'the criminal trial runs' WHEN 'inquest' THEN 'the inquest is heard' WHEN 'iopc' THEN 'the IOPC investigates' ELSE 'a parallel review finishes' END,
                   reviewer_id, pg_temp.at(started_on, i, 64)
              FROM (SELECT *, commissioned_on + 10 + floor(pg_temp.h(i, 60) * 50)::int AS started_on,
                           pg_temp.pick(ARRAY['criminal_proceedings','criminal_proceedings','inquest','iopc','other'], i, 61) AS reason FROM sc) c
             WHERE commissioned_on IS NOT NULL AND pg_temp.h(i, 65) < 0.18 AND started_on <= coalesce(discontinued_on, DATE '${ANCHOR}')`,
    },
    {
      table: 'panel (working set)',
      // Three to six agencies of the case's own partnership: agency p + 40k for k in 0..count-1.
      sql: `CREATE TEMP TABLE scp AS
            SELECT c.i, c.id AS case_id, j, agencies, a.no AS agency_no, pg_temp.fid('agency', a.no) AS agency_id
              FROM sc c
              CROSS JOIN LATERAL (SELECT (${SCALE_AGENCIES} - c.pno) / ${SCALE_PARTNERSHIPS.length} + 1 AS local_count,
                                         3 + floor(pg_temp.h(c.i, 70) * 4)::int AS agencies, floor(pg_temp.h(c.i, 71) * 8)::int AS start) m
              CROSS JOIN LATERAL generate_series(0, m.agencies - 1) j
              CROSS JOIN LATERAL (SELECT c.pno + ${SCALE_PARTNERSHIPS.length} * ((m.start + j) % m.local_count) AS no) a
             WHERE c.lvl >= 2 OR (c.lvl = 1 AND NOT c.refused AND pg_temp.h(c.i, 72) < 0.5)`,
    },
    {
      table: 'panel_member',
      sql: `INSERT INTO panel_member (case_id, agency_id, added_by, added_at)
            SELECT m.case_id, m.agency_id, c.reviewer_id, pg_temp.at(coalesce(c.panel_on, c.commissioned_on), c.i, 73)
              FROM scp m JOIN sc c ON c.i = m.i`,
    },
    {
      table: 'contribution_request',
      sql: `INSERT INTO contribution_request (id, case_id, agency_id, kind, due_on, status, waived_reason, resolved_at, created_by, created_at)
            SELECT pg_temp.uid('request', r.i, r.j * 2 + r.imr), r.case_id, r.agency_id, CASE WHEN r.imr = 1 THEN 'imr' ELSE 'chronology' END,
                   r.created_on + 42, r.status,
                   CASE WHEN r.status = 'waived' THEN 'The agency had no contact with the people in the review.' END,
                   CASE WHEN r.status = 'closed' THEN pg_temp.at(r.resolved_by, r.i * 16 + r.j * 2 + r.imr, 83)
                        WHEN r.status <> 'requested' THEN pg_temp.at(least(r.created_on + 10 + floor(pg_temp.h(r.i * 16 + r.j * 2 + r.imr, 82) * 60)::int, r.resolved_by), r.i * 16 + r.j * 2 + r.imr, 83) END,
                   r.reviewer_id, pg_temp.at(r.created_on, r.i, 84)
              FROM (SELECT m.i, m.j, m.case_id, m.agency_id, x.imr, c.reviewer_id, coalesce(c.info_on, c.panel_on) AS created_on,
                           coalesce(c.draft_on, c.discontinued_on, DATE '${ANCHOR}') AS resolved_by,
                           -- A discontinued review's requests still outstanding were closed with it.
                           CASE WHEN c.lvl = 2 THEN CASE WHEN c.discontinued THEN 'closed' ELSE 'requested' END
                                WHEN c.lvl = 3 THEN CASE WHEN c.discontinued THEN pg_temp.pick(ARRAY['closed','closed','closed','submitted','submitted','submitted','submitted','waived'], m.i * 16 + m.j * 2 + x.imr, 80)
                                                         ELSE pg_temp.pick(ARRAY['requested','requested','requested','submitted','submitted','submitted','submitted','waived'], m.i * 16 + m.j * 2 + x.imr, 80) END
                                WHEN pg_temp.h(m.i * 16 + m.j * 2 + x.imr, 81) < 0.08 THEN 'waived' ELSE 'submitted' END AS status
                      FROM scp m JOIN sc c ON c.i = m.i
                      CROSS JOIN LATERAL (VALUES (0), (1)) x(imr)
                     WHERE (c.lvl >= 3 OR (c.lvl = 2 AND pg_temp.h(c.i, 85) < 0.4)) AND (x.imr = 0 OR m.j < 2)) r
             ORDER BY r.i, r.j, r.imr`,
    },
    {
      table: 'chronology_submission',
      sql: `INSERT INTO chronology_submission (id, case_id, agency_id, version, row_count, original_name, uploaded_by, uploaded_at)
            SELECT pg_temp.uid('chronology', m.i, m.j), r.case_id, r.agency_id, 1, 21 + floor(pg_temp.h(m.i * 8 + m.j, 90) * 28)::int,
                   'chronology-agency-' || m.agency_no || '.xlsx', ${lead('m.agency_no')}, r.resolved_at
              FROM scp m JOIN contribution_request r ON r.id = pg_temp.uid('request', m.i, m.j * 2)
             WHERE r.status = 'submitted'`,
    },
    {
      table: 'chronology_entry',
      sql: `INSERT INTO chronology_entry (submission_id, row_number, event_on, date_precision, date_uncertain, date_text, event_time,
                                         source, details, subject, event_type, action_taken, comment)
            SELECT s.id, e.row_number, e.event_on, e.precision, pg_temp.h(e.k, 94) < 0.05,
                   CASE e.precision WHEN 'day' THEN to_char(e.event_on, 'DD/MM/YYYY') WHEN 'month' THEN to_char(e.event_on, 'MM/YYYY') ELSE to_char(e.event_on, 'YYYY') END,
                   CASE WHEN e.precision = 'day' AND pg_temp.h(e.k, 95) < 0.4 THEN time '07:00' + floor(pg_temp.h(e.k, 96) * 900)::int * interval '1 minute' END,
                   pg_temp.pick(${text(SOURCES)}, e.k, 97), pg_temp.pick(${text(DETAILS)}, e.k, 98),
                   CASE WHEN pg_temp.h(e.k, 99) < 0.7 THEN c.victim_pseudonym ELSE c.other_pseudonym END,
                   pg_temp.pick(${text(EVENT_TYPES)}, e.k, 100),
                   CASE WHEN pg_temp.h(e.k, 101) < 0.6 THEN pg_temp.pick(${text(ACTIONS_TAKEN)}, e.k, 102) END,
                   CASE WHEN pg_temp.h(e.k, 103) < 0.1 THEN 'Author''s note: record incomplete.' END
              FROM scp m JOIN sc c ON c.i = m.i
              JOIN chronology_submission s ON s.id = pg_temp.uid('chronology', m.i, m.j)
              CROSS JOIN LATERAL generate_series(1, s.row_count) g(row_number)
              CROSS JOIN LATERAL (SELECT (m.i * 8 + m.j) * 64 + g.row_number AS k) key
              CROSS JOIN LATERAL (SELECT g.row_number, key.k,
                                         CASE WHEN pg_temp.h(key.k, 91) < 0.9 THEN 'day' WHEN pg_temp.h(key.k, 91) < 0.97 THEN 'month' ELSE 'year' END AS precision,
                                         c.n - 30 - floor(pg_temp.h(key.k, 92) * 1500)::int AS raw_on) d
              CROSS JOIN LATERAL (SELECT d.row_number, d.k, d.precision,
                                         CASE d.precision WHEN 'day' THEN d.raw_on WHEN 'month' THEN date_trunc('month', d.raw_on)::date ELSE date_trunc('year', d.raw_on)::date END AS event_on) e`,
    },
    {
      table: 'family_contact',
      // Contacts after commissioning; a case that reached sign-off has one offering the draft report (what moving to QA needs).
      sql: `INSERT INTO family_contact (id, case_id, contacted_on, method, leaflet_given, advocacy_offered, advocacy_provider, draft_report_offered, notes, created_by, created_at)
            SELECT pg_temp.uid('contact', i, k), id, contacted_on, pg_temp.pick(ARRAY['letter','phone','meeting','email','via_advocate'], i * 8 + k, 111),
                   k = 0 OR pg_temp.h(i * 8 + k, 112) < 0.5, k = 0 OR pg_temp.h(i * 8 + k, 113) < 0.5,
                   CASE WHEN pg_temp.h(i * 8 + k, 114) < 0.4 THEN 'Harbourlight Advocacy (fictional)' END,
                   draft, CASE WHEN pg_temp.h(i * 8 + k, 115) < 0.3 THEN 'The family asked for contact through their advocate.' END,
                   reviewer_id, pg_temp.at(contacted_on, i * 8 + k, 116)
              FROM (SELECT c.*, k, false AS draft, least(DATE '${ANCHOR}', commissioned_on + 7 + k * 40 + floor(pg_temp.h(i * 8 + k, 110) * 20)::int) AS contacted_on
                      FROM sc c CROSS JOIN LATERAL generate_series(0, floor(pg_temp.h(c.i, 117) * 3)::int) k
                     WHERE commissioned_on IS NOT NULL AND (lvl >= 5 OR pg_temp.h(c.i, 118) < 0.85)
                    UNION ALL
                    SELECT c.*, 7, lvl >= 6 OR pg_temp.h(c.i, 119) < 0.5, least(DATE '${ANCHOR}', signoff_on + 2)
                      FROM sc c WHERE lvl >= 5) f`,
    },
    {
      table: 'case_document',
      // Metadata only: the seeded documents have no stored file behind them.
      sql: `INSERT INTO case_document (id, case_id, kind, agency_id, version, final, original_name, content_type, size_bytes, sha256, storage_key, uploaded_by, uploaded_at)
            SELECT pg_temp.uid('document', i, d.k), id, d.kind, NULL, 1, lvl >= 5 OR d.kind = 'terms_of_reference',
                   d.kind || '-' || reference || '.pdf', 'application/pdf', 40000 + floor(pg_temp.h(i * 8 + d.k, 120) * 900000)::int,
                   md5('scale-document-a:' || i || ':' || d.k) || md5('scale-document-b:' || i || ':' || d.k),
                   'scale/' || id || '/' || d.kind, reviewer_id,
                   pg_temp.at(CASE WHEN d.kind = 'terms_of_reference' THEN panel_on - 2 WHEN lvl >= 5 THEN signoff_on - 1 ELSE least(DATE '${ANCHOR}', draft_on + 30) END, i, 121 + d.k)
              FROM sc c CROSS JOIN LATERAL (VALUES (1, 'terms_of_reference'), (2, 'executive_summary'), (3, 'overview_report'), (4, 'action_plan')) d(k, kind)
             WHERE (d.kind = 'terms_of_reference' AND lvl >= 2) OR lvl >= 5 OR (lvl = 4 AND d.kind = 'overview_report' AND pg_temp.h(i, 125) < 0.5)`,
    },
    {
      table: 'qa_submission',
      sql: `INSERT INTO qa_submission (id, case_id, round, submitted_on, submitted_by, created_at, outcome, outcome_on, outcome_recorded_by, outcome_recorded_at)
            SELECT pg_temp.uid('qa', i, 1), id, 1, ho_on, ${admin}, pg_temp.at(ho_on, i, 130),
                   CASE WHEN lvl >= 7 THEN CASE WHEN pg_temp.h(i, 131) < 0.7 THEN 'approved' ELSE 'approved_subject_to_changes' END END,
                   approved_on, CASE WHEN lvl >= 7 THEN ${admin} END, CASE WHEN lvl >= 7 THEN pg_temp.at(approved_on, i, 132) END
              FROM sc WHERE lvl >= 6`,
    },
    {
      table: 'publication',
      sql: `INSERT INTO publication (id, case_id, published_on, url, published_by, recorded_at, executive_summary_document_id, overview_report_document_id)
            SELECT pg_temp.uid('publication', i, 0), c.id, published_on, 'https://reviews.scale.example/' || p.code || '/' || lower(reference),
                   p.chair_id, pg_temp.at(published_on, i, 140), pg_temp.uid('document', i, 2), pg_temp.uid('document', i, 3)
              FROM sc c JOIN scale_partnership p ON p.no = c.pno WHERE lvl >= 8`,
    },
    {
      table: 'case_theme',
      sql: `INSERT INTO case_theme (case_id, theme_code)
            SELECT id, (${text(THEMES)})[1 + (floor(pg_temp.h(i, 150) * 15)::int + t * 4) % 15]
              FROM sc CROSS JOIN LATERAL generate_series(0, 1 + floor(pg_temp.h(i, 151) * 3)::int) t
             WHERE lvl >= 4`,
    },
    {
      table: 'recommendation',
      sql: `CREATE TEMP TABLE scr AS
            SELECT c.i, c.id AS case_id, r.j, pg_temp.uid('recommendation', c.i, r.j) AS id,
                   CASE WHEN r.j = 0 THEN 'national' WHEN pg_temp.h(c.i * 8 + r.j, 160) < 0.5 THEN 'local' ELSE 'single_agency' END AS scope,
                   least(DATE '${ANCHOR}', c.draft_on + 20 + floor(pg_temp.h(c.i, 161) * 20)::int) AS created_on
              FROM sc c CROSS JOIN LATERAL generate_series(0, 4 + floor(pg_temp.h(c.i, 162) * 3)::int) r(j)
             WHERE (c.lvl >= 5 OR (c.lvl = 4 AND pg_temp.h(c.i, 163) < 0.5)) AND NOT c.discontinued;
            INSERT INTO recommendation (id, case_id, scope, text, agency_id, created_at, created_by, addressee)
            SELECT r.id, r.case_id, r.scope, pg_temp.pick(${text(RECOMMENDATIONS)}, r.i * 8 + r.j, 164),
                   CASE WHEN r.scope = 'single_agency' THEN m.agency_id END, pg_temp.at(r.created_on, r.i * 8 + r.j, 165), c.reviewer_id,
                   -- most national ones name their addressee; some, recorded before it was asked for, do not
                   CASE WHEN r.scope = 'national' AND pg_temp.h(r.i * 8 + r.j, 166) < 0.85 THEN pg_temp.pick(${text(ADDRESSEES)}, r.i * 8 + r.j, 167) END
              FROM scr r JOIN sc c ON c.i = r.i JOIN scp m ON m.i = r.i AND m.j = r.j % m.agencies
             ORDER BY r.i, r.j`,
    },
    {
      table: 'recommendation_theme',
      sql: `INSERT INTO recommendation_theme (recommendation_id, theme_code)
            SELECT r.id, (${text(THEMES)})[1 + (floor(pg_temp.h(r.i, 150) * 15)::int + (r.j % 2) * 4) % 15] FROM scr r`,
    },
    {
      table: 'plan_action',
      // A closed case has no open action (closing needs that); elsewhere every status, and open actions past their target are overdue.
      sql: `CREATE TEMP TABLE sca AS
            SELECT r.i, r.j, a.k, r.id AS recommendation_id, r.case_id, m.agency_no, pg_temp.uid('action', r.i, r.j * 8 + a.k) AS id,
                   r.created_on, r.created_on + 60 + floor(pg_temp.h(x.key, 171) * 300)::int AS target_on,
                   CASE WHEN c.lvl = 9 THEN CASE WHEN pg_temp.h(x.key, 172) < 0.85 THEN 'completed' ELSE 'closed_with_reason' END
                        ELSE pg_temp.pick(ARRAY['not_started','not_started','not_started','in_progress','in_progress','in_progress','in_progress','completed','completed','closed_with_reason'], x.key, 173) END AS status,
                   coalesce(c.closed_on, DATE '${ANCHOR}') AS end_on, x.key
              FROM scr r JOIN sc c ON c.i = r.i
              CROSS JOIN LATERAL generate_series(0, 1 + floor(pg_temp.h(r.i * 8 + r.j, 170) * 3)::int) a(k)
              CROSS JOIN LATERAL (SELECT (r.i * 8 + r.j) * 8 + a.k AS key) x
              JOIN scp m ON m.i = r.i AND m.j = (r.j + a.k) % m.agencies;
            ALTER TABLE sca ADD COLUMN done_on date, ADD COLUMN started_on date;
            UPDATE sca SET started_on = created_on + floor((end_on - created_on) * pg_temp.h(key, 174) / 2)::int,
                           done_on = CASE WHEN status IN ('completed','closed_with_reason') THEN created_on + floor((end_on - created_on) * (0.5 + pg_temp.h(key, 175) / 2))::int END;
            INSERT INTO plan_action (id, recommendation_id, case_id, owner_agency_id, description, target_on, status, completed_on, closed_on, closed_reason,
                                     created_on, created_by, created_at, updated_at, version)
            SELECT a.id, a.recommendation_id, a.case_id, pg_temp.fid('agency', a.agency_no), pg_temp.pick(${text(ACTION_TEXTS)}, a.key, 176), a.target_on, a.status,
                   CASE WHEN a.status = 'completed' THEN a.done_on END, CASE WHEN a.status = 'closed_with_reason' THEN a.done_on END,
                   CASE WHEN a.status = 'closed_with_reason' THEN 'Superseded by a national programme covering the same ground.' END,
                   a.created_on, c.reviewer_id, pg_temp.at(a.created_on, a.key, 177),
                   pg_temp.at(coalesce(a.done_on, CASE WHEN a.status = 'in_progress' THEN a.started_on END, a.created_on), a.key, 178),
                   CASE a.status WHEN 'not_started' THEN 1 WHEN 'in_progress' THEN 2 ELSE 3 END
              FROM sca a JOIN sc c ON c.i = a.i
             ORDER BY a.i, a.j, a.k`,
    },
    {
      table: 'plan_action_progress',
      sql: `INSERT INTO plan_action_progress (action_id, actor_id, actor_role, status_from, status_to, note, occurred_at)
            SELECT a.id, ${lead('a.agency_no')}, 'agency_lead', s.status_from, s.status_to, s.note, s.occurred_at
              FROM sca a
              CROSS JOIN LATERAL (VALUES
                (1, 'not_started', 'in_progress', 'Work has started; an owner is named.', pg_temp.at(a.started_on, a.key, 180)),
                (2, 'in_progress', a.status, CASE WHEN a.status = 'completed' THEN 'Done: evidence kept with the action plan.' ELSE 'Closed: see the reason.' END, pg_temp.at(a.done_on, a.key, 181))
              ) s(step, status_from, status_to, note, occurred_at)
             WHERE a.status <> 'not_started' AND (s.step = 1 OR a.status IN ('completed','closed_with_reason'))
             ORDER BY a.i, a.j, a.k, s.step`,
    },
    {
      table: 'audit_event',
      // About 50 events a case, spread from its notification to its closure (or ANCHOR).
      sql: `INSERT INTO audit_event (id, occurred_at, actor_id, actor_role, action, entity_type, entity_id, case_id, partnership_id, request_id, ip)
            SELECT pg_temp.uid('audit', c.i, e.k), e.occurred_at, w.actor_id, w.actor_role, e.action, 'case', c.id::text, c.id, p.id,
                   'scale-' || c.i || '-' || e.k, '10.' || (c.i % 250) || '.' || (e.k % 250) || '.' || (1 + floor(pg_temp.h(c.i * 128 + e.k, 194) * 250)::int)
              FROM sc c JOIN scale_partnership p ON p.no = c.pno
              CROSS JOIN LATERAL generate_series(0, 29 + floor(pg_temp.h(c.i, 190) * 41)::int) g(k)
              CROSS JOIN LATERAL (SELECT g.k, CASE WHEN g.k = 0 THEN 'case.created' ELSE pg_temp.pick(${text(AUDIT_ACTIONS)}, c.i * 128 + g.k, 191) END AS action,
                                         CASE WHEN g.k = 0 THEN pg_temp.at(c.n, c.i, 38)
                                              ELSE pg_temp.at(c.n + floor(pg_temp.h(c.i * 128 + g.k, 192) * (c.last_on - c.n + 1))::int, c.i * 128 + g.k, 193) END AS occurred_at,
                                         floor(pg_temp.h(c.i * 128 + g.k, 195) * 4)::int AS who) e
              CROSS JOIN LATERAL (SELECT CASE WHEN e.k = 0 OR e.who = 0 THEN pg_temp.fid('user', 0) WHEN e.who = 1 THEN p.chair_id
                                              WHEN e.who = 2 AND c.lvl >= 1 THEN c.reviewer_id ELSE p.chair_id END AS actor_id,
                                         CASE WHEN e.k = 0 OR e.who = 0 THEN 'sdp_admin' WHEN e.who = 2 AND c.lvl >= 1 THEN 'review_chair' ELSE 'csp_chair' END AS actor_role) w
             ORDER BY e.occurred_at`,
    },
  ];
}

/** The tables with the most rows a case; their indexes that back no constraint are dropped and rebuilt around a large run. */
const REBUILT_TABLES = ['case_transition', 'chronology_entry', 'plan_action', 'plan_action_progress', 'audit_event'];

/**
 * Indexes kept through a large run although they back no constraint: the
 * audit trail's hash chain (docs/architecture.md, "The audit trail's hash
 * chain") finds each month's last link by its position as it inserts every
 * event, and without this index each insert read the whole month, so a
 * 20,000-case run took hours instead of minutes.
 */
const KEPT_INDEXES = ['audit_event_chain_idx'];

/**
 * Drops the indexes of `tables` that back no constraint (the primary keys and
 * unique keys stay, and go on checking every row), except KEPT_INDEXES,
 * returning the statements that make them again. An index of a partitioned
 * table is made again on the whole table, partitions included.
 */
type Query = (sql: string, params?: unknown[]) => Promise<Record<string, string>[]>;

async function dropSecondaryIndexes(query: Query, tables: string[]): Promise<string[]> {
  const rows = await query(
    `SELECT format('%I', c.relname) AS name, pg_get_indexdef(i.indexrelid) AS definition
       FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
      WHERE i.indrelid = ANY (SELECT to_regclass(t)::oid FROM unnest($1::text[]) t)
        AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid)
        AND c.relname <> ALL ($2::text[])`,
    [tables, KEPT_INDEXES],
  );
  for (const row of rows) await query(`DROP INDEX ${row.name}`);
  return rows.map((row) => row.definition.replace(' ON ONLY ', ' ON '));
}

/** How many scale cases the database holds, refusing one with cases of another origin or another seed. */
async function existingCases(client: pg.Client, seed: number): Promise<number> {
  const [{ foreign, scale, highest }] = (
    await client.query(
      `SELECT count(*) FILTER (WHERE reference NOT LIKE 'SCALE-%')::int AS foreign,
              count(*) FILTER (WHERE reference LIKE 'SCALE-%')::int AS scale,
              coalesce(max(CASE WHEN reference ~ '^SCALE-[0-9]{6}$' THEN substr(reference, 7)::int END), 0) AS highest
         FROM review_case`,
    )
  ).rows;
  if (foreign > 0) {
    throw new ScaleSeedRefused(
      `this database holds ${foreign} case(s) the scale seed did not make: it adds fictional cases only to an empty database or one it seeded itself, so nothing was changed`,
    );
  }
  if (scale !== highest) throw new ScaleSeedRefused(`the scale cases here are not numbered 1..${scale} (highest ${highest}): nothing was changed`);
  if (scale > 0) {
    const { rows } = await client.query(`SELECT 1 FROM review_case WHERE reference = 'SCALE-000001' AND id = overlay(overlay(md5('scale:${seed}:case:1:0') placing '4' from 13) placing '8' from 17)::uuid`);
    if (rows.length === 0) throw new ScaleSeedRefused(`the ${scale} scale cases here were made with another seed than ${seed}: nothing was changed`);
  }
  return scale;
}

/** Grows the database at `ownerUrl` (already migrated; connects as the schema owner) to `options.cases` scale cases. */
export async function seedScale(ownerUrl: string, options: ScaleOptions): Promise<ScaleSummary> {
  const seed = options.seed ?? 7;
  const log = options.log ?? (() => undefined);
  if (!Number.isInteger(options.cases) || options.cases < 0 || options.cases > 999_999) throw new Error('cases must be a whole number from 0 to 999,999');
  if (!Number.isInteger(seed) || seed < 0 || seed > 1_000_000) throw new Error('seed must be a whole number from 0 to 1,000,000');
  const started = Date.now();
  const tables: TableFigures[] = [];
  const client = new pg.Client({ connectionString: ownerUrl });
  await client.connect();
  let before = 0;
  try {
    await client.query(`SET synchronous_commit = off`);
    await client.query(`SET statement_timeout = 0`);
    await client.query(`SET work_mem = '64MB'`);
    await client.query('BEGIN');
    await client.query(`LOCK TABLE review_case IN SHARE ROW EXCLUSIVE MODE`);
    before = await existingCases(client, seed);
    if (before >= options.cases) {
      await client.query('ROLLBACK');
      log(`the database already holds ${before} scale cases (seed ${seed}): nothing to add`);
      // A run stopped before its milestones were stored leaves cases without them: they are stored now.
      const { rows } = await client.query(`SELECT count(*)::int AS n FROM review_case c WHERE ${WITHOUT_MILESTONES}`);
      if (rows[0].n > 0) tables.push({ table: 'case_milestone (cases)', rows: await storeMilestones(ownerUrl, false), seconds: (Date.now() - started) / 1000 });
      return { seed, casesBefore: before, casesAfter: before, tables, seconds: (Date.now() - started) / 1000 };
    }
    log(`seeding scale cases ${before + 1}..${options.cases} (seed ${seed})`);
    for (const sql of helpers(seed)) await client.query(sql);
    await client.query(PARTNERSHIP_MAP);
    const run = async (table: string, sql: string, params?: unknown[]) => {
      const t0 = Date.now();
      // A part of several statements answers with one result each; the last is its INSERT.
      const results = (await client.query(sql, params)) as unknown as pg.QueryResult | pg.QueryResult[];
      const last = Array.isArray(results) ? results[results.length - 1] : results;
      const figures = { table, rows: last.rowCount ?? 0, seconds: (Date.now() - t0) / 1000 };
      tables.push(figures);
      log(`${table.padEnd(24)} ${String(figures.rows).padStart(9)} rows ${figures.seconds.toFixed(1).padStart(6)} s`);
    };
    const passwordHash = await hashPassword(SCALE_PASSWORD);
    for (const part of fixedParts(passwordHash)) await run(part.table, part.sql, part.params);
    await run('cases (working set)', caseTable(before + 1, options.cases));
    const partitions = await client.query(`SELECT to_regprocedure('audit_event_ensure_partitions(timestamptz,timestamptz)') IS NOT NULL AS present`);
    if (partitions.rows[0].present) {
      const made = await client.query(`SELECT audit_event_ensure_partitions((SELECT min(n) FROM sc)::timestamptz - interval '1 day', timestamptz '${ANCHOR}' + interval '1 day') AS made`);
      log(`audit partitions made: ${made.rows[0].made}`);
    }
    // Building an index once over all the rows is cheaper than growing it row by row: when this run more than doubles the big tables, their secondary indexes are rebuilt after.
    const rebuilt = before < options.cases - before ? await dropSecondaryIndexes(async (sql, params) => (await client.query(sql, params)).rows, REBUILT_TABLES) : [];
    for (const part of caseParts()) await run(part.table, part.sql);
    const t0 = Date.now();
    for (const definition of rebuilt) await client.query(definition);
    if (rebuilt.length > 0) tables.push({ table: `(${rebuilt.length} indexes rebuilt)`, rows: 0, seconds: (Date.now() - t0) / 1000 });
    if (rebuilt.length > 0) log(`${rebuilt.length} secondary indexes rebuilt in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    await client.end();
  }
  // The planner needs the new rows' statistics before the milestone queries read them, and again after.
  tables.push({ table: 'ANALYZE', rows: 0, seconds: await analyse(ownerUrl) });
  const t0 = Date.now();
  const refreshed = await storeMilestones(ownerUrl, before < options.cases - before);
  tables.push({ table: 'case_milestone (cases)', rows: refreshed, seconds: (Date.now() - t0) / 1000 });
  log(`${'case_milestone (cases)'.padEnd(24)} ${String(refreshed).padStart(9)} rows ${((Date.now() - t0) / 1000).toFixed(1).padStart(6)} s`);
  tables.push({ table: 'ANALYZE', rows: 0, seconds: await analyse(ownerUrl) });
  return { seed, casesBefore: before, casesAfter: options.cases, tables, seconds: (Date.now() - started) / 1000 };
}

/** A scale case whose milestones are not stored yet. */
const WITHOUT_MILESTONES = `c.reference LIKE 'SCALE-%' AND NOT EXISTS (SELECT 1 FROM case_milestone m WHERE m.case_id = c.id)`;

/** ANALYZE of the whole database; its seconds. */
async function analyse(url: string): Promise<number> {
  const started = Date.now();
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query('ANALYZE');
  } finally {
    await client.end();
  }
  return (Date.now() - started) / 1000;
}

/**
 * Computes and stores the milestones of every scale case that has none yet,
 * with the application's own milestone sources and settings (as the
 * migration that made the table did for every case then).
 */
async function storeMilestones(ownerUrl: string, rebuildIndexes: boolean): Promise<number> {
  const base = loadConfig({ ...process.env, NODE_ENV: 'test', JWT_SECRET: process.env.JWT_SECRET ?? 'bench-secret-that-is-long-enough-0123456789' });
  // One long transaction of bulk statements: no per-request timeout applies.
  const config: AppConfig = {
    ...base,
    logLevel: 'silent',
    sweepCron: undefined,
    mail: undefined,
    bootstrapAdmin: undefined,
    dbStatementTimeoutMs: 0,
    dbQueryTimeoutMs: 3_600_000,
  };
  const context = await NestFactory.createApplicationContext(AppModule.forRoot({ config, databaseUrl: ownerUrl }), { logger: false });
  try {
    const manager = context.get<DataSource>(getDataSourceToken()).manager;
    const sources = context.get(MilestoneSources);
    const today = londonDate(new Date());
    const rows: { id: string }[] = await manager.query(
      `SELECT id FROM review_case c WHERE ${WITHOUT_MILESTONES} ORDER BY seq`,
    );
    const ids = rows.map((r) => r.id);
    // One transaction: the indexes dropped for the bulk of the rows are back before anyone can see the table without them.
    await manager.transaction(async (tx) => {
      const rebuilt = rebuildIndexes ? await dropSecondaryIndexes((sql, params) => tx.query(sql, params), ['case_milestone']) : [];
      for (let k = 0; k < ids.length; k += 2000) await refreshMilestoneState(tx, sources, config.milestones, ids.slice(k, k + 2000), today);
      for (const definition of rebuilt) await tx.query(definition);
    });
    return ids.length;
  } finally {
    await context.close();
  }
}

function argument(name: string): string | undefined {
  const at = process.argv.indexOf(`--${name}`);
  return at >= 0 ? process.argv[at + 1] : undefined;
}

/** The command: the database `npm start` uses (DATABASE_URL, else the embedded one under DATA_DIR), migrated first, seeded as its owner. */
async function main(): Promise<number> {
  const cases = Number(argument('cases') ?? 20_000);
  const seed = Number(argument('seed') ?? 7);
  const config = loadConfig();
  const database = await openDatabase(config, commandLineTool('npm run seed:scale'));
  try {
    await migrateDatabase(config, database);
    const summary = await seedScale(database.migrationUrl, { cases, seed, log: (line) => process.stdout.write(line + '\n') });
    process.stdout.write(
      `scale dataset: ${summary.casesAfter} cases (${summary.casesAfter - summary.casesBefore} added, seed ${summary.seed}) in ${summary.seconds.toFixed(1)} s\n`,
    );
    return 0;
  } catch (error) {
    if (error instanceof ScaleSeedRefused) {
      process.stdout.write(`seed:scale refused: ${error.message}\n`);
      return 1;
    }
    throw error;
  } finally {
    await database.embedded?.stop();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().then(
    (code) => process.exit(code),
    (error: unknown) => {
      console.error(`seed:scale failed: ${error instanceof Error ? error.stack : String(error)}`);
      process.exit(2);
    },
  );
}
