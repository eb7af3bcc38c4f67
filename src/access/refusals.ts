import { Inject, Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { AuditService, type AuditEntry } from '../audit/audit.service.js';
import { Clock } from '../common/clock.js';
import { currentRequestContext, runInRequestContext } from '../common/request-context.js';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { countRefusal, forgetOldWindows, takeEndedWindows, type EndedWindow } from './access.queries.js';
import type { Role } from './roles.js';

/** The window refusals are counted in, and rate-limited by. */
export const REFUSAL_WINDOW_MS = 10 * 60_000;

/**
 * One refusal: why, what was tried (an id or a route, never a name), and the
 * event it is audited as when it is the first try of its kind in the window;
 * without one it is only counted.
 */
export interface Refusal {
  reason: string;
  attempted: string;
  event?: AuditEntry;
}

/** Who was refused: a signed-in person, or a REST client. */
interface Refused {
  who: string;
  actorId: string | null;
  actorRole: string | null;
  clientId: string | null;
}


function refusedNow(): Refused | null {
  const { actor, client } = currentRequestContext();
  if (actor) return { who: `user:${actor.userId}`, actorId: actor.userId, actorRole: actor.role, clientId: null };
  if (client) return { who: `client:${client.clientId}`, actorId: null, actorRole: null, clientId: client.clientId };
  return null;
}

/**
 * Refusals of signed-in people and REST clients (403, and 404 for what is
 * out of their scope), counted as anonymous denials are (AnonymousDenials):
 * the audit trail gets the first refusal of each thing tried in a person's
 * ten-minute window at once (at most TALLY_ATTEMPTS_KEPT), and one
 * `access.denied.summary` per window once it has ended (how many, for which
 * reasons, what was tried), written when anyone's next window of refusals
 * begins; the count is kept beside it in `refusal_tally`.
 *
 * Someone refused `refusalLimitPer10Minutes` times in a window is held back
 * (429) until it ends: the instance that counts the refusal past the limit
 * remembers it, so every instance holds them back from its own first refusal
 * of them on (docs/security.md, "Format characters and repeated refusals").
 */
@Injectable()
export class Refusals {
  /** Who is held back, and until when: only those over the limit, each until their window ends. */
  private readonly heldBack = new Map<string, number>();

  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  get limit(): number {
    return this.config.refusalLimitPer10Minutes;
  }

  /** Seconds until the request's person or client may be answered again; 0 when they are not held back. */
  heldBackFor(): number {
    const refused = refusedNow();
    if (!refused) return 0;
    const until = this.heldBack.get(refused.who);
    if (until === undefined) return 0;
    const left = until - this.clock.now().getTime();
    if (left > 0) return Math.ceil(left / 1000);
    this.heldBack.delete(refused.who);
    return 0;
  }

  /**
   * Counts a refusal of the request's person or client. The first try of
   * each thing in a window (up to TALLY_ATTEMPTS_KEPT of them) is audited at
   * once, so that the first refusal is, and every case tried shows in its
   * CSP's trail; the rest are told in the window's summary.
   */
  async record(refusal: Refusal): Promise<void> {
    const refused = refusedNow();
    if (!refused) return refusal.event ? this.audit.recordNow(refusal.event) : undefined;
    const now = this.clock.now().getTime();
    const windowStart = new Date(now - (now % REFUSAL_WINDOW_MS));
    const { count, firstTry } = await countRefusal(this.dataSource, { ...refused, windowStart, reason: refusal.reason, attempted: refusal.attempted });
    if (count >= this.limit) this.holdBack(refused.who, windowStart.getTime() + REFUSAL_WINDOW_MS, now);
    if (firstTry && refusal.event) {
      const details = { ...refusal.event.details, window: windowStart.toISOString(), counted: 'refusal_tally' };
      await this.audit.recordNow({ ...refusal.event, details });
    }
    // The first refusal of a window is rare enough to summarise the windows that have ended on the way.
    if (count === 1) await this.summariseEnded(windowStart);
  }

  /** Remembers who to hold back until when, forgetting those whose window has ended. */
  private holdBack(who: string, until: number, now: number): void {
    for (const [held, end] of this.heldBack) if (end <= now) this.heldBack.delete(held);
    this.heldBack.set(who, until);
  }

  /** Writes the summary of every window that ended before `before`, each once, outside the request that happens to do it. */
  async summariseEnded(before: Date): Promise<void> {
    await runInRequestContext({ requestId: null, ip: null, actor: null }, () =>
      this.dataSource.transaction(async (tx) => {
        const ended = await takeEndedWindows(tx, before);
        // A window of one refusal is told in full by the event its refusal wrote.
        for (const window of ended.filter((w) => w.count > 1)) await this.writeSummary(tx, window);
        await forgetOldWindows(tx, before);
      }),
    );
  }

  private async writeSummary(tx: EntityManager, window: EndedWindow): Promise<void> {
    await this.audit.record(tx, {
      action: 'access.denied.summary',
      actor: window.actor_id ? { userId: window.actor_id, role: window.actor_role as Role } : null,
      client: window.client_id ? { clientId: window.client_id } : null,
      details: {
        window: window.window_start.toISOString(),
        windowMinutes: REFUSAL_WINDOW_MS / 60_000,
        count: window.count,
        reasons: window.reasons,
        attempted: window.attempted,
        counted: 'refusal_tally',
      },
    });
  }
}
