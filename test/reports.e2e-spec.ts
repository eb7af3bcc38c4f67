/**
 * The reports over HTTP: who may read them, the CSP chair's narrower view,
 * the headers of the CSV and SVG answers, formula injection defused, SVG
 * well-formed, and never a real name. The figures themselves are worked out
 * by hand in test/medium/reports.medium-spec.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import ExcelJS from 'exceljs';
import type { Response } from 'supertest';
import { MilestoneStateService } from '../src/milestones/milestone-state.service.js';
import { insertAction, insertCase, insertCaseThemes, insertRecommendation, type NewSubject } from './support/factories.js';
import type { Session } from './support/test-app.js';
import { buildWorld, type Cast, type World } from './support/world.js';
import { parseXml } from './support/xml.js';

let t: World;
let cast: Cast;

/** Everything about the subjects and the story that a report must never show. */
const SECRETS = {
  victim: 'Ottoline Fairweather-Quist',
  secondVictim: 'Peregrine Abernethy-Lusk',
  perpetrator: 'Cassius Merriwether-Vane',
  northVictim: 'Winifred Astley-Crumb',
  dateOfBirth: '1971-08-19',
  address: '14 Larkspur Mews, Exampleford',
  summary: 'Found at the lighthouse cottage after the harvest fair',
  source: 'Telephone call from Sergeant Ilex Thorncombe',
};
const NEVER_SHOWN = [
  ...Object.values(SECRETS),
  ...[SECRETS.victim, SECRETS.secondVictim, SECRETS.perpetrator, SECRETS.northVictim].flatMap((name) => name.split(' ')),
];

const INJECTION = '=HYPERLINK("http://evil.example","open")';
const EXETER_NAME = 'Exeter <City> & "Co"';

const REPORTS = [
  '/api/reports/dashboard',
  '/api/reports/learning',
  '/api/reports/cases.csv',
  '/api/reports/actions.csv',
  '/api/reports/charts/stages.svg',
  '/api/reports/charts/completion.svg',
];
/** The reports that judge overdue milestones and so take asOf. */
const WITH_AS_OF = new Set(['/api/reports/dashboard', '/api/reports/cases.csv']);

const CASE_HEADERS = 'Reference,Partnership,Review type,Regime,Stage,Notified,Decided,Commissioned,Completed,On hold,Victim pseudonyms,Overdue milestones'.split(',');

let exeterReference: string;
let northReference: string;

/** The answer's body as text, whatever its type. */
function get(path: string, who: Session) {
  return t.http
    .get(path)
    .set(who.auth)
    .buffer(true)
    .parse((res, done) => {
      let text = '';
      res.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
      res.on('end', () => done(null, text));
    });
}

const body = (res: Response) => res.body as string;
const csvLines = (res: Response) => body(res).replace(/^\uFEFF/, '').trimEnd().split('\r\n');

beforeAll(async () => {
  t = await buildWorld();
  cast = t.cast;
  t.clock.setTo('2026-03-01');
  const db = t.dataSource;
  await db.query('UPDATE partnership SET name = $1 WHERE id = $2', [EXETER_NAME, cast.exeter]);
  const subjects: NewSubject[] = [
    { role: 'victim', fullName: SECRETS.victim, pseudonym: INJECTION, dateOfBirth: SECRETS.dateOfBirth, address: SECRETS.address },
    { role: 'victim', fullName: SECRETS.secondVictim, pseudonym: 'Anna, the elder' },
    { role: 'perpetrator', fullName: SECRETS.perpetrator, pseudonym: 'Ben' },
  ];
  const exeter = await insertCase(db, {
    partnershipId: cast.exeter,
    notifiedOn: '2026-01-05',
    summary: SECRETS.summary,
    notificationSource: SECRETS.source,
    subjects,
  });
  const completed = await insertCase(db, {
    partnershipId: cast.exeter,
    stage: 'home_office_qa',
    notifiedOn: '2025-01-02',
    decision: { outcome: 'commission', decidedOn: '2025-01-20' },
    completedOn: '2025-06-30',
    summary: SECRETS.summary,
  });
  const north = await insertCase(db, {
    partnershipId: cast.northDevon,
    stage: 'drafting',
    notifiedOn: '2025-11-03',
    subjects: [{ role: 'victim', fullName: SECRETS.northVictim, pseudonym: 'Nora' }],
  });
  await insertCaseThemes(db, exeter.id, ['coercive_control']);
  const exeterRecommendation = await insertRecommendation(db, { caseId: exeter.id, scope: 'local', themes: ['risk_assessment'] });
  await insertAction(db, {
    recommendationId: exeterRecommendation,
    caseId: exeter.id,
    ownerAgencyId: cast.police,
    description: '@SUM(1+1) then flag repeat callers',
    createdOn: '2026-01-10',
    targetOn: '2026-02-27',
  });
  await insertAction(db, {
    recommendationId: exeterRecommendation,
    caseId: exeter.id,
    ownerAgencyId: cast.health,
    description: 'Train staff in routine enquiry',
    status: 'completed',
    createdOn: '2026-01-10',
    completedOn: '2026-02-20',
    targetOn: '2026-06-30',
  });
  const northRecommendation = await insertRecommendation(db, { caseId: north.id, scope: 'national', themes: ['marac'] });
  await insertAction(db, { recommendationId: northRecommendation, caseId: north.id, ownerAgencyId: cast.probation, description: 'Northern action' });
  exeterReference = exeter.reference;
  northReference = north.reference;
  await t.app.get(MilestoneStateService).refresh(db.manager, [exeter.id, completed.id, north.id]);
});
afterAll(() => t.close());

describe('who may read the reports', () => {
  it('lets SDP admins and CSP chairs read every report, and refuses review chairs and agency leads with 403', async () => {
    for (const path of REPORTS) {
      expect(`${path} ${(await get(path, cast.admin)).status}`).toBe(`${path} 200`);
      expect(`${path} ${(await get(path, cast.exeterChair)).status}`).toBe(`${path} 200`);
      expect(`${path} ${(await get(path, cast.reviewChair)).status}`).toBe(`${path} 403`);
      expect(`${path} ${(await get(path, cast.policeLead)).status}`).toBe(`${path} 403`);
    }
  });

  it('refuses a malformed partnership, date or an unknown parameter with 400', async () => {
    for (const path of REPORTS) {
      expect((await get(`${path}?partnershipId=exeter`, cast.admin)).status).toBe(400);
      expect((await get(`${path}?asOf=2026-02-30`, cast.admin)).status).toBe(400);
      expect((await get(`${path}?stage=drafting`, cast.admin)).status).toBe(400);
      expect(`${path} ${(await get(`${path}?asOf=2026-02-01`, cast.admin)).status}`).toBe(`${path} ${WITH_AS_OF.has(path) ? 200 : 400}`);
    }
    for (const path of ['/api/reports/learning', '/api/reports/actions.csv']) {
      expect((await get(`${path}?from=2026&to=2025`, cast.admin)).status).toBe(400);
      expect((await get(`${path}?from=twenty`, cast.admin)).status).toBe(400);
      expect((await get(`${path}?from=2025&to=2026`, cast.admin)).status).toBe(200);
    }
  });
});

describe('a CSP chair’s reports', () => {
  it('cover their own partnership alone', async () => {
    const dashboard = JSON.parse(body(await get('/api/reports/dashboard', cast.exeterChair).expect(200)));
    expect(dashboard.partnerships.map((p: { partnershipId: string }) => p.partnershipId)).toEqual([cast.exeter]);
    expect(dashboard.totals.casesByStage.drafting).toBe(0);

    const csv = body(await get('/api/reports/cases.csv', cast.exeterChair).expect(200));
    expect(csv).toContain(exeterReference);
    expect(csv).not.toContain(northReference);
    expect(csv).not.toContain('North Devon');

    const stages = body(await get('/api/reports/charts/stages.svg', cast.exeterChair).expect(200));
    expect(parseXml(stages).texts).toContain(EXETER_NAME);
    expect(stages).not.toContain('North Devon');

    const completion = body(await get('/api/reports/charts/completion.svg', cast.exeterChair).expect(200));
    expect(parseXml(completion).texts).toContain(EXETER_NAME);

    const learning = JSON.parse(body(await get('/api/reports/learning', cast.exeterChair).expect(200)));
    expect(learning.themes.find((t: { code: string }) => t.code === 'marac')).toMatchObject({ cases: 0, recommendations: 0 });
    expect(learning.actionsByAgency.map((a: { agencyId: string }) => a.agencyId).sort()).toEqual([cast.police, cast.health].sort());

    const actions = body(await get('/api/reports/actions.csv', cast.exeterChair).expect(200));
    expect(actions).toContain(exeterReference);
    expect(actions).not.toContain(northReference);
    expect(actions).not.toContain('Northern action');
  });

  it('are empty when they ask for another partnership, as a list filtered to nothing is', async () => {
    const query = `?partnershipId=${cast.northDevon}`;
    const dashboard = JSON.parse(body(await get(`/api/reports/dashboard${query}`, cast.exeterChair).expect(200)));
    expect(dashboard.partnerships).toEqual([]);
    expect(Object.keys(dashboard.totals.casesByStage).length).toBeGreaterThan(0);
    expect(Object.values(dashboard.totals.casesByStage).filter((n) => n !== 0)).toEqual([]);

    expect(csvLines(await get(`/api/reports/cases.csv${query}`, cast.exeterChair).expect(200))).toHaveLength(1);
    expect(csvLines(await get(`/api/reports/actions.csv${query}`, cast.exeterChair).expect(200))).toHaveLength(1);
    const learning = JSON.parse(body(await get(`/api/reports/learning${query}`, cast.exeterChair).expect(200)));
    expect(learning.actionsByAgency).toEqual([]);
    expect(learning.themes.length).toBeGreaterThan(0);
    expect(learning.themes.filter((t: { cases: number }) => t.cases !== 0)).toEqual([]);
    const stages = body(await get(`/api/reports/charts/stages.svg${query}`, cast.exeterChair).expect(200));
    expect(stages).not.toContain('North Devon');
    expect(stages).not.toContain('class="bar"');
    const completion = body(await get(`/api/reports/charts/completion.svg${query}`, cast.exeterChair).expect(200));
    expect(completion).toContain('No partnership in scope');
  });

  it('an SDP admin’s cover every partnership, or the one asked for', async () => {
    const all = body(await get('/api/reports/cases.csv', cast.admin).expect(200));
    expect(all).toContain(exeterReference);
    expect(all).toContain(northReference);
    const north = body(await get(`/api/reports/cases.csv?partnershipId=${cast.northDevon}`, cast.admin).expect(200));
    expect(north).toContain(northReference);
    expect(north).not.toContain(exeterReference);
  });
});

describe('the cases export', () => {
  it('is a CSV attachment with a header and one line per case', async () => {
    const res = await get('/api/reports/cases.csv', cast.admin).expect(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.headers['content-disposition']).toBe('attachment; filename="dhr-cases-2026-03-01.csv"');
    expect(body(res).startsWith('\uFEFF')).toBe(true);
    const lines = csvLines(res);
    expect(lines[0]).toBe(
      'Reference,Partnership,Review type,Regime,Stage,Notified,Decided,Commissioned,Completed,On hold,Victim pseudonyms,Overdue milestones',
    );
    expect(lines).toHaveLength(4);
  });

  it('names each case by reference and its victims’ pseudonyms, defusing text a spreadsheet would run', async () => {
    const lines = csvLines(await get('/api/reports/cases.csv?asOf=2026-03-01', cast.admin).expect(200));
    const line = lines.find((l) => l.startsWith(exeterReference));
    // Overdue: the decision and the Home Office notification (due 5 February 2026) and the police action (27 February).
    expect(line).toBe(
      `${exeterReference},"Exeter <City> & ""Co""",DHR,dhr-2016,notified,2026-01-05,,,,no,"'=HYPERLINK(""http://evil.example"",""open""); Anna, the elder",3`,
    );
  });

  it('is audited as an export, with its reader and no case', async () => {
    await get('/api/reports/cases.csv', cast.northChair).expect(200);
    const [event] = await t.dataSource.query(
      `SELECT actor_id, action, entity_id, case_id, partnership_id FROM audit_event
        WHERE action = 'report.exported' AND actor_id = $1 ORDER BY seq DESC LIMIT 1`,
      [cast.northChair.userId],
    );
    expect(event).toMatchObject({ entity_id: 'cases.csv', case_id: null, partnership_id: cast.northDevon });
  });
});

describe('the exports as XLSX', () => {
  const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
  const binary = (path: string, who: Session) =>
    t.http
      .get(path)
      .set(who.auth)
      .buffer(true)
      .parse((res, done) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => done(null, Buffer.concat(chunks)));
      });
  const sheetOf = async (res: Response) => {
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(new Uint8Array(res.body as Buffer).buffer);
    expect(wb.worksheets).toHaveLength(1);
    const sheet = wb.worksheets[0];
    return (sheet.getRows(1, sheet.rowCount) ?? []).map((row) => (row.values as unknown[]).slice(1));
  };

  it('gives the cases export as a workbook with ?format=xlsx or Accept, the same columns and cells as the CSV, dates as dates', async () => {
    const byFormat = await binary('/api/reports/cases.csv?format=xlsx&asOf=2026-03-01', cast.admin).expect(200);
    expect(byFormat.headers['content-type']).toBe(XLSX);
    expect(byFormat.headers['content-disposition']).toBe('attachment; filename="dhr-cases-2026-03-01.xlsx"');
    const rows = await sheetOf(byFormat);
    expect(rows[0]).toEqual(CASE_HEADERS);
    expect(rows).toHaveLength(4);
    const exeter = rows.find((row) => row[0] === exeterReference)!;
    // The formula-looking pseudonym is text, never a formula; the dates are dates; the count a number.
    expect(exeter).toEqual([
      exeterReference,
      'Exeter <City> & "Co"',
      'DHR',
      'dhr-2016',
      'notified',
      new Date('2026-01-05T00:00:00Z'),
      undefined,
      undefined,
      undefined,
      'no',
      '=HYPERLINK("http://evil.example","open"); Anna, the elder',
      3,
    ].slice(0, exeter.length));
    const byAccept = await binary('/api/reports/cases.csv?asOf=2026-03-01', cast.admin).set('Accept', XLSX).expect(200);
    expect(await sheetOf(byAccept)).toEqual(rows);
    // ?format wins over Accept
    const csv = await get('/api/reports/cases.csv?format=csv', cast.admin).set('Accept', XLSX).expect(200);
    expect(csv.headers['content-type']).toBe('text/csv; charset=utf-8');
  });

  it('gives the actions export as a workbook, a REST client’s still without descriptions', async () => {
    const res = await binary(`/api/reports/actions.csv?format=xlsx&partnershipId=${cast.exeter}`, cast.admin).expect(200);
    expect(res.headers['content-disposition']).toBe('attachment; filename="dhr-actions-2026-03-01.xlsx"');
    const rows = await sheetOf(res);
    expect(rows.map((row) => row[0] === exeterReference ? row.slice(1, 5) : row.slice(0, 4))).toEqual([
      ['Reference', 'Recommendation scope', 'Owner agency', 'Description'],
      ['local', 'Example Constabulary', "@SUM(1+1) then flag repeat callers", new Date('2026-02-27T00:00:00Z')],
      ['local', 'Example NHS Trust', 'Train staff in routine enquiry', new Date('2026-06-30T00:00:00Z')],
    ]);
  });

  it('refuses a format it does not offer, naming csv and xlsx', async () => {
    for (const path of ['/api/reports/cases.csv?format=json', '/api/reports/actions.csv?format=pdf']) {
      const res = await t.http.get(path).set(cast.admin.auth).expect(400);
      expect(res.body.errors).toEqual([{ field: 'format', message: 'format must be one of: csv, xlsx' }]);
    }
  });
});

describe('the actions export', () => {
  it('gives each action with its RAG status and whether it is overdue, defusing text a spreadsheet would run', async () => {
    const res = await get(`/api/reports/actions.csv?partnershipId=${cast.exeter}`, cast.admin).expect(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.headers['content-disposition']).toBe('attachment; filename="dhr-actions-2026-03-01.csv"');
    expect(csvLines(res)).toEqual([
      'Reference,Recommendation scope,Owner agency,Description,Target date,Status,RAG,Overdue,Completed on',
      `${exeterReference},local,Example Constabulary,'@SUM(1+1) then flag repeat callers,2026-02-27,not_started,red,yes,`,
      `${exeterReference},local,Example NHS Trust,Train staff in routine enquiry,2026-06-30,completed,,no,2026-02-20`,
    ]);
  });

  it('is audited as an export', async () => {
    await get('/api/reports/actions.csv', cast.exeterChair).expect(200);
    const [event] = await t.dataSource.query(
      `SELECT entity_id, case_id FROM audit_event WHERE action = 'report.exported' AND actor_id = $1 ORDER BY seq DESC LIMIT 1`,
      [cast.exeterChair.userId],
    );
    expect(event).toEqual({ entity_id: 'actions.csv', case_id: null });
  });
});

describe('the charts', () => {
  it('are well-formed SVG, titled and described, with every text escaped', async () => {
    for (const path of ['/api/reports/charts/stages.svg', '/api/reports/charts/completion.svg']) {
      const res = await get(path, cast.admin).expect(200);
      expect(res.headers['content-type']).toBe('image/svg+xml; charset=utf-8');
      const svg = body(res);
      expect(svg.startsWith('<svg')).toBe(true);
      const parsed = parseXml(svg);
      expect(parsed.root).toBe('svg');
      expect(parsed.elements).toEqual(expect.arrayContaining(['title', 'desc']));
    }
    const stages = body(await get('/api/reports/charts/stages.svg', cast.admin));
    expect(stages).toContain('Exeter &lt;City&gt; &amp; &quot;Co&quot;');
    expect(parseXml(stages).texts).toContain('North Devon and Torridge');
  });

  it('reads every chart to the audit trail', async () => {
    await get('/api/reports/charts/completion.svg', cast.admin).expect(200);
    const [event] = await t.dataSource.query(
      `SELECT entity_id, details FROM audit_event WHERE action = 'report.read' AND actor_id = $1 ORDER BY seq DESC LIMIT 1`,
      [cast.admin.userId],
    );
    expect(event).toMatchObject({ entity_id: 'charts/completion.svg', details: { report: 'charts/completion.svg' } });
  });
});

describe('real names stay inside the case', () => {
  it('appear in no report, export or chart: no name, date of birth, address, summary or source', async () => {
    const bodies: string[] = [];
    for (const path of REPORTS) for (const who of [cast.admin, cast.exeterChair]) bodies.push(body(await get(path, who).expect(200)));
    const everything = bodies.join('\n');
    expect(everything).toContain(exeterReference);
    for (const secret of NEVER_SHOWN) expect(`${secret}: ${everything.includes(secret)}`).toBe(`${secret}: false`);
  });
});

describe('national recommendations in the learning report', () => {
  it('are counted by addressee over the partnerships in scope, those recorded before the addressee was asked for as not recorded', async () => {
    const [exeterCase] = await t.dataSource.query(`SELECT id FROM review_case WHERE reference = $1`, [exeterReference]);
    await insertRecommendation(t.dataSource, { caseId: exeterCase.id, scope: 'national', addressee: 'Ministry of Justice' });
    const admin = JSON.parse(body(await get('/api/reports/learning', cast.admin).expect(200)));
    expect(admin.nationalRecommendations).toEqual([
      { addressee: 'Ministry of Justice', label: 'Ministry of Justice', recommendations: 1, cases: 1 },
      { addressee: null, label: 'Not recorded', recommendations: 1, cases: 1 },
    ]);
    const chair = JSON.parse(body(await get('/api/reports/learning', cast.exeterChair).expect(200)));
    expect(chair.nationalRecommendations).toEqual([{ addressee: 'Ministry of Justice', label: 'Ministry of Justice', recommendations: 1, cases: 1 }]);
    const before2026 = JSON.parse(body(await get('/api/reports/learning?to=2025', cast.admin).expect(200)));
    expect(before2026.nationalRecommendations).toEqual([{ addressee: null, label: 'Not recorded', recommendations: 1, cases: 1 }]);
  });
});
