import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { anchorOf, genesisHash, linkHash, parseAnchor, verifyChain, type ChainRow } from './audit-chain.js';

/** The verifier over generated chains, tampered with in every way one row can be (docs/architecture.md, "The audit trail's hash chain"). */

const EDITABLE = ['id', 'occurred_at', 'actor_id', 'actor_role', 'client_id', 'action', 'entity_type', 'entity_id', 'case_id', 'request_id', 'ip', 'changes', 'details'] as const;

type Content = Pick<ChainRow, (typeof EDITABLE)[number]>;

const text = fc.oneof(fc.constant(null), fc.string({ maxLength: 12 }), fc.constantFrom('~', '3:abc', '', 'Ωmega 🙂', '{"a": 1}'));
const content: fc.Arbitrary<Content> = fc.record({
  id: fc.uuid(),
  occurred_at: fc.constantFrom('2026-11-02T10:00:00.000001Z', '2026-11-30T23:59:59.999999Z'),
  actor_id: fc.oneof(fc.constant(null), fc.uuid()),
  actor_role: text,
  client_id: fc.oneof(fc.constant(null), fc.uuid()),
  action: fc.string({ minLength: 1, maxLength: 10 }),
  entity_type: text,
  entity_id: text,
  case_id: fc.oneof(fc.constant(null), fc.uuid()),
  request_id: text,
  ip: text,
  changes: text,
  details: text,
});

/** A month's chain as the database's trigger makes it. */
function chain(month: string, contents: Content[]): ChainRow[] {
  let prev = genesisHash(month);
  return contents.map((c, i) => {
    const row: ChainRow = { ...c, month, chain_position: String(i + 1), prev_hash: prev, hash: null, seq: String(100 + i), partnership_id: null };
    row.hash = linkHash(row);
    prev = row.hash;
    return row;
  });
}

async function* stream(rows: ChainRow[]): AsyncGenerator<ChainRow> {
  yield* rows;
}

/** As the verifier reads them: by month, then position, unchained last. */
const sorted = (rows: ChainRow[]) =>
  [...rows].sort((a, b) => a.month.localeCompare(b.month) || (a.chain_position === null ? 1 : 0) - (b.chain_position === null ? 1 : 0) || Number(a.chain_position) - Number(b.chain_position));

const contents = fc.array(content, { minLength: 2, maxLength: 8 });

describe('the audit chain verifier', () => {
  it('passes every untouched chain, and its head is its last event', async () => {
    await fc.assert(
      fc.asyncProperty(contents, async (cs) => {
        const rows = chain('2026-11', cs);
        const [report] = await verifyChain(stream(rows));
        expect(report).toEqual({ month: '2026-11', events: cs.length, position: String(cs.length), hash: rows[cs.length - 1].hash, break: null });
      }),
    );
  });

  it('finds any one field of any one event changed', async () => {
    await fc.assert(
      fc.asyncProperty(contents, fc.nat(), fc.constantFrom(...EDITABLE), fc.string({ maxLength: 6 }), async (cs, at, field, value) => {
        const rows = chain('2026-11', cs);
        const victim = rows[at % rows.length];
        fc.pre(victim[field] !== value);
        victim[field] = value;
        const [report] = await verifyChain(stream(rows));
        expect(report.break).toMatchObject({ kind: 'changed', seq: victim.seq });
      }),
    );
  });

  it('finds any event but the last deleted, and the last one against an anchor', async () => {
    await fc.assert(
      fc.asyncProperty(contents, fc.nat(), async (cs, at) => {
        const rows = chain('2026-11', cs);
        const anchor = anchorOf(await verifyChain(stream(rows)), new Date(0));
        const gone = at % rows.length;
        const left = rows.filter((_, i) => i !== gone);
        const [plain] = await verifyChain(stream(left));
        const [anchored] = await verifyChain(stream(left), anchor);
        if (gone === rows.length - 1) {
          expect(plain.break).toBeNull();
          expect(anchored.break).toMatchObject({ kind: 'truncated' });
        } else {
          expect(plain.break).toMatchObject({ kind: 'missing', seq: rows[gone + 1].seq });
        }
      }),
    );
  });

  it('finds a forged event wherever it is put, whatever link it claims', async () => {
    const claims = fc.constantFrom('none', 'next', 'twin', 'other-predecessor');
    await fc.assert(
      fc.asyncProperty(contents, content, fc.nat(), claims, async (cs, forged, at, claim) => {
        const rows = chain('2026-11', cs);
        const before = rows[at % rows.length];
        const row: ChainRow = { ...forged, month: '2026-11', seq: '999', partnership_id: null, chain_position: null, prev_hash: null, hash: null };
        if (claim === 'next') Object.assign(row, { chain_position: String(Number(before.chain_position) + 1), prev_hash: before.hash, hash: 'f'.repeat(64) });
        if (claim === 'twin') Object.assign(row, { chain_position: before.chain_position, prev_hash: before.prev_hash, hash: 'e'.repeat(64) });
        if (claim === 'other-predecessor') Object.assign(row, { chain_position: String(rows.length + 1), prev_hash: 'd'.repeat(64) });
        if (claim === 'other-predecessor') row.hash = linkHash(row);
        const [report] = await verifyChain(stream(sorted([...rows, row])));
        expect(report.break).not.toBeNull();
      }),
    );
  });

  it('finds a month moved under another month’s name', async () => {
    const rows = chain('2026-11', [{ ...fc.sample(content, 1)[0] }, { ...fc.sample(content, 1)[0] }]).map((r) => ({ ...r, month: '2026-12' }));
    const [report] = await verifyChain(stream(rows));
    expect(report.break).toMatchObject({ kind: 'forged-link', position: '1' });
  });

  it('reads an anchor it saved, and refuses anything else', () => {
    const anchor = { format: 'dhr-audit-anchor-1' as const, createdAt: '2026-12-01T00:00:00.000Z', months: { '2026-11': { position: '7', hash: 'a'.repeat(64) } } };
    expect(parseAnchor(JSON.stringify(anchor))).toEqual(anchor);
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.json(), fc.jsonValue().map((months) => JSON.stringify({ format: 'dhr-audit-anchor-1', months: { x: months } }))), (hostile) => {
        expect(() => parseAnchor(hostile)).toThrow(/anchor file/);
      }),
    );
  });
});
