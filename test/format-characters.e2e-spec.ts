/**
 * Format, invisible and control characters (docs/security.md, "Format
 * characters and repeated refusals"): every string field of every request
 * body the OpenAPI document describes, every string query parameter and the
 * form fields of uploads refuse them with 400 problem+json naming the field,
 * and change nothing; text stored before the rule reaches no notification
 * or e-mail with them.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import type { Response } from 'supertest';
import { caseAtStage } from './support/stage-factory.js';
import { createCase } from './support/case-fixtures.js';
import { operations, pathFor, tableChecksums, type Operation, type Schema } from './support/fuzz.js';
import { startSmtpSink } from './support/smtp-sink.js';
import type { Session } from './support/test-app.js';
import { oneLineBreaks, refusedEverywhere, word } from './support/text-characters.js';
import { buildWorld, type World } from './support/world.js';

const SEED = 20261206;
const TOKEN_ENDPOINT = 'POST /api/auth/token';
const NO_SUCH_ID = '00000000-0000-4000-8000-000000000000';
/** Secrets are compared, never shown: any character typed into one is its owner's. */
const CREDENTIALS = new Set(['password', 'refreshToken', 'client_secret']);

/** A string field of a body: its path as the answer names it, and how to put a value there. */
interface StringField {
  field: string;
  oneLine: boolean;
  body: (value: string) => unknown;
}

const isText = (schema: Schema | undefined) => schema?.type === 'string';
/** A free-text field's pattern lets a line feed through; a one-line field's does not. */
const oneLine = (schema: Schema) => !('pattern' in schema) || !new RegExp(String((schema as { pattern: string }).pattern), 'u').test('a\nb');

function stringFields(schema: Schema | undefined): StringField[] {
  const fields: StringField[] = [];
  for (const [key, prop] of Object.entries(schema?.properties ?? {})) {
    if (CREDENTIALS.has(key)) continue;
    if (isText(prop)) fields.push({ field: key, oneLine: oneLine(prop), body: (v) => ({ [key]: v }) });
    if (prop.type === 'array' && isText(prop.items)) fields.push({ field: `${key}.0`, oneLine: oneLine(prop.items!), body: (v) => ({ [key]: [v] }) });
    if (prop.type === 'array' && prop.items?.properties) {
      for (const inner of stringFields(prop.items)) fields.push({ ...inner, field: `${key}.0.${inner.field}`, body: (v) => ({ [key]: [inner.body(v)] }) });
    }
  }
  return fields;
}

describe('format and invisible characters', () => {
  let t: World;
  let smtp: Awaited<ReturnType<typeof startSmtpSink>>;
  let ops: Operation[];

  beforeAll(async () => {
    smtp = await startSmtpSink();
    t = await buildWorld({ mail: { smtpUrl: smtp.url, from: 'dhr@example.org', intervalSeconds: 3600, maxAttempts: 3 } });
    ops = operations((await t.http.get('/api/docs-json').expect(200)).body);
  });
  afterAll(async () => {
    await t.close();
    await smtp.close();
  });

  /** Sends as the administrator, or as the first of the cast whose role the route lets in (a 403 from the guard comes before validation). */
  async function sendAsSomeoneLetIn(op: Operation, path: string, query: Record<string, string>, body: unknown): Promise<Response> {
    const cast = t.cast;
    const people: Session[] = [cast.admin, cast.exeterChair, cast.reviewChair, cast.policeLead];
    let res: Response | undefined;
    for (const who of people) {
      const method = op.method.toLowerCase() as 'get' | 'post' | 'put' | 'patch' | 'delete';
      let req = t.http[method](path).set(who.auth).query(query);
      if (body !== undefined) req = req.set('Content-Type', 'application/json').send(JSON.stringify(body));
      res = await req;
      if (res.status !== 403) return res;
    }
    return res!;
  }

  function expectRefusedNaming(res: Response, field: string, what: string): void {
    // The token endpoint answers as RFC 6749 §5.2 says, with an error code rather than a field's name.
    if (what.includes(TOKEN_ENDPOINT) && res.status === 400 && typeof res.body.error === 'string') return;
    if (res.status !== 400 || !Array.isArray(res.body.errors)) throw new Error(`${what} answered ${res.status}: ${res.text.slice(0, 300)}`);
    expect(res.headers['content-type']).toContain('application/problem+json');
    const named = (res.body.errors as { field: string }[]).map((e) => e.field);
    // a rule on each item of a list (`@IsIn(…, { each: true })`) names the list
    const list = field.endsWith('.0') ? field.slice(0, -2) : undefined;
    if (!named.includes(field) && !(list && named.includes(list))) throw new Error(`${what} named ${JSON.stringify(named)}, not ${field}`);
  }

  it('refuses each in every string field of every JSON body, a line break or tab in every one-line field, with 400 naming the field, changing nothing', async () => {
    const before = await tableChecksums(t.dataSource);
    let fields = 0;
    for (const op of ops.filter((o) => o.body && ['POST', 'PUT', 'PATCH'].includes(o.method))) {
      const path = fc.sample(pathFor(op.path, () => fc.constant(NO_SUCH_ID)), 1)[0];
      for (const { field, oneLine: single, body } of stringFields(op.body)) {
        fields += 1;
        const refused = single ? fc.oneof(refusedEverywhere, oneLineBreaks) : refusedEverywhere;
        await fc.assert(
          fc.asyncProperty(word, refused, word, async (a, bad, b) => {
            const what = `${op.method} ${op.path} ${field} with U+${bad.codePointAt(0)!.toString(16).toUpperCase()}`;
            expectRefusedNaming(await sendAsSomeoneLetIn(op, path, {}, body(`${a}${bad}${b}`)), field, what);
          }),
          { numRuns: 4, seed: SEED },
        );
      }
    }
    expect(fields).toBeGreaterThan(50);
    expect(await tableChecksums(t.dataSource)).toEqual(before);
  }, 300_000);

  it('refuses each in every string query parameter (search terms, cursors, filters) with 400 naming it', async () => {
    let parameters = 0;
    for (const op of ops.filter((o) => o.method === 'GET')) {
      const path = fc.sample(pathFor(op.path, () => fc.constant(NO_SUCH_ID)), 1)[0];
      for (const { name } of op.query.filter((q) => isText(q.schema))) {
        parameters += 1;
        await fc.assert(
          fc.asyncProperty(word, refusedEverywhere, word, async (a, bad, b) => {
            const what = `${op.method} ${op.path}?${name} with U+${bad.codePointAt(0)!.toString(16).toUpperCase()}`;
            // a lone surrogate cannot be percent-encoded: it goes as the bytes of U+FFFD, which the rule keeps, and is left out here
            if (/[\uD800-\uDFFF]/.test(bad)) return;
            expectRefusedNaming(await sendAsSomeoneLetIn(op, path, { [name]: `${a}${bad}${b}` }, undefined), name, what);
          }),
          { numRuns: 6, seed: SEED },
        );
      }
    }
    expect(parameters).toBeGreaterThan(5);
  }, 300_000);

  it('refuses each in the form fields of an upload, storing nothing', async () => {
    const { id: caseId } = await createCase(t, t.cast.admin, t.cast.exeter);
    const before = await tableChecksums(t.dataSource);
    await fc.assert(
      fc.asyncProperty(refusedEverywhere.filter((c) => !/[\uD800-\uDFFF]/.test(c)), async (bad) => {
        const document = await t.http
          .post(`/api/cases/${caseId}/documents`)
          .set(t.cast.admin.auth)
          .field('kind', `terms_of_reference${bad}`)
          .attach('file', Buffer.from('Terms of reference.'), 'terms.txt');
        expectRefusedNaming(document, 'kind', `a document kind with U+${bad.codePointAt(0)!.toString(16)}`);
        const chronology = await t.http
          .post(`/api/cases/${caseId}/chronologies`)
          .set(t.cast.admin.auth)
          .field('agencyId', `${t.cast.police}${bad}`)
          .attach('file', Buffer.from('date,source,details\n2024-01-01,Log,Fine\n'), 'chronology.csv');
        expectRefusedNaming(chronology, 'agencyId', `a chronology's agency with U+${bad.codePointAt(0)!.toString(16)}`);
      }),
      { numRuns: 15, seed: SEED },
    );
    expect(await tableChecksums(t.dataSource)).toEqual(before);
  });

  describe('the names of uploaded files', () => {
    const CSV = 'Date,Time,Source of information,Details of the event,Subject,Event type,Action taken,Comment\r\n2024-05-22,09:30,Control room log,Call from a neighbour,Adult A,Call,Officers attended,\r\n';
    const BOUNDARY = 'dhr-file-name-boundary';
    type Sent = 'filename*' | 'filename';
    /** A multipart body written by hand, so the file part's header carries the name exactly as a hostile client would send it. */
    const multipart = (fields: Record<string, string>, name: string, sent: Sent, content: string) => {
      const parameter =
        sent === 'filename*'
          ? `filename*=UTF-8''${encodeURIComponent(name).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)}`
          : // a browser's way (WHATWG): CR, LF and the quote percent-encoded, every other character as its UTF-8 bytes
            `filename="${name.replace(/\r/g, '%0D').replace(/\n/g, '%0A').replace(/"/g, '%22')}"`;
      const parts = Object.entries(fields).map(([k, v]) => `--${BOUNDARY}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`);
      parts.push(`--${BOUNDARY}\r\nContent-Disposition: form-data; name="file"; ${parameter}\r\nContent-Type: application/octet-stream\r\n\r\n${content}\r\n--${BOUNDARY}--\r\n`);
      return Buffer.from(parts.join(''), 'utf8');
    };
    let caseId: string;
    const uploadDocument = (name: string, sent: Sent) =>
      t.http.post(`/api/cases/${caseId}/documents`).set(t.cast.admin.auth).set('Content-Type', `multipart/form-data; boundary=${BOUNDARY}`).send(multipart({ kind: 'terms_of_reference' }, name, sent, 'Terms of reference.'));
    const uploadChronology = (name: string, sent: Sent) =>
      t.http.post(`/api/cases/${caseId}/chronologies`).set(t.cast.admin.auth).set('Content-Type', `multipart/form-data; boundary=${BOUNDARY}`).send(multipart({ agencyId: t.cast.police }, name, sent, CSV));

    beforeAll(async () => {
      caseId = (await createCase(t, t.cast.admin, t.cast.exeter)).id;
      await t.http.post(`/api/cases/${caseId}/panel`).set(t.cast.admin.auth).send({ agencyId: t.cast.police }).expect(201);
    });

    it('refuses a name holding any control, format, bidirectional or invisible character, sent either way, on both routes, with 400 naming the file, storing nothing', async () => {
      const before = await tableChecksums(t.dataSource);
      const bad = fc.oneof(refusedEverywhere.filter((c) => !/[\uD800-\uDFFF]/.test(c)), oneLineBreaks);
      await fc.assert(
        fc.asyncProperty(word, fc.array(bad, { minLength: 1, maxLength: 3 }), word, fc.constantFrom<Sent>('filename*', 'filename'), async (a, hidden, b, way) => {
          const name = `${a}${hidden.join('')}${b}.csv`;
          // a control other than CR and LF has no way to be written in a quoted parameter (the header is then malformed, a 400 of its own): it goes percent-encoded
          const rawControl = [...name].some((c) => (c < ' ' && c !== '\r' && c !== '\n') || c === '\x7f');
          const sent: Sent = rawControl ? 'filename*' : way;
          const what = `${sent} ${JSON.stringify(name)}`;
          expectRefusedNaming(await uploadDocument(name.replace(/\.csv$/, '.txt'), sent), 'file', `a document named ${what}`);
          expectRefusedNaming(await uploadChronology(name, sent), 'file', `a chronology named ${what}`);
        }),
        { numRuns: 60, seed: SEED },
      );
      expect(await tableChecksums(t.dataSource)).toEqual(before);
    });

    it('refuses the reported name (RLO, ZWSP, CR LF) and a name longer than a disk keeps', async () => {
      for (const name of ['pol\u202Eice\u200B\r\nx.csv', `${'a'.repeat(252)}.csv`]) {
        for (const sent of ['filename*', 'filename'] as const) {
          expectRefusedNaming(await uploadChronology(name, sent), 'file', `${sent} ${name.slice(0, 20)}`);
          expectRefusedNaming(await uploadDocument(name, sent), 'file', `${sent} ${name.slice(0, 20)}`);
        }
      }
    });

    it('keeps a name of any script, sent either way, as the uploader wrote it (UTF-8, never read as Latin-1)', async () => {
      const names = ['Zoë’s chronology.csv', 'شريف 2024.csv', '张伟 – notes.csv', 'Ада (v2).csv'];
      for (const [i, name] of names.entries()) {
        const sent: Sent = i % 2 === 0 ? 'filename' : 'filename*';
        const chronology = await uploadChronology(name, sent);
        expect([name, chronology.status, chronology.body.detail]).toEqual([name, 201, undefined]);
        const document = await uploadDocument(name.replace(/\.csv$/, '.txt'), sent);
        expect([name, document.status, document.body.detail]).toEqual([name, 201, undefined]);
        const [{ original_name: stored }] = await t.dataSource.query('SELECT original_name FROM case_document WHERE id = $1', [document.body.id]);
        expect(stored).toBe(name.replace(/\.csv$/, '.txt'));
      }
      const listed = (await t.http.get(`/api/cases/${caseId}/chronologies`).set(t.cast.admin.auth).expect(200)).body.items.map((s: { originalName: string }) => s.originalName);
      expect(listed.sort()).toEqual([...names].sort());
    });

    it('shows a name stored before the rule as one line: in the list of chronologies and a document’s download', async () => {
      const chronology = await uploadChronology('old.csv', 'filename');
      const document = await uploadDocument('old.txt', 'filename');
      await t.dataSource.query('UPDATE chronology_submission SET original_name = $2 WHERE id = $1', [chronology.body.id, 'pol\u202Eice\u200B\r\nx.csv']);
      await t.dataSource.query('UPDATE case_document SET original_name = $2 WHERE id = $1', [document.body.id, 'pol\u202Eice\u200B\r\nx.txt']);
      const listed = (await t.http.get(`/api/cases/${caseId}/chronologies`).set(t.cast.admin.auth).expect(200)).body.items.find((s: { id: string }) => s.id === chronology.body.id);
      expect(listed.originalName).toBe('police  x.csv');
      const download = await t.http.get(`/api/documents/${document.body.id}/content`).set(t.cast.admin.auth).expect(200);
      expect(decodeURIComponent(/filename\*=UTF-8''(.*)$/.exec(download.headers['content-disposition'])![1])).toBe('police  x.txt');
    });
  });

  it('keeps them out of notifications and e-mails even where a stored pseudonym or agency name still holds them', async () => {
    const { id: caseId } = await caseAtStage(t, 'home_office_qa');
    // rows written before the rule was this strict
    await t.dataSource.query(`UPDATE case_subject SET pseudonym = $2 WHERE case_id = $1 AND role = 'victim'`, [caseId, 'Anna\u202EX\u200B\u2066']);
    await t.dataSource.query(`UPDATE agency SET name = $2 WHERE id = $1`, [t.cast.police, 'Example\u2028Police\u00AD\u3164']);
    const admin = t.cast.admin;
    // the police lead is e-mailed each notice at once, not in the daily digest
    await t.http.patch('/api/notifications/settings').set(t.cast.policeLead.auth).send({ emailDelivery: 'immediate' }).expect(200);
    const recommendation = await t.http
      .post(`/api/cases/${caseId}/recommendations`)
      .set(admin.auth)
      .send({ scope: 'local', text: 'Share risk information sooner.', themes: [] })
      .expect(201);
    await t.http
      .post(`/api/recommendations/${recommendation.body.id}/actions`)
      .set(admin.auth)
      .send({ ownerAgencyId: t.cast.police, description: 'Train call handlers.', targetOn: '2027-12-31' })
      .expect(201);

    const told: { title: string; body: string }[] = await t.dataSource.query(`SELECT title, body FROM notification WHERE case_id = $1 AND kind = 'action_assigned'`, [caseId]);
    const mailed: { subject: string; body: string }[] = await t.dataSource.query(`SELECT subject, body FROM email_outbox`);
    expect(told.length).toBeGreaterThan(0);
    expect(mailed.length).toBeGreaterThan(0);
    const hidden = /[\p{Cf}\p{Zl}\p{Zp}\u3164\u00AD]/u;
    for (const line of [...told.map((n) => n.title), ...mailed.map((m) => m.subject)]) {
      expect(line).not.toMatch(hidden);
      expect(line).not.toMatch(/[\r\n\t]/);
      expect(line).toContain('AnnaX');
      expect(line).toContain('Example Police');
    }
    for (const text of [...told.map((n) => n.body), ...mailed.map((m) => m.body)]) expect(text).not.toMatch(hidden);
  });
});
