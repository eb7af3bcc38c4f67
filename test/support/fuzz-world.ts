/**
 * The seeded world the fuzz suites run in: the cast, a case put at the
 * Home Office QA stage with a protected term, a recommendation and its
 * action, a QA submission, documents and a hold, and a second case, so that
 * generated requests naming real ids reach the services. Every id belongs to
 * the first case, as the paths the requests fill in name it: a hold on
 * another case would answer every request to end it "not found".
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCase } from './case-fixtures.js';
import { today } from './case-walk.js';
import { caseAtStage } from './stage-factory.js';
import type { FuzzIds, Operation } from './fuzz.js';
import { FUZZ_RUNS, FUZZ_SEED, operations } from './fuzz.js';
import { buildWorld, type World } from './world.js';

export interface FuzzWorld {
  w: World;
  ids: FuzzIds;
  ops: Operation[];
  dataDir: string;
  close(): Promise<void>;
}

async function created(res: { status: number; body: { id?: string } }, what: string): Promise<string> {
  if (res.status !== 201 || !res.body.id) throw new Error(`${what} answered ${res.status}: ${JSON.stringify(res.body)}`);
  return res.body.id;
}

export async function buildFuzzWorld(): Promise<FuzzWorld> {
  // The seed changes per run: printed first, so any run can be replayed with FUZZ_SEED.
  process.stdout.write(`fuzzing with FUZZ_SEED=${FUZZ_SEED} FUZZ_RUNS=${FUZZ_RUNS}\n`);
  const dataDir = mkdtempSync(join(tmpdir(), 'dhr-fuzz-'));
  const w = await buildWorld({ dataDir, documentMaxBytes: 64 * 1024, chronologyMaxBytes: 64 * 1024 });
  const { admin, exeterChair, police, exeter } = w.cast;
  const { id: caseId } = await caseAtStage(w, 'home_office_qa');
  const otherCaseId = (await createCase(w, admin, exeter)).id;
  const post = (path: string, body: object, who = admin) => w.http.post(path).set(who.auth).send(body);
  const termId = await created(await post(`/api/cases/${caseId}/protected-terms`, { term: 'Harbour Works' }, exeterChair), 'the protected term');
  const recommendationId = await created(
    await post(`/api/cases/${caseId}/recommendations`, { scope: 'local', text: 'Share risk information sooner.', themes: [] }),
    'the recommendation',
  );
  const actionId = await created(
    await post(`/api/recommendations/${recommendationId}/actions`, { ownerAgencyId: police, description: 'Train call handlers.', targetOn: '2026-12-31' }),
    'the action',
  );
  const qaSubmissionId = await created(await post(`/api/cases/${caseId}/qa-submissions`, { submittedOn: today(w) }), 'the QA submission');
  // Last, so that nothing above meets a case on hold.
  const holdId = await created(await post(`/api/cases/${caseId}/holds`, { reason: 'inquest', startedOn: '2026-03-03' }), 'the hold');
  const contributions = await w.http.get(`/api/cases/${caseId}/contributions`).set(admin.auth);
  const documents = await w.http.get(`/api/cases/${caseId}/documents`).set(admin.auth);
  const notifications = await w.http.get('/api/notifications').set(admin.auth);
  const other = await w.http.get('/api/users').set(admin.auth);
  const docs = await w.http.get('/api/docs-json');
  const firstId = (res: { body: { items?: { id: string }[] } | { id: string }[] }, what: string) => {
    const items = Array.isArray(res.body) ? res.body : (res.body.items ?? []);
    if (!items[0]) throw new Error(`no ${what} to fuzz against`);
    return items[0].id;
  };
  const ids: FuzzIds = {
    caseId,
    otherCaseId,
    holdId,
    agencyId: police,
    // Never the administrator the fuzzing runs as: a generated PATCH could deactivate them.
    userId: (other.body.items as { id: string }[]).find((u) => u.id !== admin.userId)!.id,
    termId,
    contributionId: firstId(contributions, 'contribution'),
    recommendationId,
    actionId,
    qaSubmissionId,
    documentId: firstId(documents, 'document'),
    notificationId: notifications.body.items?.[0]?.id ?? '00000000-0000-4000-8000-000000000000',
  };
  return {
    w,
    ids,
    ops: operations(docs.body),
    dataDir,
    close: async () => {
      await w.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
