/**
 * Generated uploads against the two multipart operations: random bytes,
 * truncated files, files under the wrong name or declared type, and random
 * field values. Never a 5xx; every refusal a problem; a refused upload
 * leaves no row and no file (checked after every request: the counts are
 * cheap), and nothing is left in the staging folder. A share of the uploads
 * is a good file under its own name and type, and at least one of those
 * must be stored: a suite that only ever saw refusals would pass against an
 * endpoint that refuses everything.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { caseAtStage } from './support/stage-factory.js';
import { expectSoundAnswer, FUZZ_RUNS, FUZZ_SEED, hostileString } from './support/fuzz.js';
import { buildFuzzWorld, type FuzzWorld } from './support/fuzz-world.js';
import { minimalDocx, minimalPdf, minimalXlsx } from './support/zip.js';

const CSV = 'Date,Time,Source of information,Details of the event,Subject,Event type,Action taken,Comment\r\n2024-05-22,09:30,Control room log,A call,Anna,Call,,\r\n';

const GOOD_FILES: [string, Buffer][] = [
  ['report.pdf', minimalPdf()],
  ['report.docx', minimalDocx()],
  ['chronology.xlsx', minimalXlsx()],
  ['chronology.csv', Buffer.from(CSV, 'utf8')],
  ['notes.txt', Buffer.from('Fictional notes.\n', 'utf8')],
];

const NAMES = ['a.pdf', 'a.docx', 'a.xlsx', 'a.csv', 'a.txt', 'a.exe', 'a', '.pdf', 'a.PDF', 'a.pdf.exe', '../../a.pdf', 'a\u0000.pdf', 'ü\u202E.pdf', 'a;b.csv', '"quoted".pdf'];
const TYPES = ['application/pdf', 'text/csv', 'text/plain', 'application/octet-stream', 'image/png', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', 'x/y'];

const fileContent: fc.Arbitrary<Buffer> = fc.oneof(
  fc.uint8Array({ maxLength: 4096 }).map((a) => Buffer.from(a)),
  fc.tuple(fc.constantFrom(...GOOD_FILES), fc.double({ min: 0, max: 1, noNaN: true })).map(([[, file], cut]) => file.subarray(0, Math.floor(file.length * cut))),
  fc.tuple(fc.constantFrom(...GOOD_FILES), fc.uint8Array({ minLength: 1, maxLength: 64 })).map(([[, file], junk]) => Buffer.concat([file, Buffer.from(junk)])),
  fc.constantFrom(...GOOD_FILES).map(([, file]) => file),
  fc.constantFrom(...GOOD_FILES).map(([, file]) => file),
  fc.constant(Buffer.alloc(70 * 1024, 0x41)),
  hostileString.map((s) => Buffer.from(s, 'utf8')),
);
// Multipart headers cannot carry a line break; the client library would write a broken request of its own.
const fileName = fc.oneof(fc.constantFrom(...GOOD_FILES.map(([name]) => name)), fc.constantFrom(...NAMES), hostileString.map((s) => s.replace(/[\r\n]/g, '').slice(0, 300) || 'x'));
const field = fc.oneof(hostileString.map((s) => s.slice(0, 2000)), fc.constantFrom('true', 'false', 'other', 'imr', 'overview_report'));

type Upload = { content: Buffer; name: string; type: string; values: Record<string, string>; withFile: boolean };

/** What each route accepts: a file it reads, under its own name and type, with the fields it needs. */
const GOOD_UPLOADS: Record<'documents' | 'chronologies', fc.Arbitrary<Upload>> = {
  documents: fc.constantFrom(
    { content: minimalPdf(), name: 'report.pdf', type: 'application/pdf', values: { kind: 'other' }, withFile: true },
    { content: Buffer.from('Fictional notes.\n', 'utf8'), name: 'notes.txt', type: 'text/plain', values: { kind: 'other' }, withFile: true },
  ),
  chronologies: fc.constant({ content: Buffer.from(CSV, 'utf8'), name: 'chronology.csv', type: 'text/csv', values: { agencyId: 'AGENCY' }, withFile: true }),
};

describe('fuzzing the uploads', () => {
  let fw: FuzzWorld;
  let caseId: string;

  beforeAll(async () => {
    fw = await buildFuzzWorld();
    caseId = (await caseAtStage(fw.w, 'drafting')).id;
    await fw.w.http.post(`/api/cases/${caseId}/panel`).set(fw.w.cast.admin.auth).send({ agencyId: fw.w.cast.health }).expect(201);
  }, 120_000);
  afterAll(() => fw?.close());

  const files = (dir: string) => (existsSync(dir) ? readdirSync(dir) : []);
  const snapshot = async () => {
    const [rows] = await fw.w.dataSource.query(
      `SELECT (SELECT count(*)::int FROM case_document) AS documents, (SELECT count(*)::int FROM chronology_submission) AS submissions,
              (SELECT count(*)::int FROM chronology_entry) AS entries`,
    );
    return { ...rows, stored: files(join(fw.dataDir, 'documents')).filter((f) => f !== 'tmp').length };
  };

  for (const [route, fields] of [
    [
      'documents',
      {
        kind: fc.oneof({ weight: 3, arbitrary: fc.constantFrom('other', 'overview_report', 'imr') }, { weight: 1, arbitrary: field }),
        final: fc.oneof({ weight: 3, arbitrary: fc.constantFrom('true', 'false') }, { weight: 1, arbitrary: field }),
        agencyId: fc.oneof({ weight: 2, arbitrary: fc.constant('AGENCY') }, { weight: 1, arbitrary: field }),
      },
    ],
    ['chronologies', { agencyId: fc.oneof({ weight: 3, arbitrary: fc.constant('AGENCY') }, { weight: 1, arbitrary: field }) }],
  ] as const) {
    it(`POST /api/cases/:id/${route}: never a 5xx, and a refused upload leaves nothing behind`, async () => {
      let refused = 0;
      const answers: Record<number, number> = {};
      const generated: fc.Arbitrary<Upload> = fc.record({
        content: fileContent,
        name: fileName,
        type: fc.constantFrom(...TYPES),
        values: fc.record(fields as Record<string, fc.Arbitrary<string>>, { requiredKeys: route === 'documents' ? ['kind'] : [] }),
        withFile: fc.oneof({ weight: 4, arbitrary: fc.constant(true) }, { weight: 1, arbitrary: fc.constant(false) }),
      });
      const property = fc.asyncProperty(
        fc.oneof({ weight: 1, arbitrary: GOOD_UPLOADS[route] }, { weight: 4, arbitrary: generated }),
        async ({ content, name, type, values, withFile }) => {
          const before = await snapshot();
          const req = fw.w.http.post(`/api/cases/${caseId}/${route}`).set(fw.w.cast.admin.auth);
          for (const [key, value] of Object.entries(values)) req.field(key, value === 'AGENCY' ? fw.w.cast.health : String(value));
          const res = withFile ? await req.attach('file', content, { filename: name, contentType: type }) : await req;
          expectSoundAnswer(res, `${route} upload of ${content.length} bytes as ${JSON.stringify(name)} (${type}) with ${JSON.stringify(values).slice(0, 300)}`);
          answers[res.status] = (answers[res.status] ?? 0) + 1;
          if (res.status >= 400) {
            refused += 1;
            expect(await snapshot()).toEqual(before);
          } else {
            expect(res.status).toBe(201);
            const after = await snapshot();
            if (route === 'documents') expect(after).toEqual({ ...before, documents: before.documents + 1, stored: before.stored + 1 });
            else expect(after.submissions).toBe(before.submissions + 1);
          }
          expect(files(join(fw.dataDir, 'documents', 'tmp'))).toEqual([]);
        },
      );
      try {
        await fc.assert(property, { numRuns: FUZZ_RUNS, seed: FUZZ_SEED });
      } catch (error) {
        throw new Error(`FUZZ_SEED=${FUZZ_SEED}: ${(error as Error).message}\nCause: ${((error as Error).cause as Error | undefined)?.message}`);
      }
      process.stdout.write(`${route}: ${FUZZ_RUNS} uploads, ${refused} refused; answers ${JSON.stringify(answers)}` + '\n');
      expect(answers[201]).toBeGreaterThan(0);
    }, 300_000);
  }
});
