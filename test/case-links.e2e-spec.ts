/**
 * Linked reviews (docs/domain.md, "Linked reviews"): a link added on one case
 * is shown on both; each reader sees the other case as far as their scope
 * allows; duplicates either way round are refused, two at once store one;
 * a case out of the caller's scope is linked no more than an unknown one;
 * adding and removing are audited on both cases' trails.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createCase, patchCase } from './support/case-fixtures.js';
import { insertCase } from './support/factories.js';
import { auditActions, type Session } from './support/test-app.js';
import { buildWorld, type World } from './support/world.js';

const MISSING = '00000000-0000-4000-8000-00000000abcd';

describe('linked reviews', () => {
  let w: World;
  /** Exeter's case, with the review chair assigned and the police on its panel. */
  let a: { id: string; reference: string };
  /** North Devon's case. */
  let b: { id: string; reference: string };
  /** Another of Exeter's cases. */
  let c: { id: string; reference: string };

  const links = (who: Session, caseId: string) => w.http.get(`/api/cases/${caseId}/links`).set(who.auth);
  const link = (who: Session, caseId: string, body: object) => w.http.post(`/api/cases/${caseId}/links`).set(who.auth).send(body);
  const rowsOf = async (caseId: string): Promise<number> => {
    const [row] = await w.dataSource.query('SELECT count(*)::int AS n FROM case_link WHERE case_id = $1 OR linked_case_id = $1', [caseId]);
    return row.n;
  };

  beforeAll(async () => {
    w = await buildWorld();
    const { cast } = w;
    a = await createCase(w, cast.admin, cast.exeter);
    b = await createCase(w, cast.admin, cast.northDevon);
    c = await createCase(w, cast.admin, cast.exeter);
    expect((await patchCase(w, cast.admin, a.id, { reviewChairId: cast.reviewChair.userId })).status).toBe(200);
    await w.http.post(`/api/cases/${a.id}/panel`).set(cast.admin.auth).send({ agencyId: cast.police }).expect(201);
  });
  afterAll(() => w.close());

  describe('a joint DHR of two partnerships', () => {
    let linkId: string;

    it('is added by the SDP administrator, who sees the other case whole', async () => {
      const res = await link(w.cast.admin, a.id, { kind: 'joint_dhr', linkedCaseId: b.id, note: 'Run jointly with North Devon and Torridge.' }).expect(201);
      linkId = res.body.id;
      expect(res.body).toEqual({
        id: linkId,
        kind: 'joint_dhr',
        linkedCase: { id: b.id, reference: b.reference, partnershipId: w.cast.northDevon, partnershipName: 'North Devon and Torridge' },
        externalReference: null,
        note: 'Run jointly with North Devon and Torridge.',
      });
    });

    it('is shown on both cases to a reader who may see both', async () => {
      const fromA = await links(w.cast.admin, a.id).expect(200);
      const fromB = await links(w.cast.admin, b.id).expect(200);
      expect(fromA.body.items).toEqual([expect.objectContaining({ id: linkId, linkedCase: expect.objectContaining({ id: b.id, reference: b.reference }) })]);
      expect(fromB.body).toEqual({
        items: [
          {
            id: linkId,
            kind: 'joint_dhr',
            linkedCase: { id: a.id, reference: a.reference, partnershipId: w.cast.exeter, partnershipName: 'Exeter' },
            externalReference: null,
            note: 'Run jointly with North Devon and Torridge.',
          },
        ],
        nextCursor: null,
      });
    });

    it('shows each CSP chair only the kind and the other partnership’s name of the case they may not see', async () => {
      const exeterSide = await links(w.cast.exeterChair, a.id).expect(200);
      expect(exeterSide.body.items).toEqual([{ id: linkId, kind: 'joint_dhr', linkedCase: { partnershipName: 'North Devon and Torridge' }, externalReference: null, note: null }]);
      const northSide = await links(w.cast.northChair, b.id).expect(200);
      expect(northSide.body.items).toEqual([{ id: linkId, kind: 'joint_dhr', linkedCase: { partnershipName: 'Exeter' }, externalReference: null, note: null }]);
      expect(JSON.stringify(northSide.body)).not.toContain(a.id);
      expect(JSON.stringify(northSide.body)).not.toContain(a.reference);
    });

    it('is readable by the case’s review chair, and by the reference of the case', async () => {
      const res = await links(w.cast.reviewChair, a.reference.toLowerCase()).expect(200);
      expect(res.body.items).toEqual([expect.objectContaining({ id: linkId, linkedCase: { partnershipName: 'North Devon and Torridge' } })]);
    });

    it('is audited on both cases’ trails by the link’s id, neither event naming the other case, the note masked', async () => {
      const events: { case_id: string; partnership_id: string; changes: Record<string, { from: unknown; to: unknown }> }[] = await w.dataSource.query(
        `SELECT case_id, partnership_id, changes FROM audit_event WHERE action = 'link.added' AND entity_type = 'case_link' AND entity_id = $1 ORDER BY seq`,
        [linkId],
      );
      expect(events.map((e) => [e.case_id, e.partnership_id])).toEqual([
        [a.id, w.cast.exeter],
        [b.id, w.cast.northDevon],
      ]);
      for (const event of events) {
        expect(event.changes).toEqual({
          kind: { from: null, to: 'joint_dhr' },
          externalReference: { from: null, to: null },
          note: { from: null, to: '[redacted]' },
        });
      }
    });

    it('refuses the same pair again, either way round, with 409 link_exists, and stores nothing', async () => {
      const again = await link(w.cast.admin, a.id, { kind: 'sar', linkedCaseId: b.id }).expect(409);
      expect(again.body.unmet).toEqual(['link_exists']);
      const reversed = await link(w.cast.admin, b.id, { kind: 'joint_dhr', linkedCaseId: a.id }).expect(409);
      expect(reversed.body.unmet).toEqual(['link_exists']);
      expect(reversed.body.detail).toMatch(/linked already/);
      expect(await rowsOf(a.id)).toBe(1);
    });
  });

  it('stores one link when the same pair is linked from both sides at once, and never waits for ever', async () => {
    const pairs = await Promise.all(
      [1, 2, 3, 4].map(async () => [(await createCase(w, w.cast.admin, w.cast.exeter)).id, (await createCase(w, w.cast.admin, w.cast.exeter)).id] as const),
    );
    const answers = await Promise.all(
      pairs.map(([x, y]) =>
        Promise.all([
          link(w.cast.admin, x, { kind: 'joint_dhr', linkedCaseId: y }),
          link(w.cast.admin, y, { kind: 'joint_dhr', linkedCaseId: x }),
          link(w.cast.exeterChair, x, { kind: 'other', linkedCaseId: y }),
        ]),
      ),
    );
    for (const [index, [x]] of pairs.entries()) {
      expect(answers[index].map((r) => r.status).sort()).toEqual([201, 409, 409]);
      expect(await rowsOf(x)).toBe(1);
      expect(await auditActions(w, `case_id = $1 AND action = 'link.added'`, [x])).toEqual(['link.added']);
    }
  });

  it('answers a case the caller may not see exactly as an unknown one (404), writes no link, and audits the attempt', async () => {
    const before = await rowsOf(c.id);
    const hidden = await link(w.cast.exeterChair, c.id, { kind: 'joint_dhr', linkedCaseId: b.id }).expect(404);
    const unknown = await link(w.cast.exeterChair, c.id, { kind: 'joint_dhr', linkedCaseId: MISSING }).expect(404);
    expect(hidden.body).toEqual({ ...unknown.body, instance: hidden.body.instance });
    expect(await rowsOf(c.id)).toBe(before);
    expect(await rowsOf(b.id)).toBe(1);
    expect(await auditActions(w, `case_id = $1 AND actor_id = $2 AND action = 'access.denied'`, [b.id, w.cast.exeterChair.userId])).toEqual(['access.denied']);
    // the review chair of Exeter's case is not assigned to North Devon's either
    await link(w.cast.reviewChair, a.id, { kind: 'sar', linkedCaseId: c.id }).expect(404);
  });

  it('lets a CSP chair link two cases of their own partnership, both seen whole', async () => {
    const res = await link(w.cast.exeterChair, c.id, { kind: 'mental_health_review', linkedCaseId: a.id }).expect(201);
    expect(res.body.linkedCase).toEqual({ id: a.id, reference: a.reference, partnershipId: w.cast.exeter, partnershipName: 'Exeter' });
    const fromA = await links(w.cast.exeterChair, a.id).expect(200);
    expect(fromA.body.items.map((i: { kind: string; linkedCase: object }) => [i.kind, i.linkedCase])).toEqual([
      ['joint_dhr', { partnershipName: 'North Devon and Torridge' }],
      ['mental_health_review', { id: c.id, reference: c.reference, partnershipId: w.cast.exeter, partnershipName: 'Exeter' }],
    ]);
  });

  it('links a case to a review outside the system by its reference, once per reference in any letter case', async () => {
    const res = await link(w.cast.reviewChair, a.id, { kind: 'sar', externalReference: '  SAR 2026/14 Torbay  ', note: 'Joint panel meetings.' }).expect(201);
    expect(res.body).toEqual({ id: res.body.id, kind: 'sar', linkedCase: null, externalReference: 'SAR 2026/14 Torbay', note: 'Joint panel meetings.' });
    const again = await link(w.cast.admin, a.id, { kind: 'cspr', externalReference: 'sar 2026/14 torbay' }).expect(409);
    expect(again.body.unmet).toEqual(['link_exists']);
    // another case may name the same external review
    await link(w.cast.admin, c.id, { kind: 'sar', externalReference: 'SAR 2026/14 Torbay' }).expect(201);
    // the CSP chair sees an external link whole, note included
    const seen = await links(w.cast.exeterChair, a.id).expect(200);
    expect(seen.body.items).toContainEqual({ id: res.body.id, kind: 'sar', linkedCase: null, externalReference: 'SAR 2026/14 Torbay', note: 'Joint panel meetings.' });
  });

  it('links a closed review too', async () => {
    const closed = await insertCase(w.dataSource, { partnershipId: w.cast.exeter, stage: 'closed' });
    await link(w.cast.exeterChair, closed.id, { kind: 'other', externalReference: 'IOPC 2026/0001' }).expect(201);
  });

  describe('refuses a malformed link with 400 and writes nothing', () => {
    const cases: [string, object, string][] = [
      ['neither a case nor a reference', { kind: 'sar' }, 'linkedCaseId or externalReference is required'],
      ['both a case and a reference', { kind: 'sar', linkedCaseId: MISSING, externalReference: 'SAR 1' }, 'externalReference must not be sent with linkedCaseId'],
      ['an unknown kind', { kind: 'serious_case_review', externalReference: 'SCR 1' }, 'kind must be one of'],
      ['no kind', { externalReference: 'SCR 1' }, 'kind is required'],
      ['a case id that is not a UUID', { kind: 'sar', linkedCaseId: 'DHR-2026-001x' }, 'linkedCaseId'],
      ['a reference over two lines', { kind: 'sar', externalReference: 'SAR 1\nSAR 2' }, 'externalReference must be a single line'],
      ['a reference with an invisible character', { kind: 'sar', externalReference: 'SAR\u200b 1' }, 'invisible characters'],
      ['an empty reference', { kind: 'sar', externalReference: '   ' }, 'externalReference must not be empty'],
      ['a reference too long', { kind: 'sar', externalReference: 'S'.repeat(201) }, 'externalReference must be at most 200 characters'],
      ['a note too long', { kind: 'sar', externalReference: 'SAR 9', note: 'n'.repeat(2001) }, 'note must be at most 2000 characters'],
      ['an unknown field', { kind: 'sar', externalReference: 'SAR 9', caseId: MISSING }, 'caseId is not a field of this request'],
    ];
    it.each(cases)('%s', async (_what, body, message) => {
      const before = await rowsOf(b.id);
      const res = await link(w.cast.admin, b.id, body).expect(400);
      expect(res.body.errors.map((e: { message: string }) => e.message).join(' ')).toContain(message);
      expect(await rowsOf(b.id)).toBe(before);
    });

    it('a link of a case to itself', async () => {
      const res = await link(w.cast.admin, b.id, { kind: 'joint_dhr', linkedCaseId: b.id.toUpperCase() }).expect(400);
      expect(res.body.errors).toEqual([{ field: 'linkedCaseId', message: 'linkedCaseId must name another case: a case is not linked to itself' }]);
      expect(await rowsOf(b.id)).toBe(1);
    });
  });

  it('keeps agency leads out: 403 in scope, 404 out of it', async () => {
    const { policeLead, probationLead } = w.cast;
    await links(policeLead, a.id).expect(403);
    await link(policeLead, a.id, { kind: 'sar', externalReference: 'SAR 77' }).expect(403);
    await links(probationLead, a.id).expect(404);
    await link(probationLead, a.id, { kind: 'sar', externalReference: 'SAR 77' }).expect(404);
    expect(await w.dataSource.query(`SELECT 1 FROM case_link WHERE external_reference = 'SAR 77'`)).toEqual([]);
  });

  describe('removing a link', () => {
    it('removes it from both cases, by a writer of either, audited on both trails', async () => {
      const x = await createCase(w, w.cast.admin, w.cast.exeter);
      const y = await createCase(w, w.cast.admin, w.cast.northDevon);
      const added = await link(w.cast.admin, x.id, { kind: 'joint_dhr', linkedCaseId: y.id }).expect(201);
      // North Devon's chair removes it from their side, though they may not see Exeter's case
      await w.http.delete(`/api/cases/${y.id}/links/${added.body.id}`).set(w.cast.northChair.auth).expect(204);
      expect((await links(w.cast.admin, x.id).expect(200)).body.items).toEqual([]);
      expect((await links(w.cast.admin, y.id).expect(200)).body.items).toEqual([]);
      const events: { case_id: string; changes: Record<string, { from: unknown; to: unknown }> }[] = await w.dataSource.query(
        `SELECT case_id, changes FROM audit_event WHERE action = 'link.removed' AND entity_id = $1 ORDER BY seq`,
        [added.body.id],
      );
      expect(events.map((e) => e.case_id)).toEqual([y.id, x.id]);
      expect(events[0].changes).toEqual({ kind: { from: 'joint_dhr', to: null }, externalReference: { from: null, to: null }, note: { from: null, to: null } });
      // the pair may be linked again
      await link(w.cast.admin, y.id, { kind: 'joint_dhr', linkedCaseId: x.id }).expect(201);
    });

    it('answers 404 for an unknown link, one already removed, and one of another case', async () => {
      const x = await createCase(w, w.cast.admin, w.cast.exeter);
      const added = await link(w.cast.admin, x.id, { kind: 'other', externalReference: 'Inquiry 1' }).expect(201);
      await w.http.delete(`/api/cases/${c.id}/links/${added.body.id}`).set(w.cast.admin.auth).expect(404);
      await w.http.delete(`/api/cases/${x.id}/links/${MISSING}`).set(w.cast.admin.auth).expect(404);
      const bad = await w.http.delete(`/api/cases/${x.id}/links/not-an-id`).set(w.cast.admin.auth).expect(400);
      expect(bad.body.errors).toEqual([{ field: 'linkId', message: 'linkId must be a UUID' }]);
      await w.http.delete(`/api/cases/${x.id}/links/${added.body.id}`).set(w.cast.policeLead.auth).expect(404);
      await w.http.delete(`/api/cases/${x.id}/links/${added.body.id}`).set(w.cast.admin.auth).expect(204);
      await w.http.delete(`/api/cases/${x.id}/links/${added.body.id}`).set(w.cast.admin.auth).expect(404);
      expect(await auditActions(w, `case_id = $1 AND action LIKE 'link.%'`, [x.id])).toEqual(['link.added', 'link.removed']);
    });
  });

  it('pages a case’s links in the order they were added', async () => {
    const x = await createCase(w, w.cast.admin, w.cast.exeter);
    for (const n of [1, 2, 3]) await link(w.cast.admin, x.id, { kind: 'other', externalReference: `Review ${n}` }).expect(201);
    const first = await w.http.get(`/api/cases/${x.id}/links?limit=2`).set(w.cast.admin.auth).expect(200);
    expect(first.body.items.map((i: { externalReference: string }) => i.externalReference)).toEqual(['Review 1', 'Review 2']);
    const second = await w.http.get(`/api/cases/${x.id}/links?limit=2&cursor=${first.body.nextCursor}`).set(w.cast.admin.auth).expect(200);
    expect(second.body).toEqual({ items: [expect.objectContaining({ externalReference: 'Review 3' })], nextCursor: null });
  });

  it('masks an external reference in the audit trail, as free text that may name someone', async () => {
    const x = await createCase(w, w.cast.admin, w.cast.exeter);
    const added = await link(w.cast.admin, x.id, { kind: 'sar', externalReference: 'SAR about Nora Fictitious' }).expect(201);
    const [event]: { changes: Record<string, { from: unknown; to: unknown }> }[] = await w.dataSource.query(
      `SELECT changes FROM audit_event WHERE action = 'link.added' AND entity_id = $1`,
      [added.body.id],
    );
    expect(event.changes.externalReference).toEqual({ from: null, to: '[redacted]' });
    expect(JSON.stringify(event)).not.toContain('Nora');
  });
});
