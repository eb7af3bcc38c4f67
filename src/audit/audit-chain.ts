/**
 * The audit trail's hash chain, checked from outside the database
 * (docs/architecture.md, "The audit trail's hash chain"). The database's
 * trigger (migration 1765020000000-AuditChain) links every event; this module
 * recomputes each link from the event's columns as PostgreSQL prints them,
 * with no function of the schema, so a replaced function cannot vouch for a
 * changed row.
 */
import { createHash } from 'node:crypto';

/** An event as the verifier reads it: every column as PostgreSQL's text, hashes in hex. */
export interface ChainRow {
  /** The calendar month in UTC, `YYYY-MM`: the chain the event belongs to. */
  month: string;
  chain_position: string | null;
  prev_hash: string | null;
  hash: string | null;
  seq: string;
  id: string;
  /** `occurred_at` in UTC to the microsecond, `YYYY-MM-DDTHH:MI:SS.ffffffZ`. */
  occurred_at: string;
  actor_id: string | null;
  actor_role: string | null;
  client_id: string | null;
  action: string;
  entity_type: string | null;
  entity_id: string | null;
  case_id: string | null;
  partnership_id: string | null;
  request_id: string | null;
  ip: string | null;
  changes: string | null;
  details: string | null;
}

/** The encoded fields, in the order the migration's audit_event_link_hash takes them. */
const LINK_FIELDS = [
  'month',
  'chain_position',
  'prev_hash',
  'seq',
  'id',
  'occurred_at',
  'actor_id',
  'actor_role',
  'client_id',
  'action',
  'entity_type',
  'entity_id',
  'case_id',
  'partnership_id',
  'request_id',
  'ip',
  'changes',
  'details',
] as const satisfies readonly (keyof ChainRow)[];

const VERSION = 'dhr-audit-chain-v1';

const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

/** The hash the first event of a month chains from: it names the month, so a month's chain cannot pass for another's. */
export function genesisHash(month: string): string {
  return sha256(`${VERSION} genesis ${month}`);
}

/** Each field as its byte length and its text (`~` for NULL), so no two different rows encode alike. */
export function linkHash(row: ChainRow): string {
  const encoded = LINK_FIELDS.map((field) => {
    const value = row[field];
    return value === null ? '~' : `${Buffer.byteLength(value, 'utf8')}:${value}`;
  });
  return sha256(VERSION + encoded.join(''));
}

export type BreakKind = 'unchained' | 'missing' | 'forged-link' | 'changed' | 'truncated' | 'rewritten';

export interface ChainBreak {
  kind: BreakKind;
  /** The event where the break shows (none when the anchored tail is gone altogether). */
  seq: string | null;
  position: string | null;
  message: string;
}

/** Where a month's chain ends: what an operator anchors. */
export interface MonthHead {
  month: string;
  events: number;
  position: string;
  hash: string;
}

export interface MonthReport extends MonthHead {
  /** The first break found in the month, if any. */
  break: ChainBreak | null;
}

/** The latest hash of each month an operator kept outside the database. */
export interface Anchor {
  format: typeof ANCHOR_FORMAT;
  createdAt: string;
  months: Record<string, { position: string; hash: string }>;
}

export const ANCHOR_FORMAT = 'dhr-audit-anchor-1';

/** One month's chain, read row by row in `chain_position` order (unchained rows last). */
class MonthCheck {
  private events = 0;
  private expectedPosition = 1n;
  private expectedPrev: string;
  private head: { position: string; hash: string } | null = null;
  private firstBreak: ChainBreak | null = null;
  private anchoredHash: string | null = null;

  constructor(
    readonly month: string,
    private readonly anchored: { position: string; hash: string } | undefined,
  ) {
    this.expectedPrev = genesisHash(month);
  }

  add(row: ChainRow): void {
    this.events++;
    const found = this.breakAt(row);
    if (found && !this.firstBreak) this.firstBreak = found;
    if (row.chain_position === null || row.hash === null) return;
    // Go on from what the row says, so the head (and an anchored position) is read whatever broke before.
    this.expectedPosition = BigInt(row.chain_position) + 1n;
    this.expectedPrev = row.hash;
    this.head = { position: row.chain_position, hash: row.hash };
    if (this.anchored && row.chain_position === this.anchored.position) this.anchoredHash = row.hash;
  }

  private breakAt(row: ChainRow): ChainBreak | null {
    const at = (kind: BreakKind, message: string): ChainBreak => ({ kind, seq: row.seq, position: row.chain_position, message });
    if (row.chain_position === null || row.hash === null || row.prev_hash === null) {
      return at('unchained', `event seq ${row.seq} has no link in the chain: it was written with the chain's trigger switched off`);
    }
    const position = BigInt(row.chain_position);
    if (position > this.expectedPosition) {
      const missing = position - this.expectedPosition === 1n ? `position ${this.expectedPosition} is` : `positions ${this.expectedPosition} to ${position - 1n} are`;
      return at('missing', `${missing} missing before event seq ${row.seq} (position ${position}): deleted events`);
    }
    if (position < this.expectedPosition) {
      return at('forged-link', `event seq ${row.seq} claims position ${position}, which another event already holds`);
    }
    if (row.prev_hash !== this.expectedPrev) {
      return at('forged-link', `event seq ${row.seq} (position ${position}) names a predecessor that is not the event before it`);
    }
    if (linkHash(row) !== row.hash) {
      return at('changed', `event seq ${row.seq} (position ${position}) no longer matches its hash: a column was changed`);
    }
    return null;
  }

  report(): MonthReport {
    return { month: this.month, events: this.events, position: this.head?.position ?? '0', hash: this.head?.hash ?? this.expectedPrev, break: this.firstBreak ?? this.anchorBreak() };
  }

  /** What the anchor finds that the chain alone cannot: a tail cut off, or rewritten and chained again. */
  private anchorBreak(): ChainBreak | null {
    return this.anchored ? compareWithAnchor(this.month, this.anchored, this.head, this.anchoredHash) : null;
  }
}

function compareWithAnchor(
  month: string,
  anchored: { position: string; hash: string },
  head: { position: string; hash: string } | null,
  hashAtAnchoredPosition: string | null,
): ChainBreak | null {
  const last = head ? BigInt(head.position) : 0n;
  if (last < BigInt(anchored.position)) {
    return {
      kind: 'truncated',
      seq: null,
      position: head?.position ?? null,
      message: `the anchor saw ${month} reach position ${anchored.position}; the trail now ends at position ${last}: its last events are gone`,
    };
  }
  if (hashAtAnchoredPosition !== anchored.hash) {
    return {
      kind: 'rewritten',
      seq: null,
      position: anchored.position,
      message: `the event at position ${anchored.position} of ${month} no longer has the hash the anchor saw: the chain was rewritten up to there`,
    };
  }
  return null;
}

/**
 * Checks every month's chain from rows sorted by month, then
 * `chain_position` (unchained rows last); with an anchor, also that each
 * anchored month still reaches its anchored position with the anchored hash.
 */
export async function verifyChain(rows: AsyncIterable<ChainRow>, anchor?: Anchor): Promise<MonthReport[]> {
  const reports: MonthReport[] = [];
  let current = null as MonthCheck | null;
  for await (const row of rows) {
    if (current === null || current.month !== row.month) {
      if (current) reports.push(current.report());
      current = new MonthCheck(row.month, anchor?.months[row.month]);
    }
    current.add(row);
  }
  if (current) reports.push(current.report());
  const seen = new Set(reports.map((r) => r.month));
  for (const [month, anchored] of Object.entries(anchor?.months ?? {})) {
    if (!seen.has(month)) reports.push({ month, events: 0, position: '0', hash: genesisHash(month), break: compareWithAnchor(month, anchored, null, null) });
  }
  return reports.sort((a, b) => a.month.localeCompare(b.month));
}

/** The anchor of a trail whose chains all hold: each month's last position and hash. */
export function anchorOf(reports: MonthReport[], now: Date): Anchor {
  return { format: ANCHOR_FORMAT, createdAt: now.toISOString(), months: Object.fromEntries(reports.filter((r) => r.position !== '0').map((r) => [r.month, { position: r.position, hash: r.hash }])) };
}

export class AnchorError extends Error {}

const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;
const POSITION = /^[1-9]\d{0,18}$/;
const HASH = /^[0-9a-f]{64}$/;

/** An anchor file's text, or why it is not one: a check against a misread anchor would prove nothing. */
export function parseAnchor(text: string): Anchor {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new AnchorError('the anchor file is not JSON');
  }
  const value = parsed as Partial<Anchor> | null;
  if (typeof value !== 'object' || value === null || Array.isArray(value) || value.format !== ANCHOR_FORMAT) {
    throw new AnchorError(`the anchor file's format is not ${ANCHOR_FORMAT}`);
  }
  const months = value.months;
  if (typeof months !== 'object' || months === null || Array.isArray(months)) throw new AnchorError('the anchor file has no months');
  for (const [month, head] of Object.entries(months)) {
    const ok = MONTH.test(month) && typeof head === 'object' && head !== null && POSITION.test(String(head.position)) && HASH.test(String(head.hash));
    if (!ok || typeof head.position !== 'string' || typeof head.hash !== 'string') {
      throw new AnchorError(`the anchor file's entry ${JSON.stringify(month).slice(0, 40)} is not a month with a position and a SHA-256 hash`);
    }
  }
  return { format: ANCHOR_FORMAT, createdAt: String(value.createdAt ?? ''), months };
}
